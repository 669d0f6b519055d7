package io.gridmap.importer.clean;

import java.util.Objects;
import org.locationtech.jts.geom.Geometry;

/**
 * A cleaned district: valid, on {@link io.gridmap.importer.geo.FixedGrid}, sharing identical
 * vertices with its neighbours.
 *
 * @param code GB/T 2260 code, 6 digits
 * @param name current official name
 * @param geometry Polygon or MultiPolygon in WGS84 lon/lat
 */
public record District(String code, String name, Geometry geometry) {
  public District {
    Objects.requireNonNull(geometry, "geometry");
    if (code == null || !code.matches("\\d{6}")) {
      throw new IllegalArgumentException("district code must be 6 digits, got " + code);
    }
  }

  public boolean mainUrban() {
    return DistrictCodes.MAIN_URBAN.contains(code);
  }
}
