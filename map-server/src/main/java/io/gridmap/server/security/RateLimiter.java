package io.gridmap.server.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * Requests per client per second, as token buckets: each client may burst to {@code burst} requests
 * and is refilled at {@code perSecond}. A map client pulls a few dozen tiles per pan, so the
 * defaults leave people alone and stop a script that loops.
 */
public final class RateLimiter {
  private final double perSecond;
  private final double burst;

  /** Idle clients' buckets expire, so a flood of distinct addresses cannot grow the map forever. */
  private final Cache<String, Bucket> buckets =
      Caffeine.newBuilder()
          .expireAfterAccess(Duration.ofMinutes(10))
          .maximumSize(1_000_000)
          .build();

  private static final class Bucket {
    double tokens;
    long lastNanos;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.lastNanos = now;
    }
  }

  public RateLimiter(double perSecond, double burst) {
    if (perSecond <= 0 || burst < 1) {
      throw new IllegalArgumentException(
          "rate limit needs perSecond > 0 and burst >= 1, got " + perSecond + " and " + burst);
    }
    this.perSecond = perSecond;
    this.burst = burst;
  }

  /**
   * Takes one request from {@code key}'s bucket.
   *
   * @return 0 when allowed, else the whole seconds to wait (for {@code Retry-After})
   */
  public long acquire(String key, long nowNanos) {
    Bucket b = buckets.get(key, k -> new Bucket(burst, nowNanos));
    synchronized (b) {
      double elapsed = (nowNanos - b.lastNanos) / 1e9;
      b.tokens = Math.min(burst, b.tokens + elapsed * perSecond);
      b.lastNanos = nowNanos;
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return (long) Math.ceil((1 - b.tokens) / perSecond);
    }
  }
}
