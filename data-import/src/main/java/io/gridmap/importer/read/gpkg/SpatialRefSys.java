package io.gridmap.importer.read.gpkg;

import io.gridmap.importer.crs.SourceCrs;
import io.gridmap.importer.read.ImportException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * A table's {@code srs_id} as the CRS an import converts from, through {@code
 * gpkg_spatial_ref_sys}: its EPSG code first ({@code organization} 'EPSG', {@code
 * organization_coordsys_id} n), its WKT {@code definition} when the code is not one {@link
 * SourceCrs#parse} knows (a writer's own numbering, an ESRI code).
 */
final class SpatialRefSys {
  /** GeoPackage 1.3 clause 1.1.2.1.2: undefined Cartesian (-1) and geographic (0) systems. */
  private static final int UNDEFINED_CARTESIAN = -1;

  private static final int UNDEFINED_GEOGRAPHIC = 0;

  private final Path file;
  private final String where;

  SpatialRefSys(Path file, String where) {
    this.file = file;
    this.where = where;
  }

  /**
   * The CRS of {@code srsId}; empty for the undefined systems, which declare nothing.
   *
   * @throws ImportException for an srs_id missing from gpkg_spatial_ref_sys or one we do not
   *     convert
   */
  Optional<SourceCrs> crs(Connection connection, int srsId) throws SQLException {
    if (srsId == UNDEFINED_CARTESIAN || srsId == UNDEFINED_GEOGRAPHIC) {
      return Optional.empty();
    }
    if (srsId == 4326) {
      // required in every GeoPackage as WGS 84, whatever its row says
      return Optional.of(SourceCrs.WGS84);
    }
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys"
                + " WHERE srs_id = ?")) {
      ps.setInt(1, srsId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new ImportException(
              file,
              where,
              "the table's srs_id " + srsId + " has no row in gpkg_spatial_ref_sys",
              "pass --crs with the CRS the coordinates are in, or export the layer again");
        }
        String organization = rs.getString(1);
        int code = rs.getInt(2);
        String definition = rs.getString(3);
        if ("EPSG".equalsIgnoreCase(organization)) {
          try {
            return Optional.of(SourceCrs.parse("EPSG:" + code));
          } catch (IllegalArgumentException notAListedCode) {
            // the WKT may still match one we convert under another code, as a .prj would
          }
        }
        try {
          return Optional.of(SourceCrs.fromPrj(definition == null ? "" : definition));
        } catch (IllegalArgumentException e) {
          throw new ImportException(
              file,
              where,
              "srs_id " + srsId + " (" + organization + " " + code + "): " + e.getMessage(),
              "");
        }
      }
    }
  }
}
