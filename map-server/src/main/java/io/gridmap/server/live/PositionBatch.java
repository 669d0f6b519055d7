package io.gridmap.server.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridmap.server.web.ApiException;
import io.gridmap.server.web.Params;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

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
    if (body == null || body.length == 0) {
      throw ApiException.badRequest("the request body is empty; expected " + FORM);
    }
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " at line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr();
      throw ApiException.badRequest(
          "the body is not JSON" + where + " (" + e.getOriginalMessage() + "); expected " + FORM);
    } catch (IOException e) {
      throw ApiException.badRequest(
          "the body cannot be read as JSON (" + e.getMessage() + "); expected " + FORM);
    }
    if (root == null || !root.isObject()) {
      throw ApiException.badRequest(
          "the body "
              + Params.quote(String.valueOf(root))
              + " is not a JSON object; expected "
              + FORM);
    }
    if (!"FeatureCollection".equals(root.path("type").asText(null))) {
      throw ApiException.badRequest(
          "body type="
              + Params.quote(root.path("type").toString())
              + " is invalid; expected "
              + FORM);
    }
    JsonNode features = root.get("features");
    if (features == null || !features.isArray()) {
      throw ApiException.badRequest(
          "body features="
              + Params.quote(String.valueOf(features))
              + " is not an array; expected "
              + FORM);
    }
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
    if (features.isEmpty()) {
      throw ApiException.badRequest("body features is empty; expected " + FORM);
    }
    List<Position> out = new ArrayList<>(features.size());
    for (int i = 0; i < features.size(); i++) {
      out.add(position(i, features.get(i), bounds, now));
    }
    return new PositionBatch(out);
  }

  private static Position position(int i, JsonNode f, Envelope bounds, long now) {
    String at = "features[" + i + "]";
    if (!f.isObject() || !"Feature".equals(f.path("type").asText(null))) {
      throw ApiException.badRequest(
          at + "=" + Params.quote(f.toString()) + " is not a GeoJSON Feature; expected " + FORM);
    }
    JsonNode props = f.get("properties");
    if (props != null && !props.isNull() && !props.isObject()) {
      throw ApiException.badRequest(
          at
              + ".properties="
              + Params.quote(props.toString())
              + " is not an object; expected an object with optional force_id, on_duty and time");
    }
    if (props == null || props.isNull()) {
      props = JSON.createObjectNode();
    }
    long id = forceId(at, f.get("id"), props.get("force_id"));

    JsonNode g = f.get("geometry");
    if (g == null || !g.isObject() || !"Point".equals(g.path("type").asText(null))) {
      throw ApiException.badRequest(
          at
              + ".geometry="
              + Params.quote(String.valueOf(g))
              + " is not a GeoJSON Point; expected {\"type\": \"Point\", \"coordinates\": [lon, lat]}");
    }
    JsonNode c = g.get("coordinates");
    if (c == null
        || !c.isArray()
        || c.size() < 2
        || c.size() > 3
        || !c.get(0).isNumber()
        || !c.get(1).isNumber()
        || (c.size() == 3 && !c.get(2).isNumber())) {
      throw ApiException.badRequest(
          at
              + ".geometry.coordinates="
              + Params.quote(String.valueOf(c))
              + " is invalid; expected [lon, lat] in WGS84 degrees (an altitude third is ignored)");
    }
    double lon = c.get(0).doubleValue();
    double lat = c.get(1).doubleValue();
    if (!Double.isFinite(lon) || !Double.isFinite(lat) || !bounds.contains(lon, lat)) {
      // the numbers as read (1e400 reads as Infinity), not re-encoded JSON, which would quote a
      // non-finite number
      String read = "[" + c.get(0).asText() + "," + c.get(1).asText() + "]";
      throw ApiException.badRequest(
          at
              + ".geometry.coordinates="
              + Params.quote(read)
              + " is outside the city; expected [lon, lat] in WGS84 degrees within lon "
              + degrees(bounds.getMinX())
              + ".."
              + degrees(bounds.getMaxX())
              + ", lat "
              + degrees(bounds.getMinY())
              + ".."
              + degrees(bounds.getMaxY()));
    }

    JsonNode duty = props.get("on_duty");
    Boolean onDuty = null;
    if (duty != null && !duty.isNull()) {
      if (!duty.isBoolean()) {
        throw ApiException.badRequest(
            at
                + ".properties.on_duty="
                + Params.quote(duty.toString())
                + " is invalid; expected true or false (or leave it out to keep the force's)");
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
        throw ApiException.badRequest(
            at
                + ".properties.time="
                + Params.quote(t.toString())
                + " is invalid; expected "
                + form);
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
   * A bound for a message: six decimals (about 10 cm), without the float noise of the margin
   * arithmetic.
   */
  private static String degrees(double d) {
    return java.math.BigDecimal.valueOf(d)
        .setScale(6, java.math.RoundingMode.HALF_UP)
        .stripTrailingZeros()
        .toPlainString();
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
    String form = "a force id: a positive integer, as a JSON number or a string of digits";
    if (v.isIntegralNumber() && v.canConvertToLong() && v.longValue() > 0) {
      return v.longValue();
    }
    if (v.isTextual() && v.asText().matches("[0-9]{1,18}")) {
      long n = Long.parseLong(v.asText());
      if (n > 0) {
        return n;
      }
    }
    throw ApiException.badRequest(
        name + "=" + Params.quote(v.toString()) + " is invalid; expected " + form);
  }
}
