package io.gridmap.bench.race;

import io.gridmap.tiler.render.PointLayer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@code ST_AsMVT} statements of the PostGIS side, one per (zoom, whole map or layer), over the
 * {@link RaceTables}: what a PostGIS tile server (martin, pg_tileserv, a function source) runs,
 * with the same layers, attributes, extent (4096) and buffer (64 units) as our tiler.
 *
 * <ul>
 *   <li>Polygons: {@code ST_AsMVTGeom} (clip to the buffered tile, snap to the grid, make valid)
 *       over the polygons whose box meets {@code ST_TileEnvelope} grown by the buffer.
 *   <li>Points and labels: scaled and rounded in SQL with our rule ({@code floor(v + 0.5)}, kept
 *       when inside the buffered tile), not by {@code ST_AsMVTGeom}, whose clip tests the position
 *       before rounding and so differs from ours for points within half a unit of the buffer's
 *       edge: a few per hundred tiles, enough to make the feature ids differ.
 *   <li>Clustered point layers: the cells of the precomputed cluster table that the tile and its
 *       ring of neighbouring cells hold, a cell of one point drawn as that point and a cluster at
 *       its clamped mean, either only when it lies in the buffer, plus the never-clustered points.
 * </ul>
 *
 * A whole-map tile is the concatenation of its layers' {@code ST_AsMVT} in one statement, as our
 * tile is the concatenation of its layer messages.
 */
final class TileSql {
  private static final String CELL = Integer.toString(PointLayer.CELL_UNITS);
  private static final String LO = Integer.toString(-RaceTables.BUFFER);
  private static final String HI = Integer.toString(RaceTables.EXTENT + RaceTables.BUFFER);

  /** The rounded tile position of a row's {@code x, y} (EPSG:3857), as our tiler rounds. */
  private static final String POINT =
      "ST_MakePoint(floor((x - {ox}) * {scale} + 0.5), floor(({oy} - y) * {scale} + 0.5))";

  /** Rows whose {@code x, y} lie in the buffered tile, edges included (the box test is float4). */
  private static final String INSIDE =
      "geom && ST_MakeEnvelope({minx}, {miny}, {maxx}, {maxy}, 3857)"
          + " AND x BETWEEN {minx} AND {maxx} AND y BETWEEN {miny} AND {maxy}";

  /** Per polygon layer, the table each zoom reads. */
  private final Map<String, Map<Integer, String>> polygonTables;

  private TileSql(Map<String, Map<Integer, String>> polygonTables) {
    this.polygonTables = polygonTables;
  }

