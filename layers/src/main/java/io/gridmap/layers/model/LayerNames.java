package io.gridmap.layers.model;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * What an imported layer may be called. The name is the store table, the collection id and the tile
 * source layer at once, so it must be a plain SQL identifier in both stores, and may not take the
 * name of a built-in layer, a tile layer the tiler makes ({@code labels}) or a table either store
 * keeps for itself.
 */
public final class LayerNames {
  private LayerNames() {}

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,39}");

  /** Tables and tile layers that are not layers: both stores' own, the tiler's, SQLite's. */
  private static final Set<String> RESERVED =
      Set.of(
          "labels",
          "audit_log",
          "change_log",
          "dataset_metadata",
          "feature_history",
          "imported_layers",
          "nodes",
          "tile_geometries",
          "tile_geometries_history",
          "position_tracks",
          "writer_turn",
          "flyway_schema_history",
          "spatial_ref_sys",
          "geometry_columns",
          "geography_columns",
          "raster_columns",
          "raster_overviews");

  /**
   * Checks a name for an imported layer.
   *
   * @throws IllegalArgumentException saying what is wrong and what would do
   */
  public static void checkImportable(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "a layer name is 1-40 characters of a-z, 0-9 and _, starting with a letter (it becomes a"
              + " table, a collection and a tile layer), but found '"
              + name
              + "': try --layer "
              + suggestion(name));
    }
    if (Catalogue.byName(name).isPresent()) {
      boolean admin = Catalogue.ADMIN_LEVELS.stream().anyMatch(d -> d.name().equals(name));
      throw new IllegalArgumentException(
          "'"
              + name
              + (admin
                  ? "' is an admin layer: the command line imports it (mapserver import --layer "
                      + name
                      + "), checking the hierarchy and rewriting the city with the server stopped"
                  : "' is a built-in layer of the city, which an import does not replace: choose"
                      + " another --layer name"));
    }
    if (RESERVED.contains(name) || name.startsWith("gpkg_") || name.startsWith("rtree_")) {
      throw new IllegalArgumentException(
          "'" + name + "' is the name of a table the store keeps for itself: choose another");
    }
  }

  private static String suggestion(String name) {
    String s = name == null ? "" : name.toLowerCase(java.util.Locale.ROOT);
    s = s.replaceAll("[^a-z0-9_]+", "_").replaceAll("^[^a-z]+", "");
    if (s.isEmpty()) {
      s = "imported";
    }
    return s.length() > 40 ? s.substring(0, 40) : s;
  }
}
