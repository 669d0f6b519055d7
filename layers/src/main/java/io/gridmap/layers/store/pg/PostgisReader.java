package io.gridmap.layers.store.pg;

import io.gridmap.layers.geo.CompactPoints;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.DatasetMetadata;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Field;
import io.gridmap.layers.model.Generalised;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.layers.store.MetadataJson;
import io.gridmap.layers.store.ParallelRead;
import io.gridmap.layers.store.StoreException;
import io.gridmap.layers.store.ValuePool;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKBReader;

/**
 * Reads a whole city from a PostGIS store: a table per task on a small pool, each on a connection
 * of its own and inside a transaction so that the driver fetches rows in batches (a cursor) instead
 * of holding a table in memory twice. Geometries come as WKB and are decoded by JTS.
 *
 * <p>The tables are read one after the other in separate transactions: a write committed while the
 * server loads could be seen in some tables and not others. The change log closes that gap: the
 * server reads it from the position it had before the load.
 */
final class PostgisReader {
  /** Feature geometries: WGS84 lon/lat, points as {@link CompactPoints}. */
  static final GeometryFactory WGS84 = CompactPoints.WGS84;

  private final PostgisStore store;

  PostgisReader(PostgisStore store) {
    this.store = store;
  }

  Dataset read() {
    DatasetMetadata metadata = metadata(); // first: a store never written says so before any work
    return ParallelRead.read(
        "postgis-read",
        Math.max(2, Math.min(4, store.url().pool() - 1)),
        () -> metadata,
        imported(),
        this::readLayer,
        () -> {
          Generalised generalised = Generalised.empty();
          readTileGeometries()
              .forEach(
                  (layer, byZoom) ->
                      byZoom.forEach(
                          (zoom, geometries) -> generalised.put(layer, zoom, geometries)));
          return generalised;
        });
  }

  DatasetMetadata metadata() {
    String json = null;
    try (Connection c = store.connection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT metadata::text FROM " + PgSchema.METADATA)) {
      if (rs.next()) {
        json = rs.getString(1);
      }
    } catch (SQLException e) {
      throw store.failure("cannot read the dataset metadata", e);
    }
    if (json == null) {
      throw new StoreException(
          "store "
              + store.location()
              + " holds no city yet (schema "
              + store.url().schema()
              + " has no dataset metadata); write one with generate or import");
    }
    try {
      return MetadataJson.read(json);
    } catch (IllegalArgumentException e) {
      throw new StoreException(
          "store "
              + store.location()
              + ": the dataset metadata in "
              + PgSchema.METADATA
              + " is broken: "
              + e.getMessage(),
          e);
    }
  }

  /** The imported layers' definitions, in the order of their first import. */
  List<LayerDef> imported() {
    try (Connection c = store.connection()) {
      return ImportedTables.definitions(c, store.location());
    } catch (SQLException e) {
      throw store.failure("cannot read " + PgSchema.IMPORTED_LAYERS, e);
    }
  }

  /** One imported layer's features, or empty when no layer of that name was imported. */
  java.util.Optional<Layer> readImported(String name) {
    return imported().stream().filter(d -> d.name().equals(name)).findFirst().map(this::readLayer);
  }

