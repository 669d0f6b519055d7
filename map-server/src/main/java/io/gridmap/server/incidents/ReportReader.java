package io.gridmap.server.incidents;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridmap.layers.geo.ChinaCoordinates;
import io.gridmap.layers.model.EventCategory;
import io.gridmap.server.web.GeoJsonReader;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.locationtech.jts.geom.Coordinate;

/**
 * Reads the body of {@code POST /collections/events/items}: a GeoJSON Feature with a Point and the
 * report's properties. Every refusal is a 400 naming the member, its value and the accepted form;
 * nothing is written.
 */
final class ReportReader {
  private ReportReader() {}

  static final int MAX_DESCRIPTION = 2_000;
  static final int MAX_REPORTER = 200;
  static final int MAX_PHOTOS = 10;
  static final int MAX_URL = 500;

  /** How far ahead of the server's clock a report's time may be: phones' clocks drift. */
  static final long MAX_FUTURE_MILLIS = 5 * 60_000;

  /** How old a report may be: older ones are history for an import, not a live report. */
  static final long MAX_AGE_MILLIS = 30L * 24 * 3_600_000;

  static final Set<String> PROPERTIES =
      Set.of(
          "category", "urgency", "board", "description", "reporter", "time", "photos", "site_id");

  static final String FORM =
      "a GeoJSON Feature {\"type\": \"Feature\", \"geometry\": {\"type\": \"Point\", \"coordinates\":"
          + " [lon, lat]}, \"properties\": {\"category\": ..., \"urgency\": \"normal\"|\"urgent\","
          + " \"description\": ..., \"reporter\": ..., \"time\": RFC 3339, \"photos\": [URLs],"
          + " \"site_id\": key site id}}";

  /**
   * @param datum the coordinates' datum (the {@code Content-Crs} header; WGS84 by default)
   * @param source worker or system, by the caller's role
   * @param requestKey the caller and its Idempotency-Key, or null
   */
  static Report read(
      byte[] body, ChinaCoordinates.Datum datum, long now, String source, String requestKey) {
    JsonNode f = GeoJsonReader.object(body, FORM);
    GeoJsonReader.feature(f, "(body)", FORM);
    JsonNode props = f.get("properties");
    if (props == null || !props.isObject()) {
      throw GeoJsonReader.bad("properties", props, "is not an object", FORM);
    }
    props
        .fieldNames()
        .forEachRemaining(
            n -> {
              if (!PROPERTIES.contains(n)) {
                throw GeoJsonReader.bad(
                    "properties." + n,
                    props.get(n),
                    "is not a report property",
                    "only " + String.join(", ", new java.util.TreeSet<>(PROPERTIES)));
              }
            });
    String category = text(props, "category", 64, true);
    EventCategory c =
        EventCategory.ofCode(category)
            .orElseThrow(
                () ->
                    GeoJsonReader.invalid(
                        "properties.category",
                        props.get("category"),
                        "one of "
                            + java.util.Arrays.stream(EventCategory.values())
                                .map(EventCategory::code)
                                .toList()));
    String board = text(props, "board", 64, false);
    if (board != null && !board.equals(c.board().code())) {
      throw GeoJsonReader.invalid(
          "properties.board",
          props.get("board"),
          "the board of category " + c.code() + ", " + c.board().code() + " (or leave it out)");
    }
    String urgency = text(props, "urgency", 16, false);
    if (urgency != null && !urgency.equals("normal") && !urgency.equals("urgent")) {
      throw GeoJsonReader.invalid("properties.urgency", props.get("urgency"), "normal or urgent");
    }
    boolean urgent =
        urgency == null ? c == EventCategory.WRISTBAND_ALARM : urgency.equals("urgent");
    String description = text(props, "description", MAX_DESCRIPTION, false);
    String reporter = text(props, "reporter", MAX_REPORTER, false);
    long time = time(props.get("time"), "properties.time", now);
    List<String> photos = photos(props.get("photos"));
    Long site = null;
    JsonNode s = props.get("site_id");
    if (s != null && !s.isNull()) {
      site = GeoJsonReader.positiveId(s, "properties.site_id", "a key site id");
    }
    JsonNode g = f.get("geometry");
    double lon = Double.NaN;
    double lat = Double.NaN;
    if (g != null && !g.isNull()) {
      Coordinate p = GeoJsonReader.point(g, "geometry", GeoJsonReader.Bounds.WGS84);
      ChinaCoordinates.LonLat w = ChinaCoordinates.toWgs84(datum, p.x, p.y);
      lon = w.lon();
      lat = w.lat();
    } else if (site == null) {
      throw GeoJsonReader.bad(
          "geometry", g, "is missing", "a Point where it happened, or properties.site_id");
    }
    return new Report(
        lon,
        lat,
        c.code(),
        urgent,
        description,
        reporter,
        photos,
        time,
        source,
        site,
        null,
        requestKey);
  }

  private static String text(JsonNode props, String name, int max, boolean required) {
    JsonNode v = props.get(name);
    if (v == null || v.isNull()) {
      if (required) {
        throw GeoJsonReader.bad("properties." + name, v, "is missing", FORM);
      }
      return null;
    }
    if (!v.isTextual()) {
      throw GeoJsonReader.invalid("properties." + name, v, "a string");
    }
    String s = v.asText().strip();
    if (s.length() > max) {
      throw GeoJsonReader.bad(
          "properties." + name, v, "is longer than " + max + " characters", "at most " + max);
    }
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (Character.isISOControl(ch) && ch != '\n' && ch != '\t') {
        throw GeoJsonReader.bad(
            "properties." + name, v, "holds a control character", "text without them");
      }
    }
    return s;
  }

  /** An RFC 3339 time with an offset, not far ahead nor older than 30 days; now when absent. */
  static long time(JsonNode v, String path, long now) {
    if (v == null || v.isNull()) {
      return now;
    }
    long t;
    try {
      if (!v.isTextual()) {
        throw new DateTimeParseException("not a string", v.toString(), 0);
      }
      t = OffsetDateTime.parse(v.asText()).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      throw GeoJsonReader.invalid(
          path, v, "an RFC 3339 date-time string with an offset, e.g. 2026-12-03T08:30:00+08:00");
    }
    if (t > now + MAX_FUTURE_MILLIS) {
      throw GeoJsonReader.bad(
          path, v, "is more than 5 minutes ahead of the server's clock", "a time up to now");
    }
    if (t < now - MAX_AGE_MILLIS) {
      throw GeoJsonReader.bad(
          path, v, "is more than 30 days ago", "the time of a live report, within 30 days");
    }
    return t;
  }

  private static List<String> photos(JsonNode v) {
    List<String> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isArray() || v.size() > MAX_PHOTOS) {
      throw GeoJsonReader.invalid(
          "properties.photos", v, "an array of at most " + MAX_PHOTOS + " http(s) URLs");
    }
    for (int i = 0; i < v.size(); i++) {
      JsonNode u = v.get(i);
      String path = "properties.photos[" + i + "]";
      if (!u.isTextual()
          || u.asText().length() > MAX_URL
          || !u.asText().matches("https?://[^\\s\"<>]+")) {
        throw GeoJsonReader.invalid(
            path, u, "an http or https URL of at most " + MAX_URL + " characters, no spaces");
      }
      out.add(u.asText());
    }
    return out;
  }
}
