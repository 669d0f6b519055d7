package io.gridmap.layers.query.cql2;

import java.util.Locale;

/**
 * The CQL2 spatial predicates (Basic Spatial Functions plus the full set of Spatial Functions),
 * each with its DE-9IM meaning as implemented by JTS and by PostGIS's function of the same name.
 */
public enum SpatialOperator {
  S_INTERSECTS("ST_Intersects"),
  S_EQUALS("ST_Equals"),
  S_DISJOINT("ST_Disjoint"),
  S_TOUCHES("ST_Touches"),
  S_WITHIN("ST_Within"),
  S_OVERLAPS("ST_Overlaps"),
  S_CROSSES("ST_Crosses"),
  S_CONTAINS("ST_Contains");

  private final String postgisFunction;

  SpatialOperator(String postgisFunction) {
    this.postgisFunction = postgisFunction;
  }

  /** The name in cql2-text, e.g. {@code S_INTERSECTS}. */
  public String textName() {
    return name();
  }

  /** The name in cql2-json, e.g. {@code s_intersects}. */
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The PostGIS function, a constant of this class (never user text). */
  public String postgisFunction() {
    return postgisFunction;
  }

  /**
   * The operator with its arguments swapped: within and contains trade places, the rest are
   * symmetric.
   */
  public SpatialOperator converse() {
    if (this == S_WITHIN) {
      return S_CONTAINS;
    }
    if (this == S_CONTAINS) {
      return S_WITHIN;
    }
    return this;
  }

  /** True when the predicate can only hold if the two geometries' envelopes intersect. */
  public boolean impliesEnvelopeIntersection() {
    return this != S_DISJOINT;
  }

  /** The operator for a name in either encoding (case-insensitive), or null. */
  public static SpatialOperator ofName(String name) {
    for (SpatialOperator op : values()) {
      if (op.name().equalsIgnoreCase(name)) {
        return op;
      }
    }
    return null;
  }
}
