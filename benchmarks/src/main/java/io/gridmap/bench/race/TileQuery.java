package io.gridmap.bench.race;

import io.gridmap.tiler.geo.TileCoord;
import io.gridmap.tiler.render.ClusterIds;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.locationtech.jts.geom.Envelope;

/**
 * One prepared tile statement: SQL with {@code ?} and, in order, what each {@code ?} is. Written
 * with named holes ({@code {z}}, {@code {ox}}, ...) so that the fragments stay readable; {@link
 * #of} turns them into positional parameters.
 *
 * <p>Like a PostGIS tile server, the statement is the same text for every tile of a zoom and takes
 * the tile as parameters, so PostgreSQL plans it once per connection and zoom.
 */
record TileQuery(String sql, List<Param> params) {
  /** What a {@code ?} is bound to, from the tile. */
  enum Param {
    Z("z"),
    X("x"),
    Y("y"),
    /** EPSG:3857 x of the tile's west edge (our {@code TileTransform}'s origin). */
    ORIGIN_X("ox"),
    /** EPSG:3857 y of the tile's north edge. */
    ORIGIN_Y("oy"),
    /** Tile units per metre. */
    SCALE("scale"),
    /** The tile grown by the buffer, EPSG:3857, as our {@code TileCoord.bufferedBounds}. */
    MIN_X("minx"),
    MIN_Y("miny"),
    MAX_X("maxx"),
    MAX_Y("maxy"),
    /** The cells a tile reads at a clustered zoom: its own 16 x 16 and one ring around them. */
    CELL_X0("cx0"),
    CELL_X1("cx1"),
    CELL_Y0("cy0"),
    CELL_Y1("cy1"),
    /** The tile's first cell column and row. */
    TILE_CELL_X("tcx"),
    TILE_CELL_Y("tcy"),
    /** Our cluster id of cell (0, 0) at the zoom; a cell adds {@code cy * 2^20 + cx}. */
    CLUSTER_BASE("cluster");

    final String hole;

    Param(String hole) {
      this.hole = hole;
    }

    static Param byHole(String hole) {
      for (Param p : values()) {
        if (p.hole.equals(hole)) {
          return p;
        }
      }
      throw new IllegalArgumentException("no tile parameter {" + hole + "}");
    }
  }

  private static final Pattern HOLE = Pattern.compile("\\{([a-z0-9]+)}");

  TileQuery {
    params = List.copyOf(params);
  }

  /** A statement from SQL with named holes. */
  static TileQuery of(String withHoles) {
    List<Param> params = new ArrayList<>();
    Matcher m = HOLE.matcher(withHoles);
    StringBuilder sql = new StringBuilder();
    while (m.find()) {
      params.add(Param.byHole(m.group(1)));
      m.appendReplacement(sql, "?");
    }
    m.appendTail(sql);
    return new TileQuery(sql.toString(), params);
  }

  /** Binds the tile's values, worked out with our tiler's own arithmetic. */
  void bind(PreparedStatement ps, TileCoord t) throws SQLException {
    int shift = ClusterIds.cellShift();
    int across = 1 << shift;
    int cellsAcross = 1 << (t.z() + shift);
    // our PointLayer reads the ring of cells reaching into the buffer (one: the buffer is under a
    // cell) and draws of them only what lies in the buffer (TileSql)
    int cellUnits = RaceTables.EXTENT >> shift;
    int ring = Math.min(across, Math.max(1, (RaceTables.BUFFER + cellUnits - 1) / cellUnits));
    int x0 = t.x() << shift;
    int y0 = t.y() << shift;
    Envelope e = t.bufferedBounds(RaceTables.BUFFER, RaceTables.EXTENT);
    for (int i = 0; i < params.size(); i++) {
      int at = i + 1;
      switch (params.get(i)) {
        case Z -> ps.setInt(at, t.z());
        case X -> ps.setInt(at, t.x());
        case Y -> ps.setInt(at, t.y());
        case ORIGIN_X -> ps.setDouble(at, t.minX());
        case ORIGIN_Y -> ps.setDouble(at, t.maxY());
        case SCALE -> ps.setDouble(at, RaceTables.EXTENT / TileCoord.size(t.z()));
        case MIN_X -> ps.setDouble(at, e.getMinX());
        case MIN_Y -> ps.setDouble(at, e.getMinY());
        case MAX_X -> ps.setDouble(at, e.getMaxX());
        case MAX_Y -> ps.setDouble(at, e.getMaxY());
        case CELL_X0 -> ps.setInt(at, Math.max(0, x0 - ring));
        case CELL_X1 -> ps.setInt(at, Math.min(cellsAcross - 1, x0 + across - 1 + ring));
        case CELL_Y0 -> ps.setInt(at, Math.max(0, y0 - ring));
        case CELL_Y1 -> ps.setInt(at, Math.min(cellsAcross - 1, y0 + across - 1 + ring));
        case TILE_CELL_X -> ps.setInt(at, x0);
        case TILE_CELL_Y -> ps.setInt(at, y0);
        case CLUSTER_BASE -> ps.setLong(at, ClusterIds.of(t.z(), 0, 0));
      }
    }
  }
}
