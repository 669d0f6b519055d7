package io.gridmap.importer.read;

import java.util.Map;
import java.util.Objects;
import org.locationtech.jts.geom.Geometry;

/**
 * One feature as a source file holds it, before any conversion: the geometry in the file's own
 * coordinates (x = longitude or easting, y = latitude or northing: traditional GIS order, see
 * {@code CrsTransform}), and the attributes under the file's own column names.
 *
 * @param geometry the geometry; null when the feature has none (a GeoJSON {@code "geometry": null},
 *     a Shapefile null shape, an empty CSV cell): the importer reports it, the reader does not
 * @param attributes column name to value, in the file's column order: {@code String}, {@code Long},
 *     {@code Double}, {@code Boolean} or null, as the file types them (a CSV's are all strings)
 * @param where names the feature in messages with its file: {@code "grids.geojson feature 12 (line
 *     3401, column 17)"}, {@code "sites.csv line 40001"}, {@code "grids.shp record 17"}
 */
public record SourceFeature(Geometry geometry, Map<String, Object> attributes, String where) {
  public SourceFeature {
    Objects.requireNonNull(attributes, "attributes");
    Objects.requireNonNull(where, "where");
  }
}
