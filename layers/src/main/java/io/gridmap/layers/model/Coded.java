package io.gridmap.layers.model;

import java.util.Optional;

/** A value of a vocabulary with a snake_case code, as it appears in attributes, tokens and URLs. */
public interface Coded {
  String code();

  /** The constant of {@code type} whose code is {@code code}, if any. */
  static <E extends Enum<E> & Coded> Optional<E> byCode(Class<E> type, String code) {
    for (E e : type.getEnumConstants()) {
      if (e.code().equals(code)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }
}
