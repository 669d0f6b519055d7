package io.gridmap.layers.model;

/**
 * The type of an attribute, and the Java type its values have in memory.
 *
 * <p>Timestamps are held as epoch milliseconds ({@link Long}) so that features stay small and
 * comparisons cheap; stores convert them to their own date-time type.
 */
public enum FieldType {
  STRING(String.class),
  INTEGER(Long.class),
  REAL(Double.class),
  BOOLEAN(Boolean.class),
  /** Epoch milliseconds, UTC. */
  TIMESTAMP(Long.class);

  private final Class<?> javaType;

  FieldType(Class<?> javaType) {
    this.javaType = javaType;
  }

  public Class<?> javaType() {
    return javaType;
  }
}