  Map<String, Integer> counts() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    List<LayerDef> layers = new ArrayList<>(Catalogue.ALL);
    layers.addAll(imported());
    try (Connection c = store.connection();
        Statement s = c.createStatement()) {
      for (LayerDef def : layers) {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + PgSchema.quote(def.name()))) {
          rs.next();
          counts.put(def.name(), rs.getInt(1));
        }
      }
    } catch (SQLException e) {
      throw store.failure("cannot count features", e);
    }
    return counts;
  }

  /** The rows of {@code layer} with these ids, in id order. */
  List<Feature> features(String layer, long[] ids) {
    LayerDef def =
        Catalogue.byName(layer)
            .orElseThrow(
                () -> new StoreException("store " + store.location() + " has no layer " + layer));
    WKBReader wkb = new WKBReader(WGS84);
    List<Field> fields = def.fields();
    List<Feature> out = new ArrayList<>();
    try (Connection c = store.connection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT "
                    + PgSchema.selectList(def)
                    + " FROM "
                    + PgSchema.quote(def.name())
                    + " WHERE fid = ANY (?) ORDER BY fid")) {
      ps.setArray(1, bigints(c, ids));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long id = rs.getLong(1);
          Object[] values = new Object[fields.size()];
          for (int i = 0; i < values.length; i++) {
            values[i] = value(rs, 4 + i, fields.get(i));
          }
          out.add(
              new Feature(id, decode(wkb, rs.getBytes(2), layer, id), values, rs.getBoolean(3)));
        }
      }
    } catch (SQLException e) {
      throw store.failure(
          "cannot read " + layer + " features " + java.util.Arrays.toString(ids), e);
    }
    return out;
  }

  /**
   * The generalised polygons of these features of a coverage layer, zoom by zoom (only the zooms
   * where a feature has one): what another node's grid redraw made them.
   */
  Map<Integer, Map<Long, Geometry>> tileGeometries(String layer, long[] ids) {
    WKBReader wkb = new WKBReader(CompactPoints.WEB_MERCATOR);
    Map<Integer, Map<Long, Geometry>> out = new HashMap<>();
    try (Connection c = store.connection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT zoom, fid, ST_AsBinary(geom) FROM "
                    + PgSchema.TILE_GEOMETRIES
                    // every zoom a tile may have, so that the primary key (layer, zoom, fid) is
                    // searched rather than every row of the layer
                    + " WHERE layer = ? AND zoom = ANY (?) AND fid = ANY (?)")) {
      Integer[] zooms = new Integer[31];
      for (int z = 0; z < zooms.length; z++) {
        zooms[z] = z;
      }
      ps.setString(1, layer);
      ps.setArray(2, c.createArrayOf("integer", zooms));
      ps.setArray(3, bigints(c, ids));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          int zoom = rs.getInt(1);
          long fid = rs.getLong(2);
          out.computeIfAbsent(zoom, z -> new HashMap<>())
              .put(
                  fid,
                  decode(
                      wkb,
                      rs.getBytes(3),
                      PgSchema.TILE_GEOMETRIES + " " + layer + " z" + zoom,
                      fid));
        }
      }
    } catch (SQLException e) {
      throw store.failure(
          "cannot read the generalised " + layer + " " + java.util.Arrays.toString(ids), e);
    }
    return out;
  }

  /** Feature ids as a SQL bigint[] for {@code = ANY (?)}. */
  private static java.sql.Array bigints(Connection c, long[] ids) throws SQLException {
    Long[] boxed = new Long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      boxed[i] = ids[i];
    }
    return c.createArrayOf("bigint", boxed);
  }

  private Layer readLayer(LayerDef def) {
    WKBReader wkb = new WKBReader(WGS84);
    List<Field> fields = def.fields();
    ValuePool[] pools = new ValuePool[fields.size()];
    for (int i = 0; i < pools.length; i++) {
      pools[i] = new ValuePool();
    }
    List<Feature> features = new ArrayList<>();
    try (Connection c = store.connection()) {
      c.setAutoCommit(false); // the driver fetches in batches only inside a transaction
      c.setReadOnly(true);
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT "
                  + PgSchema.selectList(def)
                  + " FROM "
                  + PgSchema.quote(def.name())
                  + " ORDER BY fid")) {
        ps.setFetchSize(8192);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            long id = rs.getLong(1);
            Geometry g = decode(wkb, rs.getBytes(2), def.name(), id);
            boolean personal = rs.getBoolean(3);
            Object[] values = new Object[fields.size()];
            for (int i = 0; i < values.length; i++) {
              values[i] = pools[i].shared(value(rs, 4 + i, fields.get(i)));
            }
            features.add(new Feature(id, g, values, personal));
          }
        }
      } finally {
        // ends the read; the pool puts auto-commit and read-only back when the connection returns
        PgSchema.endQuietly(c);
      }
    } catch (SQLException e) {
      throw store.failure("cannot read layer " + def.name(), e);
    }
    return new Layer(def, features);
  }

  private static Object value(ResultSet rs, int column, Field field) throws SQLException {
    Object v =
        switch (field.type()) {
          case STRING -> rs.getString(column);
          case INTEGER, TIMESTAMP -> rs.getLong(column);
          case REAL -> rs.getDouble(column);
          case BOOLEAN -> rs.getBoolean(column);
        };
    return rs.wasNull() ? null : v;
  }

  private Map<String, Map<Integer, Map<Long, Geometry>>> readTileGeometries() {
    WKBReader wkb = new WKBReader(CompactPoints.WEB_MERCATOR);
    Map<String, Map<Integer, Map<Long, Geometry>>> all = new HashMap<>();
    try (Connection c = store.connection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT layer, zoom, fid, ST_AsBinary(geom) FROM "
                  + PgSchema.TILE_GEOMETRIES
                  + " ORDER BY layer, zoom, fid")) {
        ps.setFetchSize(8192);
        try (ResultSet rs = ps.executeQuery()) {
          String layer = null;
          int currentZoom = -1;
          Map<Long, Geometry> current = null;
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
            current.put(
                fid,
                decode(wkb, rs.getBytes(4), PgSchema.TILE_GEOMETRIES + " " + l + " z" + zoom, fid));
          }
        }
      } finally {
        // ends the read; the pool puts auto-commit and read-only back when the connection returns
        PgSchema.endQuietly(c);
      }
    } catch (SQLException e) {
      throw store.failure("cannot read " + PgSchema.TILE_GEOMETRIES, e);
    }
    return all;
  }

  private Geometry decode(WKBReader wkb, byte[] bytes, String where, long id) {
    try {
      return wkb.read(bytes);
    } catch (ParseException | RuntimeException e) {
      throw new StoreException(
          "store " + store.location() + ": " + where + " feature " + id + ": " + e.getMessage(), e);
    }
  }
}
