package io.gridmap.importer.generate;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Random sources derived from the seed and a key (a district or unit code, a purpose), never from
 * the order in which work happens: a district gets the same draws whether it is generated alone,
 * with the whole city, or on another thread.
 */
public final class Rngs {
  private Rngs() {}

  /** A random source for (seed, key). */
  public static SplittableRandom of(long seed, String key) {
    return new SplittableRandom(mix(seed * 0x9E3779B97F4A7C15L + fnv64(key)));
  }

  /** A 64-bit hash of (seed, key), for stable rankings. */
  public static long hash(long seed, String key) {
    return mix(seed ^ fnv64(key));
  }

  private static long fnv64(String key) {
    long h = 0xcbf29ce484222325L;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }

  /** SplitMix64's finaliser: every input bit flips about half the output bits. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** A Poisson draw (Knuth's method; fine for the small means used here). */
  public static int poisson(SplittableRandom rng, double mean) {
    double l = Math.exp(-mean);
    int k = 0;
    double p = 1;
    do {
      k++;
      p *= rng.nextDouble();
    } while (p > l);
    return k - 1;
  }

  /** A uniform draw in [lo, hi). */
  public static double between(SplittableRandom rng, double lo, double hi) {
    return lo + rng.nextDouble() * (hi - lo);
  }
}
