package io.gridmap.server.security;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Requests per client per second, as token buckets: each client may burst to {@code burst} requests
 * and is refilled at {@code perSecond}. A map client pulls a few dozen tiles per pan, so the
 * defaults leave people alone and stop a script that loops.
 *
 * <p>The buckets live in a plain concurrent map, not a cache with expiry: a bucket that has
 * refilled to {@code burst} is the bucket a new client gets, so forgetting it loses nothing, and a
 * sweep (once a minute, or at once when the map reaches its bound) removes exactly those. A
 * Caffeine cache with expire-after-access did the same job for 6% of the event loop's CPU on cached
 * tiles (its read buffer's drains, scheduled on the common pool; async-profiler, issue 14). Clients
 * that arrive while the map is full of buckets still refilling share one bucket, so a flood of
 * distinct addresses is throttled together instead of growing the map. The sweep walks the whole
 * map, so it runs on the common pool, never on the event loop that called {@link #acquire}.
 */
public final class RateLimiter {
  /** Buckets kept at most: about 100 MB of small objects. */
  static final int MAX_BUCKETS = 1_000_000;

  private static final long SWEEP_NANOS = 60_000_000_000L;

  private final double perSecond;
  private final double burst;
  private final int maxBuckets;
  private final Executor sweeper;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final Bucket overflow;
  private final AtomicBoolean sweeping = new AtomicBoolean();
  private volatile long nextSweep;
  private volatile boolean overflowStarted;

  private final class Bucket {
    double tokens;
    long lastNanos;

    Bucket(long now) {
      this.tokens = burst;
      this.lastNanos = now;
    }

    synchronized long take(long now) {
      double elapsed = (now - lastNanos) / 1e9;
      tokens = Math.min(burst, tokens + elapsed * perSecond);
      lastNanos = now;
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return (long) Math.ceil((1 - tokens) / perSecond);
    }

    /** Whether the bucket is back to {@code burst} at {@code now}: a new client's bucket. */
    synchronized boolean fullAt(long now) {
      return tokens + (now - lastNanos) / 1e9 * perSecond >= burst;
    }
  }

  public RateLimiter(double perSecond, double burst) {
    this(perSecond, burst, MAX_BUCKETS, ForkJoinPool.commonPool());
  }

  /** With a bound and a sweeper of its own (tests sweep on the calling thread). */
  RateLimiter(double perSecond, double burst, int maxBuckets, Executor sweeper) {
    if (perSecond <= 0 || burst < 1) {
      throw new IllegalArgumentException(
          "rate limit needs perSecond > 0 and burst >= 1, got " + perSecond + " and " + burst);
    }
    this.perSecond = perSecond;
    this.burst = burst;
    this.maxBuckets = maxBuckets;
    this.sweeper = sweeper;
    this.overflow = new Bucket(0);
  }

  /**
   * Takes one request from {@code key}'s bucket.
   *
   * @return 0 when allowed, else the whole seconds to wait (for {@code Retry-After})
   */
  public long acquire(String key, long nowNanos) {
    long next = nextSweep;
    if (next == 0) {
      nextSweep = nowNanos + SWEEP_NANOS;
    } else if (nowNanos - next >= 0) {
      sweep(nowNanos);
    }
    Bucket b = buckets.get(key);
    if (b == null) {
      b = newBucket(key, nowNanos);
    }
    // a sweep may remove b between the get and the take: that costs the client one request's
    // charge on a bucket that was full, nothing more
    return b.take(nowNanos);
  }

  private Bucket newBucket(String key, long now) {
    if (buckets.size() >= maxBuckets) {
      sweep(now); // on the sweeper: newcomers share the overflow bucket until it has run
      if (buckets.size() >= maxBuckets) {
        synchronized (overflow) {
          if (!overflowStarted) {
            overflow.lastNanos = now; // full at the first use, whatever the clock's origin
            overflowStarted = true;
          }
        }
        return overflow;
      }
    }
    return buckets.computeIfAbsent(key, k -> new Bucket(now));
  }

  /** Starts forgetting the buckets that are full again; one sweep at a time, the others go on. */
  private void sweep(long now) {
    if (!sweeping.compareAndSet(false, true)) {
      return;
    }
    nextSweep = now + SWEEP_NANOS;
    try {
      sweeper.execute(
          () -> {
            try {
              buckets.values().removeIf(b -> b.fullAt(now));
            } finally {
              sweeping.set(false);
            }
          });
    } catch (RuntimeException rejected) {
      sweeping.set(false); // the pool refused it: the next minute's sweep tries again
    }
  }

  /** Buckets held now (for tests). */
  int size() {
    return buckets.size();
  }
}
