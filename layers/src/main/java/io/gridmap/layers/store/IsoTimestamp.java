package io.gridmap.layers.store;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Epoch milliseconds to and from the GeoPackage DATETIME text form {@code yyyy-MM-ddTHH:mm:ss.SSSZ}
 * (GeoPackage 1.3, table 1: ISO-8601, UTC).
 *
 * <p>The fixed form is formatted and parsed by hand: a full city carries about a million
 * timestamps, and {@link java.time.format.DateTimeFormatter} costs about a microsecond each. Other
 * ISO-8601 forms that GDAL or QGIS may leave after an edit (no fraction, an offset, a date only)
 * are parsed through {@code java.time}.
 */
public final class IsoTimestamp {
  private IsoTimestamp() {}

  private static final long MILLIS_PER_DAY = 86_400_000L;

  /** Formats epoch millis as {@code yyyy-MM-ddTHH:mm:ss.SSSZ} for years 0000-9999. */
  public static String format(long epochMillis) {
    long days = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
    long ms = Math.floorMod(epochMillis, MILLIS_PER_DAY);
    LocalDate date = LocalDate.ofEpochDay(days);
    int year = date.getYear();
    if (year < 0 || year > 9999) {
      return Instant.ofEpochMilli(epochMillis).toString();
    }
    char[] c = new char[24];
    digits(c, 0, year, 4);
    c[4] = '-';
    digits(c, 5, date.getMonthValue(), 2);
    c[7] = '-';
    digits(c, 8, date.getDayOfMonth(), 2);
    c[10] = 'T';
    digits(c, 11, (int) (ms / 3_600_000), 2);
    c[13] = ':';
    digits(c, 14, (int) (ms / 60_000 % 60), 2);
    c[16] = ':';
    digits(c, 17, (int) (ms / 1000 % 60), 2);
    c[19] = '.';
    digits(c, 20, (int) (ms % 1000), 3);
    c[23] = 'Z';
    return new String(c);
  }

  /**
   * Parses a DATETIME text to epoch millis.
   *
   * @throws IllegalArgumentException naming the text when it is no ISO-8601 date-time
   */
  public static long parse(String text) {
    if (text.length() == 24) {
      // ISO-8859-1: a character beyond it becomes '?', which the fixed form rejects
      long fixed = fixedForm(text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      if (fixed != NOT_FIXED) {
        return fixed;
      }
    }
    return freeForm(text);
  }

  /**
   * Parses a DATETIME text given as its UTF-8 bytes (as a store reads it) to epoch millis, without
   * making a String of the fixed form {@link #format} writes.
   *
   * @throws IllegalArgumentException naming the text when it is no ISO-8601 date-time
   */
  public static long parse(byte[] utf8) {
    if (utf8.length == 24) {
      long fixed = fixedForm(utf8);
      if (fixed != NOT_FIXED) {
        return fixed;
      }
    }
    return freeForm(new String(utf8, java.nio.charset.StandardCharsets.UTF_8));
  }

  /** What {@link #fixedForm} returns for a text not in it: no date of years 0-9999 is this. */
  private static final long NOT_FIXED = Long.MIN_VALUE;

  /** Epoch millis of {@code yyyy-MM-ddTHH:mm:ss.SSSZ} in 24 ASCII bytes, or {@link #NOT_FIXED}. */
  private static long fixedForm(byte[] text) {
    if (!isFixedForm(text)) {
      return NOT_FIXED;
    }
    int hour = number(text, 11, 2);
    int minute = number(text, 14, 2);
    int second = number(text, 17, 2);
    if (hour < 24 && minute < 60 && second < 60) {
      try {
        long days =
            LocalDate.of(number(text, 0, 4), number(text, 5, 2), number(text, 8, 2)).toEpochDay();
        return days * MILLIS_PER_DAY
            + hour * 3_600_000L
            + minute * 60_000L
            + second * 1000L
            + number(text, 20, 3);
      } catch (DateTimeException invalidDate) {
        // java.time rejects it in freeForm
      }
    }
    return NOT_FIXED;
  }

  private static long freeForm(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant().toEpochMilli();
    } catch (DateTimeParseException notOffset) {
      try {
        // SQLite's own datetime() form uses a space; read a missing zone as UTC
        return LocalDateTime.parse(text.replace(' ', 'T')).toInstant(ZoneOffset.UTC).toEpochMilli();
      } catch (DateTimeParseException notLocal) {
        try {
          return LocalDate.parse(text).toEpochDay() * MILLIS_PER_DAY;
        } catch (DateTimeParseException notDate) {
          throw new IllegalArgumentException(
              "expected an ISO-8601 date-time such as 2024-05-01T08:30:00.000Z but found '"
                  + text
                  + "'");
        }
      }
    }
  }

  private static boolean isFixedForm(byte[] s) {
    for (int i = 0; i < 24; i++) {
      int ch = s[i];
      boolean ok =
          switch (i) {
            case 4, 7 -> ch == '-';
            case 10 -> ch == 'T';
            case 13, 16 -> ch == ':';
            case 19 -> ch == '.';
            case 23 -> ch == 'Z';
            default -> ch >= '0' && ch <= '9';
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static int number(byte[] s, int from, int len) {
    int v = 0;
    for (int i = from; i < from + len; i++) {
      v = v * 10 + (s[i] - '0');
    }
    return v;
  }

  private static void digits(char[] c, int at, int value, int len) {
    for (int i = at + len - 1; i >= at; i--) {
      c[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }
}
