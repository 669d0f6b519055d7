package io.gridmap.tiler.pack;

import io.gridmap.tiler.geo.TileCoord;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Writes an MBTiles 1.3 file (github.com/mapbox/mbtiles-spec, 1.3/spec.md) of vector tiles, the way
 * GDAL's MBTiles driver reads one: {@code format=pbf}, a {@code json} entry with {@code
 * vector_layers} (GDAL makes one OGR layer of each, with its fields), bounds, centre, min and max
 * zoom; tile rows in TMS order (row 0 at the south); {@code tile_data} gzipped.
 *
 * <p>The {@code tiles} table is a view over {@code map} (z/x/y to a blob id) and {@code images}
 * (each distinct blob once), as the MBTiles tools that deduplicate do, so a repeated tile costs a
 * row of four integers. The file is written without a journal and synchronously only at the end: it
 * is a temporary file until the caller renames it into place, so a crash leaves no package.
 */
public final class MbtilesWriter implements TileArchive {
  /** Rows per JDBC batch: large enough that SQLite's per-statement cost disappears. */
  private static final int BATCH = 1000;

  private final Connection db;
  private final PreparedStatement insertMap;
  private final PreparedStatement insertImage;
  private final RepeatedTiles repeats = new RepeatedTiles();
  private long tiles;
  private long contents;
  private long tileBytes;
  private int pending;

  public MbtilesWriter(Path file) throws IOException {
    try {
      db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
      try (Statement s = db.createStatement()) {
        s.execute("PRAGMA journal_mode = OFF");
        s.execute("PRAGMA synchronous = OFF");
        s.execute("PRAGMA page_size = 8192");
        s.execute("CREATE TABLE metadata (name TEXT NOT NULL, value TEXT)");
        s.execute("CREATE UNIQUE INDEX metadata_name ON metadata (name)");
        s.execute(
            "CREATE TABLE map (zoom_level INTEGER NOT NULL, tile_column INTEGER NOT NULL,"
                + " tile_row INTEGER NOT NULL, tile_id INTEGER NOT NULL)");
        s.execute("CREATE TABLE images (tile_id INTEGER PRIMARY KEY, tile_data BLOB NOT NULL)");
        s.execute(
            "CREATE VIEW tiles AS SELECT map.zoom_level AS zoom_level, map.tile_column AS"
                + " tile_column, map.tile_row AS tile_row, images.tile_data AS tile_data FROM map"
                + " JOIN images ON images.tile_id = map.tile_id");
      }
      db.setAutoCommit(false);
      insertMap = db.prepareStatement("INSERT INTO map VALUES (?, ?, ?, ?)");
      insertImage = db.prepareStatement("INSERT INTO images (tile_id, tile_data) VALUES (?, ?)");
    } catch (SQLException e) {
      throw new IOException("cannot create the MBTiles file " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void write(TileCoord tile, byte[] gzipped) throws IOException {
    try {
      long id = repeats.find(gzipped);
      if (id < 0) {
        id = ++contents;
        insertImage.setLong(1, id);
        insertImage.setBytes(2, gzipped);
        insertImage.addBatch();
        tileBytes += gzipped.length;
        repeats.remember(gzipped, id);
      }
      insertMap.setInt(1, tile.z());
      insertMap.setInt(2, tile.x());
      insertMap.setInt(3, tmsRow(tile)); // MBTiles counts rows from the south (TMS)
      insertMap.setLong(4, id);
      insertMap.addBatch();
      tiles++;
      if (++pending == BATCH) {
        flush();
      }
    } catch (SQLException e) {
      throw new IOException("cannot write tile " + tile + ": " + e.getMessage(), e);
    }
  }

  /** The MBTiles (TMS) row of a tile: rows counted from the south edge of the world. */
  public static int tmsRow(TileCoord tile) {
    return (1 << tile.z()) - 1 - tile.y();
  }

  private void flush() throws SQLException {
    insertImage.executeBatch();
    insertMap.executeBatch();
    pending = 0;
  }

  @Override
  public Counts counts() {
    return new Counts(tiles, contents, tileBytes);
  }

  @Override
  public void finish(ArchiveMetadata m) throws IOException {
    try {
      flush();
      try (Statement s = db.createStatement()) {
        // after the rows: one sort builds the index instead of a B-tree insert per tile
        s.execute("CREATE UNIQUE INDEX map_index ON map (zoom_level, tile_column, tile_row)");
      }
      try (PreparedStatement p = db.prepareStatement("INSERT INTO metadata VALUES (?, ?)")) {
        for (Map.Entry<String, String> e : metadata(m).entrySet()) {
          p.setString(1, e.getKey());
          p.setString(2, e.getValue());
          p.addBatch();
        }
        p.executeBatch();
      }
      db.commit();
    } catch (SQLException e) {
      throw new IOException("cannot finish the MBTiles file: " + e.getMessage(), e);
    }
  }

  /** The {@code metadata} rows of MBTiles 1.3 for vector tiles. */
  static Map<String, String> metadata(ArchiveMetadata m) {
    Map<String, String> rows = new LinkedHashMap<>();
    rows.put("name", m.name());
    rows.put("format", "pbf");
    rows.put(
        "bounds",
        String.format(
            Locale.ROOT,
            "%.6f,%.6f,%.6f,%.6f",
            m.bounds().getMinX(),
            m.bounds().getMinY(),
            m.bounds().getMaxX(),
            m.bounds().getMaxY()));
    rows.put(
        "center",
        String.format(Locale.ROOT, "%.6f,%.6f,%d", m.centerLon(), m.centerLat(), m.centerZoom()));
    rows.put("minzoom", Integer.toString(m.minZoom()));
    rows.put("maxzoom", Integer.toString(m.maxZoom()));
    rows.put("attribution", m.attribution());
    rows.put("description", m.description());
    rows.put("type", "overlay");
    rows.put("version", "1.0.0");
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("vector_layers", m.vectorLayers());
    json.putAll(new java.util.TreeMap<>(m.extra()));
    rows.put("json", ArchiveMetadata.toJson(json));
    return rows;
  }

  @Override
  public void close() throws IOException {
    try {
      db.close();
    } catch (SQLException e) {
      throw new IOException("cannot close the MBTiles file: " + e.getMessage(), e);
    }
  }
}
