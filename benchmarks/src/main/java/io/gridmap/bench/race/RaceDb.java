package io.gridmap.bench.race;

import io.gridmap.layers.store.pg.PostgisUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * JDBC connections to the race's PostGIS schema, from the same {@code postgresql://...?schema=}
 * location our server is given, with the search path set to that schema and PostGIS's. The cluster
 * benchmark ({@code io.gridmap.bench.cluster}) opens its connections here too.
 */
public final class RaceDb {
  private RaceDb() {}

  static Connection open(PostgisUrl url) throws SQLException {
    return open(url, "gridmap-race");
  }

  /**
   * @param applicationName what {@code pg_stat_activity} shows for the session
   */
  public static Connection open(PostgisUrl url, String applicationName) throws SQLException {
    Properties p = new Properties();
    if (url.user() != null) {
      p.setProperty("user", url.user());
    }
    if (url.password() != null) {
      p.setProperty("password", url.password());
    }
    p.setProperty("ApplicationName", applicationName);
    Connection c = DriverManager.getConnection(url.jdbcUrl(), p);
    String postgis;
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
                    + " WHERE e.extname = 'postgis'")) {
      if (!rs.next()) {
        c.close();
        throw new SQLException(
            url.display() + " has no PostGIS extension: write the city there first (generate)");
      }
      postgis = rs.getString(1);
    }
    try (Statement s = c.createStatement()) {
      // the schema name is checked by PostgisUrl (lower-case letters, digits, underscores)
      s.execute("SET search_path TO " + url.schema() + ", \"" + postgis.replace("\"", "") + "\"");
    }
    return c;
  }
}
