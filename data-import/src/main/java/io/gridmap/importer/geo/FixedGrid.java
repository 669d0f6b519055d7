package io.gridmap.importer.geo;

import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.PrecisionModel;

/**
 * The one precision grid every generated or cleaned polygon lives on: 1e-7 degrees, about 1 cm on
 * the ground at Chongqing's latitude. Neighbours that round the same coordinate get the same
 * vertex, which is what lets {@code CoverageValidator} match their shared edges exactly.
 */
public final class FixedGrid {
  private FixedGrid() {}

  /** Scale 1e7: coordinates are multiples of 1e-7 degrees. */
  public static final PrecisionModel PRECISION = new PrecisionModel(1e7);

  /** Factory whose geometries carry {@link #PRECISION}. */
  public static final GeometryFactory FACTORY = new GeometryFactory(PRECISION);

  /** A new coordinate rounded to the grid. */
  public static Coordinate round(Coordinate c) {
    return new Coordinate(PRECISION.makePrecise(c.x), PRECISION.makePrecise(c.y));
  }
}
