package io.gridmap.layers.store.gpkg;

import static io.gridmap.layers.store.gpkg.StoreSchema.quote;

import io.gridmap.layers.geo.CompactPoints;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.DatasetMetadata;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Field;
import io.gridmap.layers.model.Generalised;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.layers.store.IsoTimestamp;
import io.gridmap.layers.store.MetadataJson;
import io.gridmap.layers.store.ParallelRead;
import io.gridmap.layers.store.StoreException;
import io.gridmap.layers.store.ValuePool;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * Reads a gridmap GeoPackage with plain JDBC: rows in id order, geometry blobs decoded by {@link
 * GeometryBlob}, one table per task on a small pool with a read-only connection each (SQLite
 * serialises work on one connection, and decoding is most of the cost).
 *
 * <p>Before any row is read the file is checked: it exists, is an SQLite database, has GeoPackage's
 * {@code gpkg_contents}, and holds every catalogue layer with every column. Each failure says which
 * file and what is missing.
 */
final class GeoPackageReader {
  /** Feature geometries: WGS84 lon/lat; points as {@link CompactPoints} (two objects each). */
  static final GeometryFactory WGS84 = CompactPoints.WGS84;

  private static final byte[] SQLITE_MAGIC =
      "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

  private final Path file;
  private final int partRows;

  GeoPackageReader(Path file) {
    this(file, ParallelRead.PART_ROWS);
  }

  /** A reader of the big tables in parts of about {@code partRows} rows (tests use few). */
  GeoPackageReader(Path file, int partRows) {
    this.file = file;
    this.partRows = partRows;
  }

  Dataset read() {
    check();
    int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    return ParallelRead.read(
        "gpkg-read",
        threads,
        this::metadataUnchecked,
        importedUnchecked(),
        new ParallelRead.Parts() {
          @Override
          public List<Long> splits(LayerDef def, int rows) {
            return GeoPackageReader.this.splits(def, rows);
          }

          @Override
          public List<Feature> read(LayerDef def, long from, long to, ValuePool[] pools) {
            return readRows(def, from, to, pools);
          }
        },
        partRows,
        () -> {
          Generalised generalised = Generalised.empty();
          readTileGeometries(generalised);
          return generalised;
        });
  }

  DatasetMetadata metadata() {
    check();
    return metadataUnchecked();
  }

  /** The imported layers' definitions in the order of their first import. */
  List<LayerDef> imported() {
    check();
    return importedUnchecked();
  }

  /** One imported layer's features, or empty when no layer of that name was imported. */
  java.util.Optional<Layer> readImported(String name) {
    check();
    return importedUnchecked().stream()
        .filter(d -> d.name().equals(name))
        .findFirst()
        .map(this::readLayer);
  }

