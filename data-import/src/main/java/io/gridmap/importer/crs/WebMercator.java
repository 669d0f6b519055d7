package io.gridmap.importer.crs;

import java.util.OptionalInt;

/**
 * Web Mercator, EPSG:3857 (once 900913, and ESRI's 102100
 * "WGS_1984_Web_Mercator_Auxiliary_Sphere"): WGS84 longitude/latitude projected as if the Earth
 * were a sphere of radius 6,378,137 m.
 */
public record WebMercator() implements SourceCrs {
  @Override
  public OptionalInt epsg() {
    return OptionalInt.of(3857);
  }

  @Override
  public String name() {
    return "WGS 84 / Pseudo-Mercator";
  }
}
