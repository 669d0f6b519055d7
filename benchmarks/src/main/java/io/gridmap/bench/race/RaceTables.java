package io.gridmap.bench.race;

import io.gridmap.layers.index.AdminLevel;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.index.LabelIndex;
import io.gridmap.layers.index.LabelPoint;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.FieldType;
import io.gridmap.layers.model.Generalised;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.Stores;
import io.gridmap.layers.store.pg.PostgisUrl;
import io.gridmap.tiler.render.ClusterIds;
import io.gridmap.tiler.render.PointLayer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The tables the PostGIS side of the race reads, made in the city's schema before either server
 * starts, laid out as an operator would lay out a PostGIS tile server's data (each with its GiST or
 * B-tree index, clustered on it and analysed), so the baseline is not handicapped by our schema:
 *
 * <ul>
 *   <li>{@code race_poly_<layer>_<zoom>}: the generalised EPSG:3857 polygons of {@code
 *       tile_geometries} that one zoom draws, with the tiled attributes joined in; {@code
 *       race_zooms} says which table each (layer, zoom) reads, by our rule (the nearest stored
 *       zoom, the higher on a tie; the projected originals when a layer has none);
 *   <li>{@code race_labels}: one point per admin unit where its label goes. Our index places labels
 *       with JTS (the maximum inscribed circle for districts and streets, the interior point for
 *       villages and grids), which PostGIS's own functions do not reproduce to the unit, so they
 *       are computed here by our own code, once, and stored: both sides draw the same points;
 *   <li>{@code race_pts_<layer>}: the points the public's tiles show (not personal; an incident
 *       finished more than {@code --closed-days} ago hidden, as our {@code PointRules}), projected,
 *       with their deepest cluster cell; {@code race_solo_<layer>} the ones never clustered (open
 *       urgent incidents);
 *   <li>{@code race_cells_<layer>}: the precomputed cluster table. For every clustered zoom (below
 *       z14) every non-empty cell of 256 tile units: its count, the mean position (summed in our
 *       fixed point of 2^-14 m), the most common category (ties to the first in text order), and
 *       for a cell of one point that point's id and attributes. Our server precomputes the same
 *       cells in memory at start; here SQL computes them from the point table, independently of our
 *       code, and the race's comparison of feature ids checks that both agree.
 * </ul>
 *
 * <p>{@code RaceTables --store postgresql://...?schema=S [--closed-days 7]}; drops and makes the
 * {@code race_*} tables again; prints what it made to standard error.
 */
public final class RaceTables {
  static final String ZOOMS = "race_zooms";
  static final String LABELS = "race_labels";

  /** MVT extent and buffer, in tile units, as our tiler's. */
  static final int EXTENT = io.gridmap.tiler.TileService.EXTENT;

  static final int BUFFER = io.gridmap.tiler.TileService.BUFFER;

  /** Last zoom drawn as cells, and the bits of a cell index per axis there (2^17 across). */
  static final int LAST_CELL_ZOOM = PointLayer.INDIVIDUAL_ZOOM - 1;

  static final int DEEP_BITS = LAST_CELL_ZOOM + ClusterIds.cellShift();

  /** Fixed point of our cells' position sums: 2^-14 m. */
  private static final double FIXED = 16384.0;

  private static final double HALF = io.gridmap.layers.geo.WebMercator.HALF_WORLD; // PI * 6378137

  private RaceTables() {}

  static String points(String layer) {
    return "race_pts_" + layer;
  }

  static String solo(String layer) {
    return "race_solo_" + layer;
  }

  static String cells(String layer) {
    return "race_cells_" + layer;
  }

  public static void main(String[] args) throws Exception {
    String store = null;
    int closedDays = 7;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--store" -> store = args[++i];
        case "--closed-days" -> closedDays = Integer.parseInt(args[++i]);
        default ->
            throw new IllegalArgumentException(
                "unknown argument "
                    + args[i]
                    + "; usage: RaceTables --store postgresql://...?schema=S [--closed-days 7]");
      }
    }
    if (store == null) {
      throw new IllegalArgumentException("RaceTables needs --store postgresql://...?schema=S");
    }
    PostgisUrl url = PostgisUrl.parse(store);
    long t0 = System.nanoTime();
    try (Connection c = RaceDb.open(url)) {
      dropRaceTables(c);
      exec(
          c,
          "CREATE TABLE "
              + ZOOMS
              + " (layer text NOT NULL, zoom int NOT NULL, source text NOT NULL, PRIMARY KEY"
              + " (layer, zoom))");
      for (RaceLayer l : RaceLayer.all()) {
        long t = System.nanoTime();
        String what =
            switch (l.kind()) {
              case COVERAGE -> polygons(c, l);
              case POINTS -> points(c, l, closedDays);
              case LABELS -> labels(c, store);
            };
        System.err.printf("race tables: %s: %s (%.1f s)%n", l.name(), what, seconds(t));
      }
    }
    System.err.printf("race tables: made in %.1f s%n", seconds(t0));
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private static void dropRaceTables(Connection c) throws SQLException {
    List<String> old = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                    + " AND tablename LIKE 'race\\_%'")) {
      while (rs.next()) {
        old.add(rs.getString(1));
      }
    }
    for (String t : old) {
      exec(c, "DROP TABLE " + t);
    }
  }

  /** One table per stored zoom that the layer's zooms read; returns what was made. */
  private static String polygons(Connection c, RaceLayer l) throws SQLException {
    String layer = l.name();
    TreeSet<Integer> have = new TreeSet<>();
    try (PreparedStatement ps =
        c.prepareStatement("SELECT DISTINCT zoom FROM tile_geometries WHERE layer = ?")) {
      ps.setString(1, layer);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          have.add(rs.getInt(1));
        }
      }
    }
    String attrs =
        l.attributes().stream().map(a -> "l." + q(a.name())).collect(Collectors.joining(", "));
    Map<Integer, String> made = new HashMap<>();
    List<String> rows = new ArrayList<>();
    for (int z = l.minZoom(); z <= l.maxZoom(); z++) {
      int source = io.gridmap.layers.index.CityIndex.nearestZoom(have, z);
      String table = made.get(source);
      if (table == null) {
        table = "race_poly_" + layer + "_" + (source < 0 ? "orig" : source);
        // public tiles leave personal units out (PolygonLayer), and our index drops empty
        // geometries and generalised ones without a feature (the join)
        String select =
            source < 0
                ? "SELECT l.fid, ST_Transform(l.geom, 3857) AS geom, "
                    + attrs
                    + " FROM "
                    + q(layer)
                    + " l WHERE NOT l.personal AND NOT ST_IsEmpty(l.geom)"
                : "SELECT t.fid, t.geom, "
                    + attrs
                    + " FROM tile_geometries t JOIN "
                    + q(layer)
                    + " l ON l.fid = t.fid WHERE t.layer = '"
                    + layer
                    + "' AND t.zoom = "
                    + source
                    + " AND NOT l.personal AND NOT ST_IsEmpty(t.geom)";
        exec(c, "CREATE TABLE " + table + " AS " + select);
        indexed(c, table, "USING gist (geom)");
        made.put(source, table);
      }
      rows.add("('" + layer + "', " + z + ", '" + table + "')");
    }
    exec(c, "INSERT INTO " + ZOOMS + " VALUES " + String.join(", ", rows));
    return made.size() + " polygon tables for z" + l.minZoom() + "-" + l.maxZoom();
  }

  /** The shown points, the never-clustered ones, and the cells of every clustered zoom. */
  private static String points(Connection c, RaceLayer l, int closedDays) throws SQLException {
    String layer = l.name();
    LayerDef d = l.def();
    boolean hasStatus = d.fieldIndex("status") >= 0;
    boolean hasClosedAt = d.fieldIndex("closed_at") >= 0;
    boolean hasUrgency = d.fieldIndex("urgency") >= 0;
    // our PointRules: a finished incident (closed or rejected) only while closed_at + window > now,
    // never without a closed_at; an open urgent one is never clustered
    String open = hasStatus ? "(status IS NULL OR status NOT IN ('closed', 'rejected'))" : "true";
    String shown =
        hasStatus
            ? "("
                + open
                + (hasClosedAt
                    ? " OR (closed_at IS NOT NULL AND now() < closed_at + make_interval(days => "
                        + closedDays
                        + "))"
                    : "")
                + ")"
            : "true";
    String soloRule = hasUrgency ? open + " AND urgency = 'urgent'" : "false";
    String attrs = l.attributes().stream().map(a -> q(a.name())).collect(Collectors.joining(", "));
    String world = Double.toString(2 * HALF);
    String half = Double.toString(HALF);
    int deepMax = (1 << DEEP_BITS) - 1;
    // the deepest cell of a point, as our PointClusters.deepX/deepY work it out (the same double
    // arithmetic in the same order, so a point on a cell's edge falls on the same side)
    String deep =
        "LEAST(GREATEST(floor((x + "
            + half
            + "::float8) / "
            + world
            + "::float8 * "
            + (1 << DEEP_BITS)
            + "), 0), "
            + deepMax
            + ")::int AS dx, LEAST(GREATEST(floor(("
            + half
            + "::float8 - y) / "
            + world
            + "::float8 * "
            + (1 << DEEP_BITS)
            + "), 0), "
            + deepMax
            + ")::int AS dy";
    String pts = points(layer);
    exec(
        c,
        "CREATE TABLE "
            + pts
            + " AS SELECT p.*, "
            + deep
            + " FROM (SELECT fid, g AS geom, ST_X(g) AS x, ST_Y(g) AS y, "
            + soloRule
            + " AS solo, "
            + attrs
            + " FROM (SELECT *, ST_Transform(geom, 3857) AS g FROM "
            + q(layer)
            + " WHERE NOT personal AND NOT ST_IsEmpty(geom) AND "
            + shown
            + ") s) p");
    indexed(c, pts, "USING gist (geom)");
    exec(c, "CREATE TABLE " + solo(layer) + " AS SELECT * FROM " + pts + " WHERE solo");
    indexed(c, solo(layer), "USING gist (geom)");

    int from = l.minZoom();
    int to = Math.min(l.maxZoom(), LAST_CELL_ZOOM);
    StringBuilder perCell = new StringBuilder();
    for (RaceLayer.Attribute a : l.attributes()) {
      String col = q(a.name());
      String one = a.type() == FieldType.BOOLEAN ? "bool_or(" + col + ")" : "min(" + col + ")";
      String many =
          a.name().equals(l.category())
              ? "mode() WITHIN GROUP (ORDER BY " + col + " COLLATE \"C\")"
              : "NULL";
      perCell
          .append(", CASE WHEN count(*) = 1 THEN ")
          .append(one)
          .append(" ELSE ")
          .append(many)
          .append(" END AS ")
          .append(col);
    }
    String cellsTable = cells(layer);
    exec(
        c,
        "CREATE TABLE "
            + cellsTable
            + " AS SELECT z, cx, cy, count(*)::int AS n, CASE WHEN count(*) = 1 THEN min(fid) END"
            + " AS fid, sum(floor(x * "
            + FIXED
            + " + 0.5)::bigint)::float8 / "
            + FIXED
            + " / count(*) AS x, sum(floor(y * "
            + FIXED
            + " + 0.5)::bigint)::float8 / "
            + FIXED
            + " / count(*) AS y"
            + perCell
            + " FROM (SELECT p.*, zz AS z, p.dx >> ("
            + LAST_CELL_ZOOM
            + " - zz) AS cx, p.dy >> ("
            + LAST_CELL_ZOOM
            + " - zz) AS cy FROM "
            + pts
            + " p CROSS JOIN generate_series("
            + from
            + ", "
            + to
            + ") zz WHERE NOT p.solo) s GROUP BY z, cy, cx");
    indexed(c, cellsTable, "(z, cy, cx)");
    return count(c, pts)
        + " points shown ("
        + count(c, solo(layer))
        + " never clustered), "
        + count(c, cellsTable)
        + " cells at z"
        + from
        + "-"
        + to;
  }

  /** Label points placed by our own index over the admin units read from the store. */
  private static String labels(Connection c, String store) throws SQLException {
    List<Layer> admin = new ArrayList<>();
    Dataset city;
    try (FeatureStore s = Stores.open(store)) {
      for (LayerDef d : Catalogue.ADMIN_LEVELS) {
        admin.add(new Layer(d, s.features(d.name(), fids(c, d.name()))));
      }
      city = Dataset.of(admin, s.metadata(), Generalised.empty());
    }
    CityIndex index = CityIndex.build(city);
    exec(
        c,
        "CREATE TABLE "
            + LABELS
            + " (fid bigint NOT NULL, level text NOT NULL, code text, name text, minzoom int NOT"
            + " NULL, x float8 NOT NULL, y float8 NOT NULL, geom geometry(Point, 3857) NOT NULL)");
    int n = 0;
    c.setAutoCommit(false);
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + LABELS
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ST_SetSRID(ST_MakePoint(?, ?), 3857))")) {
      for (AdminLevel level : AdminLevel.values()) {
        LabelIndex li = index.labels(level);
        for (int i = 0; i < li.size(); i++) {
          LabelPoint p = li.point(i);
          if (p.feature().personal()) {
            continue; // public tiles do not label personal units (LabelLayer)
          }
          ps.setLong(1, p.id());
          ps.setString(2, level.code());
          ps.setString(3, p.code());
          ps.setString(4, p.name());
          ps.setInt(5, RaceLayer.labelMinZoom(level));
          ps.setDouble(6, p.x());
          ps.setDouble(7, p.y());
          ps.setDouble(8, p.x());
          ps.setDouble(9, p.y());
          ps.addBatch();
          if (++n % 2000 == 0) {
            ps.executeBatch();
          }
        }
      }
      ps.executeBatch();
    }
    c.commit();
    c.setAutoCommit(true);
    indexed(c, LABELS, "USING gist (geom)");
    return n + " label points placed by our CityIndex";
  }

  private static long[] fids(Connection c, String layer) throws SQLException {
    List<Long> ids = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT fid FROM " + q(layer))) {
      while (rs.next()) {
        ids.add(rs.getLong(1));
      }
    }
    return ids.stream().mapToLong(Long::longValue).toArray();
  }

  /** An index, the table clustered on it and analysed: what a tuned PostGIS server has. */
  private static void indexed(Connection c, String table, String how) throws SQLException {
    exec(c, "CREATE INDEX " + table + "_idx ON " + table + " " + how);
    exec(c, "CLUSTER " + table + " USING " + table + "_idx");
    exec(c, "ANALYZE " + table);
  }

  private static long count(Connection c, String table) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static void exec(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new SQLException(e.getMessage() + "\n  in: " + sql, e.getSQLState(), e);
    }
  }

  /** A column name, quoted ({@code count}, {@code name} and the like are SQL words). */
  static String q(String identifier) {
    return "\"" + identifier + "\"";
  }
}
