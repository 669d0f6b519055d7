package io.gridmap.server.devices;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridmap.layers.geo.ChinaCoordinates;
import io.gridmap.layers.geo.ChinaCoordinates.Datum;
import io.gridmap.layers.geo.ChinaCoordinates.LonLat;
import io.gridmap.server.devices.DeviceMessage.Kind;
import io.gridmap.server.web.ApiException;
import io.gridmap.server.web.GeoJsonReader;
import io.gridmap.server.web.Params;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads a device message from its topic ({@link DeviceTopics}) and JSON payload, strictly: a member
 * of the wrong type or out of range is refused with a {@link DeviceMessageException} that names it.
 * Members it does not know are ignored, so that a gateway that adds one (a signal strength, a
 * firmware version) does not lose alarms; an incompatible change takes a new topic version ({@code
 * gridmap/v2}). The payload scheme is in docs/devices.md.
 */
public final class DeviceMessageParser {
  /** The largest payload read, in bytes: an alarm is about 150 bytes. */
  public static final int MAX_PAYLOAD_BYTES = 16 * 1024;

  /**
   * How far ahead of the server's clock a message's time may be (as for positions over HTTP).
   * Beyond it a position is refused (it would hide the device's real later positions); an alarm is
   * taken, dated when it was received, because losing a fall to a wrong clock is worse.
   */
  public static final Duration MAX_FUTURE = Duration.ofMinutes(5);

  /** Highest heart rate a wristband reports, beats per minute. */
  public static final double MAX_HEART_RATE = 300;

  static final Pattern MSG_ID = Pattern.compile("[\\x21-\\x7e]{1,64}");
  private static final Pattern TIMESTAMP =
      Pattern.compile(
          "\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})");

  static final String ALARM_KINDS =
      Arrays.stream(Kind.values())
          .filter(Kind::isAlarm)
          .map(Kind::wireName)
          .collect(Collectors.joining(", "));

  private final DeviceTopics topics;

  public DeviceMessageParser(DeviceTopics topics) {
    this.topics = topics;
  }

  public DeviceTopics topics() {
    return topics;
  }

  /**
   * The message, or the first reason it cannot be read.
   *
   * @param received the server's clock when it arrived: the default time and the reference for
   *     {@link #MAX_FUTURE}
   */
  public DeviceMessage parse(String topic, byte[] payload, Instant received)
      throws DeviceMessageException {
    DeviceTopics.Parsed t = topics.parse(topic);
    JsonNode o = payload(payload, t.alarm());

    String msgId = msgId(o.get("msg_id"));
    Kind kind = kind(o.get("kind"), t.alarm());

    Datum crs = Datum.WGS84;
    JsonNode c = o.get("crs");
    if (present(c)) {
      if (!c.isTextual()) {
        throw bad("crs", c, "is not a string", "wgs84 (the default), gcj02 or bd09");
      }
      try {
        crs = Datum.parse(c.textValue());
      } catch (IllegalArgumentException e) {
        throw new DeviceMessageException("crs", "crs=" + shown(c) + " " + e.getMessage());
      }
    }
    LonLat position = position(o.get("lon"), o.get("lat"), crs, kind);

    Instant time = received;
    JsonNode tn = o.get("time");
    if (present(tn)) {
      time = time(tn, received);
      if (time.isAfter(received.plus(MAX_FUTURE))) {
        if (!kind.isAlarm()) {
          throw bad(
              "time",
              tn,
              "is more than " + MAX_FUTURE.toMinutes() + " minutes ahead of the server's clock",
              "a time at most " + MAX_FUTURE.toMinutes() + " minutes after " + received);
        }
        time = received;
      }
    }

    Double value = number(o.get("value"), "value", -Double.MAX_VALUE, Double.MAX_VALUE);
    if (kind == Kind.HEART_RATE) {
      if (value == null) {
        throw bad(
            "value", o.get("value"), "is required", "the heart rate in beats per minute, 0 to 300");
      }
      if (value < 0 || value > MAX_HEART_RATE) {
        throw bad(
            "value",
            o.get("value"),
            "is out of range",
            "the heart rate in beats per minute, 0 to 300");
      }
    } else if (kind == Kind.SMOKE && value != null && value < 0) {
      throw bad("value", o.get("value"), "is negative", "the smoke obscuration, % per metre, >= 0");
    }
    Double battery = number(o.get("battery"), "battery", 0, 100);
    return new DeviceMessage(
        topic, t.deviceId(), kind, msgId, time, received, value, position, crs, battery);
  }

