package io.gridmap.server.devices;

import io.gridmap.layers.geo.ChinaCoordinates.Datum;
import io.gridmap.layers.geo.ChinaCoordinates.LonLat;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One well-formed message from a device (a wristband, a smoke detector), as {@link
 * DeviceMessageParser} read it from its topic and JSON payload. The scheme is in docs/devices.md.
 *
 * @param topic the MQTT topic it came on, for logs
 * @param deviceId the device, from the topic
 * @param kind what happened: an alarm's kind, or {@link Kind#POSITION}
 * @param msgId the device's id of this message, unique per device: a retry or a redelivery repeats
 *     it (MQTT packet ids are reused and cannot serve)
 * @param time when the device says it happened; the time received when it says nothing (and for an
 *     alarm dated more than {@link DeviceMessageParser#MAX_FUTURE} ahead)
 * @param received when the server read it
 * @param value the reading that raised the alarm (heart rate in beats per minute, smoke in % per
 *     metre), or null
 * @param position WGS84 longitude, latitude (converted from {@code crs}), or null: an alarm need
 *     not carry one (the device's registered site locates it); a position always does
 * @param crs the datum the device gave its coordinates in; WGS84 when it named none
 * @param battery battery level in percent, or null
 */
public record DeviceMessage(
    String topic,
    String deviceId,
    Kind kind,
    String msgId,
    Instant time,
    Instant received,
    Double value,
    LonLat position,
    Datum crs,
    Double battery) {

  public DeviceMessage {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(msgId, "msgId");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(received, "received");
    Objects.requireNonNull(crs, "crs");
    if (kind == Kind.POSITION && position == null) {
      throw new IllegalArgumentException("a position message needs a position");
    }
  }

  /**
   * Whether the server dated the message when it read it: the device gave no time, or one too far
   * ahead for an alarm ({@link DeviceMessageParser} then takes {@code received} as its time).
   */
  public boolean datedOnReceipt() {
    return time.equals(received);
  }

  /** What a device reports. The payload names it in lower case ({@code heart_rate}). */
  public enum Kind {
    /** A heart rate out of the wearer's range (a wristband); {@code value} is the rate, bpm. */
    HEART_RATE,
    /** A fall detected (a wristband). */
    FALL,
    /** The wearer pressed the emergency button (a wristband). */
    SOS,
    /** Smoke detected (a smoke detector); {@code value}, if any, is the obscuration, % per m. */
    SMOKE,
    /** The device's battery is nearly empty: it may soon stop reporting. */
    LOW_BATTERY,
    /** Where the device is: topic {@code .../position}, never an alarm. */
    POSITION;

    /** The name in payloads. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public boolean isAlarm() {
      return this != POSITION;
    }
  }

  /** Whether this is an alarm (topic {@code .../alarm}) rather than a position. */
  public boolean isAlarm() {
    return kind.isAlarm();
  }

  /**
   * The key that makes storing this message idempotent: the same device's same {@code msg_id}, sent
   * again or redelivered by the broker, gives the same key. A sink stores it with what it writes
   * (an incident's {@code request_key}) and answers {@link DeviceSink.Outcome#DUPLICATE} when it
   * finds it already stored.
   */
  public String requestKey() {
    return "device:" + deviceId + ":" + msgId;
  }
}
