package io.gridmap.layers.query.cql2;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.regex.Pattern;

/**
 * The instant strings of CQL2 (RFC 3339): {@code 2024-05-01} for a date and {@code
 * 2024-05-01T08:30:00Z} (optionally with a fraction or a numeric offset) for a timestamp, and the
 * conversions the evaluator and SQL translator share.
 */
final class TemporalLiterals {
  private TemporalLiterals() {}

  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
  private static final Pattern TIMESTAMP =
      Pattern.compile(
          "\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})");

  static final String DATE_FORM = "a date like '2024-05-01'";
  static final String TIMESTAMP_FORM = "an RFC 3339 timestamp like '2024-05-01T08:30:00Z'";

  static boolean looksLikeDate(String s) {
    return DATE.matcher(s).matches();
  }

  static boolean looksLikeTimestamp(String s) {
    return TIMESTAMP.matcher(s).matches();
  }

  /** The date, or null when the string is not a real calendar date in the form yyyy-mm-dd. */
  static LocalDate parseDate(String s) {
    if (!looksLikeDate(s)) {
      return null;
    }
    try {
      return LocalDate.parse(s);
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** The instant, or null when the string is not a valid RFC 3339 timestamp. */
  static Instant parseTimestamp(String s) {
    if (!looksLikeTimestamp(s)) {
      return null;
    }
    try {
      Instant i = OffsetDateTime.parse(s.replace('t', 'T').replace('z', 'Z')).toInstant();
      // an offset can push 9999-12-31 into year 10000, which no writer can print back as yyyy
      return i.isBefore(MIN) || i.isAfter(MAX) ? null : i;
    } catch (DateTimeException e) {
      return null;
    }
  }

  private static final Instant MIN = Instant.parse("0000-01-01T00:00:00Z");
  private static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999999Z");

  static long startOfDayMillis(LocalDate d) {
    return d.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }

  /** The last millisecond of the day: a DATE covers the whole day in temporal operators. */
  static long endOfDayMillis(LocalDate d) {
    return startOfDayMillis(d.plusDays(1)) - 1;
  }
}