  /** Reads which polygon table each (layer, zoom) reads from {@code race_zooms}. */
  static TileSql load(Connection c) throws SQLException {
    Map<String, Map<Integer, String>> tables = new HashMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT layer, zoom, source FROM " + RaceTables.ZOOMS + " ORDER BY 1")) {
      while (rs.next()) {
        tables
            .computeIfAbsent(rs.getString(1), k -> new HashMap<>())
            .put(rs.getInt(2), rs.getString(3));
      }
    }
    if (tables.isEmpty()) {
      throw new SQLException(RaceTables.ZOOMS + " is empty: run RaceTables on this schema first");
    }
    return new TileSql(tables);
  }

  /** Every layer drawn at {@code z}, concatenated; an empty bytea when none is. */
  TileQuery whole(int z) {
    List<String> parts = new ArrayList<>();
    for (RaceLayer l : RaceLayer.all()) {
      if (l.visibleAt(z)) {
        parts.add(layerSql(l, z));
      }
    }
    return TileQuery.of(
        parts.isEmpty() ? "SELECT ''::bytea" : "SELECT " + String.join(" || ", parts));
  }

  /** One layer's tile; an empty bytea where the layer is not drawn. */
  TileQuery single(RaceLayer l, int z) {
    return TileQuery.of(l.visibleAt(z) ? "SELECT " + layerSql(l, z) : "SELECT ''::bytea");
  }

  private String layerSql(RaceLayer l, int z) {
    String rows =
        switch (l.kind()) {
          case COVERAGE -> polygons(l, z);
          case LABELS ->
              "SELECT fid AS id, "
                  + POINT
                  + " AS geom, \"level\", \"code\", \"name\" FROM "
                  + RaceTables.LABELS
                  + " WHERE minzoom <= {z} AND "
                  + INSIDE;
          case POINTS ->
              l.clusteredAt(z) ? clustered(l) : individual(l, RaceTables.points(l.name()));
        };
    return "(SELECT COALESCE(ST_AsMVT(q, '"
        + l.name()
        + "', "
        + RaceTables.EXTENT
        + ", 'geom', 'id'), ''::bytea) FROM ("
        + rows
        + ") q WHERE q.geom IS NOT NULL)";
  }

  private String polygons(RaceLayer l, int z) {
    String table = polygonTables.getOrDefault(l.name(), Map.of()).get(z);
    if (table == null) {
      throw new IllegalStateException(
          "no polygon table for " + l.name() + " at z" + z + " in " + RaceTables.ZOOMS);
    }
    return "SELECT fid AS id, ST_AsMVTGeom(geom, ST_TileEnvelope({z}, {x}, {y}), "
        + RaceTables.EXTENT
        + ", "
        + RaceTables.BUFFER
        + ", true) AS geom"
        + attributes(l)
        + " FROM "
        + table
        + " WHERE geom && ST_TileEnvelope({z}, {x}, {y}, margin => "
        + ((double) RaceTables.BUFFER / RaceTables.EXTENT)
        + ")";
  }

  private static String individual(RaceLayer l, String table) {
    return "SELECT fid AS id, "
        + POINT
        + " AS geom"
        + attributes(l)
        + " FROM "
        + table
        + " WHERE "
        + INSIDE;
  }

  /**
   * The cells of the tile and its ring: a cluster at its mean position, rounded and clamped into
   * its cell, with our id, its count and most common category; a cell of one point as that point;
   * either only if it lies in the buffer. Then the points never clustered.
   */
  private static String clustered(RaceLayer l) {
    String ux = "(cx - {tcx}) * " + CELL;
    String uy = "(cy - {tcy}) * " + CELL;
    String clampedX =
        "LEAST(GREATEST(tx, " + ux + "), " + ux + " + " + (PointLayer.CELL_UNITS - 1) + ")";
    String clampedY =
        "LEAST(GREATEST(ty, " + uy + "), " + uy + " + " + (PointLayer.CELL_UNITS - 1) + ")";
    String clamped = "ST_MakePoint(" + clampedX + ", " + clampedY + ")";
    // where the cell's feature is drawn: a cell of one point at that point, a cluster clamped
    String drawnX = "CASE WHEN n = 1 THEN tx ELSE " + clampedX + " END";
    String drawnY = "CASE WHEN n = 1 THEN ty ELSE " + clampedY + " END";
    String cells =
        "SELECT CASE WHEN n = 1 THEN fid ELSE {cluster} + cy::bigint * 1048576 + cx END AS id,"
            + " CASE WHEN n = 1 THEN ST_MakePoint(tx, ty) ELSE "
            + clamped
            + " END AS geom, CASE WHEN n > 1 THEN n END AS \"count\""
            + attributes(l)
            + " FROM (SELECT c.*, floor((c.x - {ox}) * {scale} + 0.5) AS tx,"
            + " floor(({oy} - c.y) * {scale} + 0.5) AS ty FROM "
            + RaceTables.cells(l.name())
            + " c WHERE c.z = {z} AND c.cy BETWEEN {cy0} AND {cy1} AND c.cx BETWEEN {cx0} AND {cx1}) c"
            // our PointLayer draws a ring cell's feature only inside the buffer, cluster or not
            + " WHERE "
            + drawnX
            + " BETWEEN "
            + LO
            + " AND "
            + HI
            + " AND "
            + drawnY
            + " BETWEEN "
            + LO
            + " AND "
            + HI;
    String solo =
        "SELECT fid, "
            + POINT
            + ", NULL::int"
            + attributes(l)
            + " FROM "
            + RaceTables.solo(l.name())
            + " WHERE "
            + INSIDE;
    return cells + " UNION ALL " + solo;
  }

  private static String attributes(RaceLayer l) {
    if (l.attributes().isEmpty()) {
      return "";
    }
    return ", "
        + l.attributes().stream()
            .map(a -> RaceTables.q(a.name()))
            .collect(Collectors.joining(", "));
  }
}