  private static JsonNode payload(byte[] payload, boolean alarm) throws DeviceMessageException {
    String form =
        alarm
            ? "a JSON object with msg_id, kind and optional time, value, lon, lat, crs, battery"
            : "a JSON object with msg_id, lon, lat and optional time, crs, battery";
    if (payload != null && payload.length > MAX_PAYLOAD_BYTES) {
      throw new DeviceMessageException(
          "payload",
          "the payload has "
              + payload.length
              + " bytes, more than the "
              + MAX_PAYLOAD_BYTES
              + " accepted; expected "
              + form);
    }
    try {
      return GeoJsonReader.object(payload == null ? new byte[0] : payload, form);
    } catch (ApiException e) {
      // the one strict JSON reader (UTF-8, one value, no repeated member, where it stopped) speaks
      // of request bodies
      throw new DeviceMessageException(
          "payload", e.getMessage().replace("the request body", "the payload"));
    }
  }

  private static String msgId(JsonNode v) throws DeviceMessageException {
    String form =
        "a string of 1 to 64 printable ASCII characters without spaces, unique per device";
    if (!present(v)) {
      throw bad("msg_id", v, "is required", form);
    }
    if (!v.isTextual() || !MSG_ID.matcher(v.textValue()).matches()) {
      throw bad("msg_id", v, "is invalid", form);
    }
    return v.textValue();
  }

  private static Kind kind(JsonNode v, boolean alarm) throws DeviceMessageException {
    if (!alarm) {
      // a position's topic says what it is; a kind, if given, must agree
      if (present(v) && !(v.isTextual() && v.textValue().equals(Kind.POSITION.wireName()))) {
        throw bad(
            "kind", v, "is not a position's", "no kind, or \"position\", on a position topic");
      }
      return Kind.POSITION;
    }
    String form = "one of " + ALARM_KINDS;
    if (!present(v)) {
      throw bad("kind", v, "is required", form);
    }
    if (v.isTextual()) {
      String s = v.textValue();
      for (Kind k : Kind.values()) {
        if (k.isAlarm() && k.wireName().equals(s)) {
          return k;
        }
      }
      if (s.equals(Kind.POSITION.wireName())) {
        throw bad("kind", v, "is not an alarm", form + "; positions go to the position topic");
      }
    }
    throw bad("kind", v, "is invalid", form);
  }

  private static LonLat position(JsonNode lon, JsonNode lat, Datum crs, Kind kind)
      throws DeviceMessageException {
    if (!present(lon) && !present(lat)) {
      if (kind == Kind.POSITION) {
        throw bad("lon", lon, "is required", "longitude and latitude, in degrees");
      }
      return null;
    }
    if (!present(lon) || !present(lat)) {
      String missing = present(lon) ? "lat" : "lon";
      throw bad(
          missing, present(lon) ? lat : lon, "is required", "lon and lat together, or neither");
    }
    Double x = number(lon, "lon", -180, 180);
    Double y = number(lat, "lat", -90, 90);
    if (crs == Datum.WGS84) {
      return new LonLat(x, y);
    }
    return ChinaCoordinates.toWgs84(crs, x, y);
  }

  private static Instant time(JsonNode v, Instant received) throws DeviceMessageException {
    String form = "an RFC 3339 date-time with an offset, e.g. 2026-11-24T08:30:00+08:00";
    if (!v.isTextual() || !TIMESTAMP.matcher(v.textValue()).matches()) {
      throw bad("time", v, "is invalid", form);
    }
    try {
      return OffsetDateTime.parse(v.textValue().toUpperCase(Locale.ROOT)).toInstant();
    } catch (DateTimeException e) {
      throw bad("time", v, "is no real date and time", form);
    }
  }

  /** A finite JSON number in [min, max], or null when absent. */
  private static Double number(JsonNode v, String field, double min, double max)
      throws DeviceMessageException {
    if (!present(v)) {
      return null;
    }
    String form =
        min == -Double.MAX_VALUE
            ? "a finite number"
            : "a number from " + num(min) + " to " + num(max);
    if (!v.isNumber()) {
      throw bad(field, v, "is not a number", form);
    }
    double d = v.doubleValue();
    if (!Double.isFinite(d) || d < min || d > max) {
      throw bad(field, v, "is out of range", form);
    }
    return d;
  }

  private static String num(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  /** Present: given and not JSON null (null is taken as absent, as many encoders write it). */
  private static boolean present(JsonNode v) {
    return v != null && !v.isMissingNode() && !v.isNull();
  }

  private static DeviceMessageException bad(
      String field, JsonNode value, String problem, String accepted) {
    return new DeviceMessageException(
        field, field + "=" + shown(value) + " " + problem + "; expected " + accepted);
  }

  private static String shown(JsonNode v) {
    return v == null || v.isMissingNode() ? "(missing)" : Params.quote(v.toString());
  }
}
