package io.gridmap.layers.store.gpkg;

import io.gridmap.layers.model.FieldType;
import io.gridmap.layers.model.LayerDef;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import mil.nga.geopackage.db.GeoPackageDataType;

/**
 * The layout of a gridmap GeoPackage: names of tables and columns and how field types map to
 * GeoPackage column types. Writer and reader share it so they cannot drift apart.
 *
 * <pre>
 * &lt;layer&gt;          feature table per catalogue layer, EPSG:4326
 *   fid INTEGER PRIMARY KEY   Feature.id
 *   geom &lt;POINT|POLYGON|MULTIPOLYGON&gt;
 *   personal BOOLEAN NOT NULL Feature.personal
 *   one column per Field      TEXT | INTEGER | DOUBLE | BOOLEAN | DATETIME (ISO-8601 UTC text)
 * rtree_&lt;layer&gt;_geom   gpkg_rtree_index extension
 * tile_geometries       attributes: (layer, zoom, fid) -&gt; WKB in EPSG:3857 metres
 * gpkg_metadata         one row, application/json: the DatasetMetadata
 * imported_layers       attributes: name -&gt; position (first import order), definition (LayerDefJson)
 * &lt;imported layer&gt;  a feature table like a catalogue layer's, per registered name
 * </pre>
 */
final class StoreSchema {
  private StoreSchema() {}

  static final String FID = "fid";
  static final String GEOM = "geom";
  static final String PERSONAL = "personal";

  /** Columns every feature table has besides its fields; no field may take these names. */
  static final Set<String> RESERVED = io.gridmap.layers.store.DatasetCheck.RESERVED;

  /** WGS84 longitude/latitude; present in every GeoPackage. */
  static final int WGS84 = 4326;

  static final String TILE_GEOMETRIES = "tile_geometries";
  static final String TILE_GEOMETRIES_DESCRIPTION =
      "Per-zoom generalised polygons of the coverage layers (districts, streets, villages, grids) as vector"
          + " tiles draw them: column wkb holds WKB in EPSG:3857 (Web Mercator) metres, simplified as a"
          + " coverage for the pixel size of each zoom; a feature missing at a zoom is smaller than a pixel"
          + " there. Precomputed so the map server starts without re-simplifying.";
  static final String CREATE_TILE_GEOMETRIES =
      "CREATE TABLE "
          + TILE_GEOMETRIES
          + " ("
          + "id INTEGER PRIMARY KEY, "
          + "layer TEXT NOT NULL, "
          + "zoom INTEGER NOT NULL, "
          + "fid INTEGER NOT NULL, "
          + "wkb BLOB NOT NULL, "
          + "UNIQUE (layer, zoom, fid))";

  static final String IMPORTED_LAYERS = "imported_layers";

  /**
   * The registry of imported layers. IF NOT EXISTS: a store written before imports existed gains it
   * with its first import, in that import's transaction.
   */
  static final String CREATE_IMPORTED_LAYERS =
      "CREATE TABLE IF NOT EXISTS "
          + IMPORTED_LAYERS
          + " (name TEXT PRIMARY KEY, position INTEGER NOT NULL, definition TEXT NOT NULL)";

  /** Registers the table in gpkg_contents (as tile_geometries is) unless it is there already. */
  static final String REGISTER_IMPORTED_LAYERS =
      "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change)"
          + " SELECT '"
          + IMPORTED_LAYERS
          + "', 'attributes', 'Imported layers', 'The layers mapserver import made, each a feature"
          + " table of this name: position is the order of their first import, definition their"
          + " fields and zooms as JSON.', strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE NOT EXISTS"
          + " (SELECT 1 FROM gpkg_contents WHERE table_name = '"
          + IMPORTED_LAYERS
          + "')";

  /**
   * Adds a layer at the end or replaces its definition where it stands: a re-import keeps the
   * layer's place.
   */
  static final String UPSERT_IMPORTED_LAYER =
      "INSERT INTO "
          + IMPORTED_LAYERS
          + " (name, position, definition) VALUES (?, (SELECT COALESCE(MAX(position), 0) + 1 FROM "
          + IMPORTED_LAYERS
          + "), ?) ON CONFLICT (name) DO UPDATE SET definition = excluded.definition";

  /** Identifies our JSON among any other metadata rows a tool may add. */
  static final String METADATA_STANDARD_URI = "urn:gridmap:dataset-metadata:1";

  static final String METADATA_MIME_TYPE = "application/json";

  /** The GeoPackage column type of a field type. */
  static GeoPackageDataType columnType(FieldType type) {
    return switch (type) {
      case STRING -> GeoPackageDataType.TEXT;
      case INTEGER -> GeoPackageDataType.INTEGER;
      case REAL -> GeoPackageDataType.DOUBLE;
      case BOOLEAN -> GeoPackageDataType.BOOLEAN;
      case TIMESTAMP -> GeoPackageDataType.DATETIME;
    };
  }

  /**
   * A double-quoted SQL identifier. Names come from the catalogue, or are an imported layer's name
   * or fields, checked by {@code LayerNames} and {@code Field}: lower-case letters, digits, _.
   */
  static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  static String rtreeTable(LayerDef def) {
    return rtreeTable(def.name());
  }

  /** The GeoPackage R-tree table of {@code layer}'s geometry column. */
  static String rtreeTable(String layer) {
    return "rtree_" + layer + "_" + GEOM;
  }

  /** {@code fid, geom, personal, <fields...>}, quoted, in the order of the insert and select. */
  static String columnList(LayerDef def) {
    return List.of(FID, GEOM, PERSONAL).stream()
            .map(StoreSchema::quote)
            .collect(Collectors.joining(", "))
        + def.fields().stream().map(f -> ", " + quote(f.name())).collect(Collectors.joining());
  }

  static String insertSql(LayerDef def) {
    return "INSERT INTO "
        + quote(def.name())
        + " ("
        + columnList(def)
        + ") VALUES (?, ?, ?"
        + ", ?".repeat(def.fields().size())
        + ")";
  }

  /** A layer's rows with {@code ? <= fid < ?}, in id order (a range covers a part of a layer). */
  static String selectSql(LayerDef def) {
    return "SELECT "
        + columnList(def)
        + " FROM "
        + quote(def.name())
        + " WHERE "
        + quote(FID)
        + " >= ? AND "
        + quote(FID)
        + " < ? ORDER BY "
        + quote(FID);
  }
}
