package io.gridmap.layers.model;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** A value of a vocabulary with a snake_case code, as it appears in attributes, tokens and URLs. */
public interface Coded {
  String code();

  /** The constant of {@code type} whose code is {@code code}, if any. */
  @SuppressWarnings("unchecked")
  static <E extends Enum<E> & Coded> Optional<E> byCode(Class<E> type, String code) {
    // a map per vocabulary, made once: getEnumConstants() copies the array on every call, and
    // this is asked for every incident a sweep or a tile reads
    return code == null
        ? Optional.empty()
        : Optional.ofNullable((E) Codes.BY_TYPE.get(type).get(code));
  }

  /** The codes of each vocabulary, made the first time one is looked up. */
  final class Codes {
    private Codes() {}

    static final ClassValue<Map<String, Object>> BY_TYPE =
        new ClassValue<>() {
          @Override
          protected Map<String, Object> computeValue(Class<?> type) {
            Map<String, Object> byCode = new HashMap<>();
            for (Object e : type.getEnumConstants()) {
              byCode.putIfAbsent(((Coded) e).code(), e);
            }
            return Map.copyOf(byCode);
          }
        };
  }
}
