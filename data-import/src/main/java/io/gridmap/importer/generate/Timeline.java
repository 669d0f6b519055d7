package io.gridmap.importer.generate;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.SplittableRandom;

/**
 * The generated year, fixed so that output never depends on today's date: events are reported from
 * 2025-11-01 to 2026-11-01 (China Standard Time), and the end of that year is the dataset's "now"
 * for statuses and staff positions.
 */
public final class Timeline {
  private Timeline() {}

  public static final ZoneOffset CST = ZoneOffset.ofHours(8);
  public static final long START =
      OffsetDateTime.of(2025, 11, 1, 0, 0, 0, 0, CST).toInstant().toEpochMilli();
  public static final long END =
      OffsetDateTime.of(2026, 11, 1, 0, 0, 0, 0, CST).toInstant().toEpochMilli();

  static final long MINUTE = 60_000L;
  static final long HOUR = 60 * MINUTE;
  static final long DAY = 24 * HOUR;

  /**
   * Reports per local hour, relative: a tenth as many at 3 a.m. as at 10 a.m., with a lunch dip.
   * Day (08-20) carries about 80% of all reports.
   */
  static final double[] HOUR_WEIGHT = {
    0.2, 0.15, 0.1, 0.1, 0.1, 0.2, 0.5, 1.0, 1.6, 2.0, 2.1, 1.9, 1.3, 1.4, 1.9, 2.0, 1.9, 1.6, 1.3,
    1.1, 0.9, 0.7, 0.5, 0.3
  };

  /** A report time in [from, to), following the daily rhythm. */
  static long reportTime(SplittableRandom rng, long from, long to) {
    double total = 0;
    for (double w : HOUR_WEIGHT) {
      total += w;
    }
    long startDay = Math.floorDiv(from + 8 * HOUR, DAY) * DAY - 8 * HOUR;
    for (int tries = 0; ; tries++) {
      long day = startDay + DAY * rng.nextLong(Math.max(1, (to - startDay + DAY - 1) / DAY));
      double x = rng.nextDouble() * total;
      int hour = 0;
      while (hour < 23 && (x -= HOUR_WEIGHT[hour]) >= 0) {
        hour++;
      }
      long t = day + hour * HOUR + rng.nextLong(HOUR);
      if (t >= from && t < to) {
        return t;
      }
      if (tries > 1000) {
        return from + rng.nextLong(Math.max(1, to - from));
      }
    }
  }

  /** Local hour of day of an instant, 0-23. */
  public static int localHour(long epochMillis) {
    return (int) (Math.floorMod(epochMillis + 8 * HOUR, DAY) / HOUR);
  }
}
