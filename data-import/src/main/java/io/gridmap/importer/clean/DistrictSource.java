package io.gridmap.importer.clean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.geojson.GeoJsonReader;

/** Reads district outlines from a GeoJSON FeatureCollection whose features carry a {@code name}. */
public final class DistrictSource {
  /** The outlines shipped with this module (see the README beside the file). */
  public static final String BUNDLED = "chongqing-districts.geojson";

  private DistrictSource() {}

  /** The bundled Chongqing outlines: 38 districts, raw (not yet cleaned). */
  public static List<RawDistrict> bundled() {
    try (InputStream in =
        DistrictSource.class.getResourceAsStream("/io/gridmap/importer/" + BUNDLED)) {
      if (in == null) {
        throw new IllegalStateException(BUNDLED + ": resource not found on the class path");
      }
      return read(in, BUNDLED);
    } catch (IOException e) {
      throw new UncheckedIOException(BUNDLED + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads a FeatureCollection.
   *
   * @param fileName named in every error message
   * @throws IllegalArgumentException naming the file, the feature and the problem
   */
  public static List<RawDistrict> read(InputStream in, String fileName) throws IOException {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new IllegalArgumentException(fileName + ": not JSON: " + e.getMessage(), e);
    }
    if (root == null || !"FeatureCollection".equals(root.path("type").asText())) {
      throw new IllegalArgumentException(
          fileName
              + ": expected a GeoJSON FeatureCollection but found type '"
              + (root == null ? "" : root.path("type").asText())
              + "'");
    }
    GeoJsonReader reader = new GeoJsonReader();
    List<RawDistrict> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    JsonNode features = root.path("features");
    for (int i = 0; i < features.size(); i++) {
      JsonNode f = features.get(i);
      String where = fileName + ": feature " + i;
      String name = f.path("properties").path("name").asText("");
      if (name.isEmpty()) {
        throw new IllegalArgumentException(
            where + ": expected a string property 'name' but found none");
      }
      DistrictCodes.Entry entry =
          DistrictCodes.bySourceName(name)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          where + ": unknown district name '" + name + "'"));
      if (!seen.add(entry.code())) {
        throw new IllegalArgumentException(where + ": district '" + name + "' appears twice");
      }
      Geometry g;
      try {
        g = reader.read(f.path("geometry").toString());
      } catch (ParseException | RuntimeException e) {
        throw new IllegalArgumentException(
            where + " (" + name + "): bad geometry: " + e.getMessage(), e);
      }
      if (g.getDimension() != 2 || g.isEmpty()) {
        throw new IllegalArgumentException(
            where
                + " ("
                + name
                + "): expected a Polygon or MultiPolygon but found "
                + g.getGeometryType());
      }
      out.add(new RawDistrict(entry.code(), entry.name(), name, g));
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(fileName + ": expected district features but found none");
    }
    return out;
  }
}
