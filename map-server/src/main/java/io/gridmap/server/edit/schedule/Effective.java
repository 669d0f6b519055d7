package io.gridmap.server.edit.schedule;

import io.gridmap.server.web.ApiException;
import io.gridmap.server.web.Params;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The {@code effective} parameter of an edit: an RFC 3339 instant with its offset ({@code
 * 2027-01-01T00:00:00+08:00}) after now and at most {@link #MAX_AHEAD} ahead. An instant that is
 * now or past is refused (400), never taken as "at once": a planner who meant the 1st and sent it
 * on the 2nd should be told, not have the edit applied silently; an immediate edit is sent without
 * the parameter.
 */
public final class Effective {
  /** The parameter's name. */
  public static final String PARAM = "effective";

  /** How far ahead an edit may be scheduled: a year (a rule checked now means little later). */
  public static final Duration MAX_AHEAD = Duration.ofDays(366);

  private static final String FORM =
      "an RFC 3339 date-time with an offset, after now and at most a year ahead, e.g."
          + " 2027-01-01T00:00:00+08:00";

  private Effective() {}

  /** The request's effective instant, or null when it has none (an edit applied at once). */
  public static Instant of(RoutingContext ctx, Instant now) {
    String v = Params.single(ctx.queryParams(), PARAM);
    return v == null ? null : parse(v, now);
  }

  /** The instant {@code v} names, checked against {@code now}; a 400 naming the parameter. */
  public static Instant parse(String v, Instant now) {
    Instant t;
    try {
      t = OffsetDateTime.parse(v.strip(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw Params.bad(PARAM, v, FORM);
    }
    if (!t.isAfter(now)) {
      throw ApiException.badRequest(
          "parameter "
              + PARAM
              + "="
              + Params.quote(v)
              + " is not in the future (now is "
              + now
              + "); send the edit without "
              + PARAM
              + " to apply it at once");
    }
    if (t.isAfter(now.plus(MAX_AHEAD))) {
      throw ApiException.badRequest(
          "parameter "
              + PARAM
              + "="
              + Params.quote(v)
              + " is more than a year ahead (at most "
              + now.plus(MAX_AHEAD)
              + ")");
    }
    return t;
  }
}
