package io.gridmap.server.devices;

import io.gridmap.server.web.Params;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The topic scheme: {@code {prefix}/devices/{device_id}/alarm} and {@code
 * {prefix}/devices/{device_id}/position}, the prefix {@code gridmap/v1} by default ({@code
 * mqtt_topic_prefix}). The device is named by the topic, not the payload, so that a broker's access
 * rules (Mosquitto's {@code pattern write gridmap/v1/devices/%c/#}) can bind a device's credentials
 * to its own topics.
 *
 * @param prefix topic levels before {@code devices}, checked by the config
 */
public record DeviceTopics(String prefix) {
  public static final String ALARM = "alarm";
  public static final String POSITION = "position";

  /** Device ids: one topic level, safe in logs and keys. */
  public static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  static final String DEVICE_ID_FORM = "1 to 64 of A-Z a-z 0-9 . _ -";

  /** The subscriptions: one filter per message type. */
  public List<String> filters() {
    return List.of(base() + "+/" + ALARM, base() + "+/" + POSITION);
  }

  /** The topic a device publishes its alarms on. */
  public String alarm(String deviceId) {
    return base() + deviceId + "/" + ALARM;
  }

  /** The topic a device publishes its positions on. */
  public String position(String deviceId) {
    return base() + deviceId + "/" + POSITION;
  }

  private String base() {
    return prefix + "/devices/";
  }

  /** A topic read: the device and whether it carries an alarm or a position. */
  public record Parsed(String deviceId, boolean alarm) {}

  /**
   * The device and type a topic names.
   *
   * @throws DeviceMessageException (field {@code topic}) when it is not one of the scheme's topics
   *     or its device id breaks {@link #DEVICE_ID}
   */
  public Parsed parse(String topic) throws DeviceMessageException {
    String base = base();
    String form = base + "{device_id}/alarm or " + base + "{device_id}/position";
    if (topic == null || !topic.startsWith(base)) {
      throw new DeviceMessageException(
          "topic", "topic=" + shown(topic) + " is not a device topic; expected " + form);
    }
    String rest = topic.substring(base.length());
    int slash = rest.indexOf('/');
    String type = slash < 0 ? "" : rest.substring(slash + 1);
    if (slash < 0 || !(type.equals(ALARM) || type.equals(POSITION))) {
      throw new DeviceMessageException(
          "topic", "topic=" + shown(topic) + " is not a device topic; expected " + form);
    }
    String deviceId = rest.substring(0, slash);
    if (!DEVICE_ID.matcher(deviceId).matches()) {
      // the subscription's + matches any level, so the broker delivers ids we cannot take
      throw new DeviceMessageException(
          "device_id",
          "device_id="
              + Params.quote(deviceId)
              + " (in topic "
              + Params.quote(topic)
              + ") is invalid; expected "
              + DEVICE_ID_FORM);
    }
    return new Parsed(deviceId, type.equals(ALARM));
  }

  private static String shown(String s) {
    return s == null ? "(missing)" : Params.quote(s);
  }
}
