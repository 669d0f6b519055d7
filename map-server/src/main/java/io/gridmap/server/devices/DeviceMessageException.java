package io.gridmap.server.devices;

/**
 * A device message that cannot be read: its topic or payload breaks the scheme of docs/devices.md.
 * The message names the field, quotes the bad value and says what is accepted, in the form {@code
 * field='value' problem; expected form}, like a 400's detail over HTTP.
 */
public final class DeviceMessageException extends Exception {
  private final String field;

  /**
   * @param field the member at fault ({@code msg_id}, {@code lat}), {@code topic}, or {@code
   *     payload} for the payload as a whole
   */
  public DeviceMessageException(String field, String message) {
    super(message, null, false, false);
    this.field = field;
  }

  /** The member at fault, {@code topic}, or {@code payload}. */
  public String field() {
    return field;
  }
}
