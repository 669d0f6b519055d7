package io.gridmap.server.incidents;

import io.gridmap.layers.model.Coded;
import java.util.Locale;
import java.util.Optional;

/**
 * What a caller asks of an incident: the body's {@code action} of {@code POST
 * /collections/events/items/{id}/transitions}. Most move the incident to another state ({@link
 * Lifecycle}); pin, unpin and acknowledge change how screens show it and keep its state.
 */
public enum Action implements Coded {
  DISPATCH,
  ACCEPT,
  ARRIVE,
  RESOLVE,
  VERIFY,
  CLOSE,
  ESCALATE,
  RETURN,
  REJECT,
  PIN,
  UNPIN,
  ACKNOWLEDGE;

  @Override
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Action> ofCode(String code) {
    return Coded.byCode(Action.class, code);
  }

  /** All codes, for messages. */
  public static String codes() {
    StringBuilder sb = new StringBuilder();
    for (Action a : values()) {
      sb.append(sb.length() == 0 ? "" : ", ").append(a.code());
    }
    return sb.toString();
  }
}
