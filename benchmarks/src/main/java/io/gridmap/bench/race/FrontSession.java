package io.gridmap.bench.race;

import io.gridmap.tiler.geo.TileCoord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * One worker thread's connection to PostgreSQL and its prepared statements (the driver prepares
 * them on the server from the fifth use, so each is planned once per connection).
 */
final class FrontSession {
  /**
   * Our locate answer built by PostgreSQL: the grid by {@code ST_Covers} over the GiST index, the
   * smallest code where several cover the point (a shared border), {@code onBorder} when the point
   * is not in the grid's interior; the village, street and district by their codes (unique
   * indexes), the worker by id.
   */
  static final String LOCATE =
      "SELECT json_build_object('point', json_build_array(pt.lon, pt.lat),"
          + " 'onBorder', NOT ST_Contains(g.geom, pt.p),"
          + " 'grid', json_build_object('id', g.fid, 'code', g.code, 'name', g.name,"
          + " 'population', g.population, 'households', g.households),"
          + " 'village', (SELECT json_build_object('id', v.fid, 'code', v.code, 'name', v.name,"
          + " 'kind', v.kind) FROM villages v WHERE v.code = g.village_code),"
          + " 'street', (SELECT json_build_object('id', s.fid, 'code', s.code, 'name', s.name,"
          + " 'kind', s.kind, 'commandCentre', CASE WHEN s.centre_lon IS NULL OR s.centre_lat IS"
          + " NULL THEN NULL ELSE json_build_object('lon', s.centre_lon, 'lat', s.centre_lat) END)"
          + " FROM streets s WHERE s.code = g.street_code),"
          + " 'district', (SELECT json_build_object('id', d.fid, 'code', d.code, 'name', d.name)"
          + " FROM districts d WHERE d.code = g.district_code),"
          + " 'worker', (SELECT json_build_object('id', f.fid, 'role', f.role, 'on_duty',"
          + " f.on_duty) FROM forces f WHERE f.fid = g.worker_id))::text"
          + " FROM (SELECT ?::float8 AS lon, ?::float8 AS lat) c"
          + " CROSS JOIN LATERAL (SELECT c.lon, c.lat, ST_SetSRID(ST_MakePoint(c.lon, c.lat), 4326)"
          + " AS p) pt"
          + " CROSS JOIN LATERAL (SELECT * FROM grids WHERE ST_Covers(geom, pt.p) ORDER BY code"
          + " LIMIT 1) g";

  private final Connection db;
  private final Map<String, PreparedStatement> statements = new HashMap<>();

  FrontSession(Connection db) {
    this.db = db;
  }

  /** The MVT bytes of a tile; empty when it has no features. */
  byte[] tile(TileQuery q, TileCoord t) throws SQLException {
    PreparedStatement ps = statement(q.sql());
    q.bind(ps, t);
    try (ResultSet rs = ps.executeQuery()) {
      rs.next();
      byte[] b = rs.getBytes(1);
      return b == null ? new byte[0] : b;
    }
  }

  /** The locate answer as JSON, or null when no grid holds the point. */
  String locate(double lon, double lat) throws SQLException {
    PreparedStatement ps = statement(LOCATE);
    ps.setDouble(1, lon);
    ps.setDouble(2, lat);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private PreparedStatement statement(String sql) throws SQLException {
    PreparedStatement ps = statements.get(sql);
    if (ps == null) {
      ps = db.prepareStatement(sql);
      statements.put(sql, ps);
    }
    return ps;
  }
}
