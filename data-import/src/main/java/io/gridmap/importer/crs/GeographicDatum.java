package io.gridmap.importer.crs;

import io.gridmap.layers.geo.ChinaCoordinates;
import java.util.OptionalInt;

/** The datums longitude/latitude data may be given in. */
public enum GeographicDatum {
  WGS84(4326, "WGS 84"),
  CGCS2000(4490, "China Geodetic Coordinate System 2000"),
  GCJ02(0, "gcj02"),
  BD09(0, "bd09");

  private final int epsg;
  private final String crsName;

  GeographicDatum(int epsg, String crsName) {
    this.epsg = epsg;
    this.crsName = crsName;
  }

  /** The EPSG code of the geographic CRS, empty for the offset datums. */
  OptionalInt epsg() {
    return epsg == 0 ? OptionalInt.empty() : OptionalInt.of(epsg);
  }

  String crsName() {
    return crsName;
  }

  /**
   * The datum as the shared conversion knows it. CGCS2000 is WGS84 there: the two differ by well
   * under a metre (see {@link CrsTransform}), less than the GCJ-02 formulas' own error.
   */
  ChinaCoordinates.Datum chinaDatum() {
    return switch (this) {
      case WGS84, CGCS2000 -> ChinaCoordinates.Datum.WGS84;
      case GCJ02 -> ChinaCoordinates.Datum.GCJ02;
      case BD09 -> ChinaCoordinates.Datum.BD09;
    };
  }
}
