package io.gridmap.server.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.gridmap.layers.geo.ChinaCoordinates;
import io.gridmap.server.web.ApiException;
import io.gridmap.server.web.GeoJsonReader;
import io.gridmap.server.web.Params;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;

/**
 * A batch of positions as posted to {@code POST /live/positions}: a GeoJSON FeatureCollection of
 * Point features, each the position of one force. Parsing checks everything that does not depend on
 * the map's current state (shape, numbers, bounds, clock); who may move which force and whether a
 * position is newer than the force's is decided later, by {@link PositionPlan}, against the current
 * index.
 *
 * <p>Every refusal is a 400 (413 for too many positions) whose detail names the feature by its
 * index in {@code features}, quotes the bad value and says what is accepted: a gateway can find the
 * one bad position among thousands.
 *
 * @param positions in the order posted
 */
public record PositionBatch(List<Position> positions) {
  /**
   * The most positions in one batch: ~700 KB of GeoJSON, inside the default body limit of 1 MiB.
   */
  public static final int MAX_POSITIONS = 5_000;

  /** How far in the future a position's time may be: phones' clocks drift. */
  public static final long MAX_FUTURE_MILLIS = 5 * 60_000;

  /**
   * How far outside the city's outline a position may be, in degrees (about 5 km): staff on a job
   * beyond the border.
   */
  public static final double MARGIN_DEGREES = 0.05;

  static final String FORM =
      "a GeoJSON FeatureCollection of 1 to "
          + MAX_POSITIONS
          + " Point features, each with the force's id (\"id\" or properties.force_id), "
          + "WGS84 [lon, lat] coordinates and optional properties on_duty (boolean) and time (RFC 3339)";

  private static final JsonNode NO_PROPERTIES = JsonNodeFactory.instance.objectNode();

  /**
   * One force's position.
   *
   * @param feature index of the feature in the posted collection, for messages
   * @param forceId the force's id
   * @param lon WGS84 longitude
   * @param lat WGS84 latitude
   * @param onDuty the new on-duty flag, or null to keep the force's
   * @param time when the position was taken, epoch milliseconds
   */
  public record Position(
      int feature, long forceId, double lon, double lat, Boolean onDuty, long time) {}

  public PositionBatch {
    positions = List.copyOf(positions);
  }

  /**
   * Parses and checks a posted body.
   *
   * @param body the request body as UTF-8 JSON
   * @param bounds where positions may be (the city's outline with a margin), WGS84 lon/lat
   * @param now the server's clock, epoch milliseconds: the default time and the reference for
   *     "future"
   * @throws ApiException 400 naming the feature, the value and the accepted form; 413 for too many
   */
  public static PositionBatch parse(byte[] body, Envelope bounds, long now) {
    return parse(body, bounds, now, ChinaCoordinates.Datum.WGS84);
  }

  /**
   * As {@link #parse(byte[], Envelope, long)}, for coordinates in {@code datum} (a phone's GCJ-02
   * or BD-09, declared by the request's {@code Content-Crs}): converted to WGS84 before the bounds
   * are checked.
   */
  public static PositionBatch parse(
      byte[] body, Envelope bounds, long now, ChinaCoordinates.Datum datum) {
    JsonNode root = GeoJsonReader.object(body, FORM);
    ArrayNode features = GeoJsonReader.features(root, FORM);
    if (features.size() > MAX_POSITIONS) {
      throw new ApiException(
          413,
          "Content Too Large",
          "body features has "
              + features.size()
              + " positions, more than the "
              + MAX_POSITIONS
              + " a batch may hold; split it into batches of at most "
              + MAX_POSITIONS);
    }
    GeoJsonReader.Bounds city = new GeoJsonReader.Bounds(bounds, "the city");
    List<Position> out = new ArrayList<>(features.size());
    for (int i = 0; i < features.size(); i++) {
      out.add(position(i, features.get(i), city, now, datum));
    }
    return new PositionBatch(out);
  }