  /**
   * The ids at which parts of {@code rows} rows begin, the first part's left out (none for a table
   * of at most {@code rows} rows): one pass over the table's ids, 0.15 s for a million rows.
   */
  List<Long> splits(LayerDef def, int rows) {
    List<Long> at = new ArrayList<>();
    String fid = quote(StoreSchema.FID);
    try (Connection c = connect();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT "
                    + fid
                    + " FROM (SELECT "
                    + fid
                    + ", row_number() OVER (ORDER BY "
                    + fid
                    + ") AS n FROM "
                    + quote(def.name())
                    + ") WHERE n % ? = 1 AND n > 1")) {
      ps.setInt(1, rows);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          at.add(rs.getLong(1));
        }
      }
    } catch (SQLException e) {
      throw failure("cannot split layer " + def.name() + " into parts", e);
    }
    return at;
  }

  private List<LayerDef> importedUnchecked() {
    List<LayerDef> defs = new ArrayList<>();
    try (Connection c = connect()) {
      if (!hasTable(c, StoreSchema.IMPORTED_LAYERS)) {
        return defs; // written before imports existed
      }
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT name, definition FROM "
                      + StoreSchema.IMPORTED_LAYERS
                      + " ORDER BY position, name")) {
        while (rs.next()) {
          try {
            defs.add(io.gridmap.layers.store.LayerDefJson.read(rs.getString(2)));
          } catch (IllegalArgumentException e) {
            throw new StoreException(
                "store "
                    + file
                    + ": the definition of imported layer "
                    + rs.getString(1)
                    + " in "
                    + StoreSchema.IMPORTED_LAYERS
                    + " is broken: "
                    + e.getMessage(),
                e);
          }
        }
      }
    } catch (SQLException e) {
      throw failure("cannot read " + StoreSchema.IMPORTED_LAYERS, e);
    }
    return defs;
  }

  Map<String, Integer> counts() {
    check();
    Map<String, Integer> counts = new LinkedHashMap<>();
    List<LayerDef> layers = new ArrayList<>(Catalogue.ALL);
    layers.addAll(importedUnchecked());
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      for (LayerDef def : layers) {
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + quote(def.name()))) {
          rs.next();
          counts.put(def.name(), rs.getInt(1));
        }
      }
    } catch (SQLException e) {
      throw failure("cannot count features", e);
    }
    return counts;
  }

  /** Checks that the file is a GeoPackage holding every catalogue layer with every column. */
  void check() {
    if (!Files.exists(file)) {
      throw new StoreException("store " + file + " does not exist");
    }
    if (Files.isDirectory(file)) {
      throw new StoreException("store " + file + " is a directory, not a GeoPackage file");
    }
    byte[] head = new byte[SQLITE_MAGIC.length];
    int read;
    try (InputStream in = Files.newInputStream(file)) {
      read = in.readNBytes(head, 0, head.length);
    } catch (IOException e) {
      throw new StoreException("store " + file + " cannot be read: " + e.getMessage(), e);
    }
    if (read < head.length || !java.util.Arrays.equals(head, SQLITE_MAGIC)) {
      throw new StoreException(
          "store "
              + file
              + " is not a GeoPackage: it is not an SQLite database"
              + (read == 0 ? " (the file is empty)" : ""));
    }
    try (Connection c = connect()) {
      Set<String> tables = new HashSet<>();
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      if (!tables.contains("gpkg_contents")) {
        throw new StoreException(
            "store "
                + file
                + " is not a GeoPackage: it is an SQLite database without a gpkg_contents table");
      }
      Map<String, String> contents = new HashMap<>();
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT table_name, data_type FROM gpkg_contents")) {
        while (rs.next()) {
          contents.put(rs.getString(1), rs.getString(2));
        }
      }
      List<String> missing = new ArrayList<>();
      for (LayerDef def : Catalogue.ALL) {
        if (!"features".equals(contents.get(def.name())) || !tables.contains(def.name())) {
          missing.add(def.name());
        }
      }
      if (!missing.isEmpty()) {
        List<String> present =
            Catalogue.ALL.stream().map(LayerDef::name).filter(n -> !missing.contains(n)).toList();
        throw new StoreException(
            "store "
                + file
                + " lacks layer"
                + (missing.size() > 1 ? "s " : " ")
                + String.join(", ", missing)
                + " (it has "
                + (present.isEmpty() ? "none of the gridmap layers" : String.join(", ", present))
                + "); write it again with generate or import");
      }
      for (LayerDef def : Catalogue.ALL) {
        Set<String> columns = new HashSet<>();
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("PRAGMA table_info(" + quote(def.name()) + ")")) {
          while (rs.next()) {
            columns.add(rs.getString("name"));
          }
        }
        List<String> lacking = new ArrayList<>();
        for (String col : StoreSchema.RESERVED) {
          if (!columns.contains(col)) {
            lacking.add(col);
          }
        }
        for (Field f : def.fields()) {
          if (!columns.contains(f.name())) {
            lacking.add(f.name());
          }
        }
        if (!lacking.isEmpty()) {
          throw new StoreException(
              "store "
                  + file
                  + ": layer "
                  + def.name()
                  + " lacks column"
                  + (lacking.size() > 1 ? "s " : " ")
                  + String.join(", ", lacking)
                  + "; write it again with generate or import");
        }
      }
    } catch (SQLException e) {
      throw failure("cannot read its tables", e);
    }
  }

  private Layer readLayer(LayerDef def) {
    ValuePool[] pools = new ValuePool[def.fields().size()];
    for (int i = 0; i < pools.length; i++) {
      pools[i] = new ValuePool();
    }
    return new Layer(def, readRows(def, Long.MIN_VALUE, Long.MAX_VALUE, pools));
  }

  /** The layer's rows with {@code from <= fid < to}, in id order. */
  private List<Feature> readRows(LayerDef def, long from, long to, ValuePool[] pools) {
    GeometryBlob blob = new GeometryBlob(WGS84);
    List<Field> fields = def.fields();
    boolean[] timestamps = new boolean[fields.size()];
    for (int i = 0; i < timestamps.length; i++) {
      timestamps[i] = fields.get(i).type() == io.gridmap.layers.model.FieldType.TIMESTAMP;
    }
    List<Feature> features = new ArrayList<>();
    try (Connection c = connect();
        PreparedStatement ps = c.prepareStatement(StoreSchema.selectSql(def))) {
      ps.setFetchSize(4096);
      ps.setLong(1, from);
      ps.setLong(2, to);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long id = rs.getLong(1);
          if (id < 0 || id >= Feature.ID_LIMIT) {
            // a store from before ids were kept JavaScript-safe (17-digit point ids)
            throw new StoreException(
                "store "
                    + file
                    + ": layer "
                    + def.name()
                    + " feature "
                    + id
                    + " has an id outside 0.."
                    + (Feature.ID_LIMIT - 1)
                    + ", more than a JavaScript number holds exactly; write it again with generate"
                    + " or import");
          }
          byte[] geom = rs.getBytes(2);
          if (geom == null) {
            throw new StoreException(
                "store " + file + ": layer " + def.name() + " feature " + id + " has no geometry");
          }
          Geometry g;
          try {
            g = blob.decode(geom);
          } catch (IllegalArgumentException e) {
            throw new StoreException(
                "store "
                    + file
                    + ": layer "
                    + def.name()
                    + " feature "
                    + id
                    + ": "
                    + e.getMessage(),
                e);
          }
          boolean personal = rs.getInt(3) != 0;
          Object[] values = new Object[fields.size()];
          for (int i = 0; i < values.length; i++) {
            values[i] = value(rs, 4 + i, def, id, fields.get(i), pools[i]);
            if (timestamps[i] && values[i] != null) {
              values[i] = sameTimeEarlier(values, timestamps, i);
            }
          }
          features.add(new Feature(id, g, values, personal));
        }
      }
    } catch (SQLException e) {
      throw failure("cannot read layer " + def.name(), e);
    }
    return features;
  }

  /**
   * The row's value {@code i}, or the same instant read from an earlier timestamp column of the
   * row: a closed incident's {@code updated_at} is its {@code closed_at}, a million boxed times
   * held twice otherwise (timestamps are too distinct to be pooled per column).
   */
  private static Object sameTimeEarlier(Object[] values, boolean[] timestamps, int i) {
    for (int j = 0; j < i; j++) {
      if (timestamps[j] && values[i].equals(values[j])) {
        return values[j];
      }
    }
    return values[i];
  }

  /** A column's value, shared through the column's pool. Text is read as UTF-8 bytes. */
  private Object value(ResultSet rs, int column, LayerDef def, long id, Field field, ValuePool pool)
      throws SQLException {
    Object v = value(rs, column, def, id, field);
    return field.type() == io.gridmap.layers.model.FieldType.STRING
        ? pool.sharedText((byte[]) v)
        : pool.shared(v);
  }

  private Object value(ResultSet rs, int column, LayerDef def, long id, Field field)
      throws SQLException {
    switch (field.type()) {
      case STRING:
        return rs.getBytes(column); // decoded, or found by its bytes, by the pool
      case INTEGER:
        {
          long v = rs.getLong(column);
          return rs.wasNull() ? null : v;
        }
      case REAL:
        {
          double v = rs.getDouble(column);
          return rs.wasNull() ? null : v;
        }
      case BOOLEAN:
        {
          int v = rs.getInt(column);
          return rs.wasNull() ? null : v != 0;
        }
      case TIMESTAMP:
        {
          byte[] text = rs.getBytes(column);
          if (text == null) {
            return null;
          }
          try {
            return IsoTimestamp.parse(text);
          } catch (IllegalArgumentException e) {
            throw new StoreException(
                "store "
                    + file
                    + ": layer "
                    + def.name()
                    + " feature "
                    + id
                    + " field "
                    + field.name()
                    + ": "
                    + e.getMessage(),
                e);
          }
        }
      default:
        throw new IllegalStateException("unknown field type " + field.type());
    }
  }

  private void readTileGeometries(Generalised into) {
    try (Connection c = connect()) {
      if (!hasTable(c, StoreSchema.TILE_GEOMETRIES)) {
        return; // derived data: the server generalises again when a store has none
      }
      GeometryBlob blob = new GeometryBlob(CompactPoints.WEB_MERCATOR);
      Map<String, Map<Integer, Map<Long, Geometry>>> all = new HashMap<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT layer, zoom, fid, wkb FROM "
                  + StoreSchema.TILE_GEOMETRIES
                  + " ORDER BY id")) {
        ps.setFetchSize(4096);
        try (ResultSet rs = ps.executeQuery()) {
          String layer = null;
          Map<Long, Geometry> current = null;
          int currentZoom = -1;
          while (rs.next()) {
            String l = rs.getString(1);
            int zoom = rs.getInt(2);
            long fid = rs.getLong(3);
            if (current == null || zoom != currentZoom || !l.equals(layer)) {
              layer = l;
              currentZoom = zoom;
              current =
                  all.computeIfAbsent(l, k -> new HashMap<>())
                      .computeIfAbsent(zoom, k -> new HashMap<>());
            }
            try {
              current.put(fid, blob.decodeWkb(rs.getBytes(4), 0));
            } catch (IllegalArgumentException e) {
              throw new StoreException(
                  "store "
                      + file
                      + ": "
                      + StoreSchema.TILE_GEOMETRIES
                      + " layer "
                      + l
                      + " zoom "
                      + zoom
                      + " feature "
                      + fid
                      + ": "
                      + e.getMessage(),
                  e);
            }
          }
        }
      }
      all.forEach(
          (layer, byZoom) ->
              byZoom.forEach((zoom, geometries) -> into.put(layer, zoom, geometries)));
    } catch (SQLException e) {
      throw failure("cannot read " + StoreSchema.TILE_GEOMETRIES, e);
    }
  }

  private DatasetMetadata metadataUnchecked() {
    try (Connection c = connect()) {
      if (!hasTable(c, "gpkg_metadata")) {
        throw new StoreException(
            "store "
                + file
                + " has no dataset metadata (no gpkg_metadata table); write it again with generate or import");
      }
      String json = null;
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT metadata FROM gpkg_metadata WHERE md_standard_uri = ? AND mime_type = ? ORDER BY id DESC LIMIT 1")) {
        ps.setString(1, StoreSchema.METADATA_STANDARD_URI);
        ps.setString(2, StoreSchema.METADATA_MIME_TYPE);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            json = rs.getString(1);
          }
        }
      }
      if (json == null) {
        throw new StoreException(
            "store "
                + file
                + " has no gridmap dataset metadata (no gpkg_metadata row with md_standard_uri "
                + StoreSchema.METADATA_STANDARD_URI
                + "); write it again with generate or import");
      }
      try {
        return MetadataJson.read(json);
      } catch (IllegalArgumentException e) {
        throw new StoreException(
            "store " + file + ": dataset metadata in gpkg_metadata is broken: " + e.getMessage(),
            e);
      }
    } catch (SQLException e) {
      throw failure("cannot read dataset metadata", e);
    }
  }

  private static boolean hasTable(Connection c, String table) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /**
   * The audit log's entries ({@link GeoPackageEditor#AUDIT}), newest first, to {@code visitor}
   * until it answers false; none when the table is not there yet. On a read-only connection of its
   * own: an admin's query that scans the log for a rare actor does not hold the writer, whose
   * editor lock every change takes (the write-ahead log lets the two run at once).
   */
  void readAudit(java.util.function.Predicate<String> visitor) {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      try (ResultSet rs =
          s.executeQuery(
              "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '"
                  + GeoPackageEditor.AUDIT
                  + "'")) {
        if (!rs.next()) {
          return;
        }
      }
      try (ResultSet rs =
          s.executeQuery("SELECT entry FROM " + GeoPackageEditor.AUDIT + " ORDER BY id DESC")) {
        while (rs.next() && visitor.test(rs.getString(1))) {
          // the visitor takes each
        }
      }
    } catch (SQLException e) {
      throw failure("cannot read the audit log", e);
    }
  }

  private Connection connect() throws SQLException {
    recoverHotJournal();
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setOpenMode(SQLiteOpenMode.READONLY);
    config.setCacheSize(-32768); // KiB
    config.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, String.valueOf(1L << 30));
    return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
  }

  /**
   * A change interrupted by a crash while SQLite was overwriting the file leaves a "hot" rollback
   * journal beside it; only a connection that may write can roll it back, so a read-only one fails
   * with SQLITE_READONLY_ROLLBACK. Reading through a read-write connection once restores the
   * version before that change, as SQLite does on any open, and the store reads as usual.
   */
  private void recoverHotJournal() throws SQLException {
    Path journal = file.resolveSibling(file.getFileName() + "-journal");
    if (!java.nio.file.Files.exists(journal) || !java.nio.file.Files.isWritable(file)) {
      return;
    }
    try (Connection c =
            new SQLiteConfig().createConnection("jdbc:sqlite:" + file.toAbsolutePath());
        Statement s = c.createStatement()) {
      s.executeQuery("SELECT count(*) FROM sqlite_master").close();
    }
  }

  /** An SQLite failure as a message about the file; SQLite's own words stay in the cause. */
  private StoreException failure(String what, SQLException e) {
    String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (reason.contains("SQLITE_NOTADB") || reason.contains("not a database")) {
      return new StoreException(
          "store " + file + " is not a GeoPackage: SQLite says it is not a database", e);
    }
    if (reason.contains("SQLITE_CORRUPT") || reason.contains("malformed")) {
      return new StoreException(
          "store "
              + file
              + " is damaged (SQLite reports a malformed database); write it again with generate or import",
          e);
    }
    return new StoreException("store " + file + ": " + what + ": " + reason, e);
  }
}
