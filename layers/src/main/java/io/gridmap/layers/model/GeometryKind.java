package io.gridmap.layers.model;

/** The geometry a layer holds; every feature of a layer has the same kind. */
public enum GeometryKind {
  /** Polygon or MultiPolygon. */
  POLYGON,
  /** Point. */
  POINT
}