  private static Position position(
      int i, JsonNode f, GeoJsonReader.Bounds city, long now, ChinaCoordinates.Datum datum) {
    String at = "features[" + i + "]";
    GeoJsonReader.feature(f, at, FORM);
    JsonNode props = f.get("properties");
    if (props != null && !props.isNull() && !props.isObject()) {
      throw GeoJsonReader.bad(
          at + ".properties",
          props,
          "is not an object",
          "an object with optional force_id, on_duty and time");
    }
    if (props == null || props.isNull()) {
      props = NO_PROPERTIES;
    }
    long id = forceId(at, f.get("id"), props.get("force_id"));
    Coordinate c;
    if (datum == ChinaCoordinates.Datum.WGS84) {
      c = GeoJsonReader.point(f.get("geometry"), at + ".geometry", city);
    } else {
      // offset by up to about a kilometre: convert first, then hold the point to the city
      c = GeoJsonReader.point(f.get("geometry"), at + ".geometry", GeoJsonReader.Bounds.WGS84);
      ChinaCoordinates.LonLat w = ChinaCoordinates.toWgs84(datum, c.x, c.y);
      c = new Coordinate(w.lon(), w.lat());
      if (!city.envelope().contains(c)) {
        throw ApiException.badRequest(
            at
                + ".geometry is ["
                + w.lon()
                + ", "
                + w.lat()
                + "] in WGS84 once converted from "
                + datum.name()
                + ", outside "
                + city.name()
                + "; expected a position inside it");
      }
    }
    double lon = c.x;
    double lat = c.y;

    JsonNode duty = props.get("on_duty");
    Boolean onDuty = null;
    if (duty != null && !duty.isNull()) {
      if (!duty.isBoolean()) {
        throw GeoJsonReader.invalid(
            at + ".properties.on_duty",
            duty,
            "true or false (or leave it out to keep the force's)");
      }
      onDuty = duty.booleanValue();
    }

    JsonNode t = props.get("time");
    long time = now;
    if (t != null && !t.isNull()) {
      String form =
          "an RFC 3339 date-time with an offset, e.g. 2026-11-24T08:30:00+08:00 or 2026-11-24T00:30:00Z, at most 5 minutes ahead of the server's clock ("
              + Instant.ofEpochMilli(now)
              + ")";
      if (!t.isTextual()) {
        throw GeoJsonReader.invalid(at + ".properties.time", t, form);
      }
      try {
        time =
            OffsetDateTime.parse(t.asText().strip().toUpperCase(Locale.ROOT).replace(' ', 'T'))
                .toInstant()
                .toEpochMilli();
      } catch (DateTimeParseException | ArithmeticException e) {
        throw ApiException.badRequest(
            at + ".properties.time=" + Params.quote(t.asText()) + " is invalid; expected " + form);
      }
      if (time > now + MAX_FUTURE_MILLIS) {
        throw ApiException.badRequest(
            at
                + ".properties.time="
                + Params.quote(t.asText())
                + " is in the future; expected "
                + form);
      }
    }
    return new Position(i, id, lon, lat, onDuty, time);
  }

  /**
   * The force id from the feature's id or properties.force_id: an integer, or a string of digits
   * (ids are below 2^52 and exact as JavaScript numbers; strings are accepted all the same).
   */
  private static long forceId(String at, JsonNode id, JsonNode forceId) {
    Long a = id == null || id.isNull() ? null : idValue(at + ".id", id);
    Long b =
        forceId == null || forceId.isNull() ? null : idValue(at + ".properties.force_id", forceId);
    if (a == null && b == null) {
      throw ApiException.badRequest(
          at
              + " has no force id; expected the force's id as the feature's \"id\" or as properties.force_id");
    }
    if (a != null && b != null && !a.equals(b)) {
      throw ApiException.badRequest(
          at
              + ".id="
              + a
              + " and properties.force_id="
              + b
              + " disagree; expected one force id (give either, or both the same)");
    }
    return a != null ? a : b;
  }

  private static Long idValue(String name, JsonNode v) {
    return GeoJsonReader.positiveId(v, name, "a force id");
  }
}
