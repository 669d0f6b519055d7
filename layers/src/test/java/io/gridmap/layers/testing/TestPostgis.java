package io.gridmap.layers.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The PostGIS the tests use: {@code 127.0.0.1:5432}, user postgres, database postgres ({@code
 * ./mapserver test} installs and starts it), or the JDBC URL in {@code GRIDMAP_TEST_POSTGIS_URL}.
 * Each test gets a schema of its own, dropped afterwards, so tests never see each other's tables
 * and never touch anything else in the database. Without a reachable PostGIS the tests fail, never
 * skip.
 */
public final class TestPostgis {
  private TestPostgis() {}

  /** The JDBC URL of the test database. */
  public static String jdbcUrl() {
    String url = System.getenv("GRIDMAP_TEST_POSTGIS_URL");
    return url == null || url.isBlank()
        ? "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres"
        : url.strip();
  }

  /** A new schema name, free in the test database. */
  public static String newSchema() {
    return "gridmap_test_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 4);
  }

  /** The store URL ({@code postgresql://...}) of {@code schema} in the test database. */
  public static String storeUrl(String schema) {
    String jdbc = jdbcUrl();
    String url = jdbc.startsWith("jdbc:") ? jdbc.substring("jdbc:".length()) : jdbc;
    return url + (url.contains("?") ? "&" : "?") + "schema=" + schema;
  }

  /** A plain connection to the test database, failing with what to do when there is none. */
  public static Connection connect() {
    try {
      return DriverManager.getConnection(jdbcUrl());
    } catch (SQLException e) {
      throw new AssertionError(
          "this test needs PostgreSQL with PostGIS at "
              + jdbcUrl()
              + " (set GRIDMAP_TEST_POSTGIS_URL for another); apt-get install"
              + " postgresql-15-postgis-3 and start it, or run ./mapserver test which does: "
              + e.getMessage(),
          e);
    }
  }

  /** Drops a test schema and everything in it. */
  public static void drop(String schema) {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
    } catch (SQLException e) {
      throw new AssertionError("cannot drop test schema " + schema + ": " + e.getMessage(), e);
    }
  }

  /**
   * GDAL's connection string for {@code schema} in the test database ({@code PG:host=...
   * schemas=}), from the JDBC URL's host, port, database, user and password.
   */
  public static String ogrConnection(String schema) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile(
                "jdbc:postgresql://([^:/?]+)(?::(\\d+))?/([^?]+)(?:\\?(.*))?")
            .matcher(jdbcUrl());
    if (!m.matches()) {
      throw new AssertionError("cannot read host and database from " + jdbcUrl());
    }
    StringBuilder pg = new StringBuilder("PG:host=").append(m.group(1));
    pg.append(" port=").append(m.group(2) == null ? "5432" : m.group(2));
    pg.append(" dbname=").append(m.group(3));
    if (m.group(4) != null) {
      for (String pair : m.group(4).split("&")) {
        String[] kv = pair.split("=", 2);
        if (kv.length == 2 && (kv[0].equals("user") || kv[0].equals("password"))) {
          pg.append(' ').append(kv[0]).append('=').append(kv[1]);
        }
      }
    }
    return pg.append(" schemas=").append(schema).toString();
  }

  /** The test database's host and port, from its JDBC URL. */
  public static String[] hostAndPort() {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("jdbc:postgresql://([^:/?]+)(?::(\\d+))?/.*")
            .matcher(jdbcUrl());
    if (!m.matches()) {
      throw new AssertionError("cannot read host and port from " + jdbcUrl());
    }
    return new String[] {m.group(1), m.group(2) == null ? "5432" : m.group(2)};
  }

  /** As {@link #storeUrl(String)}, through 127.0.0.1:{@code port} (a proxy) instead. */
  public static String storeUrlVia(String schema, int port) {
    String url = storeUrl(schema);
    String via = url.replaceFirst("//[^/?]+/", "//127.0.0.1:" + port + "/");
    if (via.equals(url)) {
      throw new AssertionError("cannot point " + url + " at a proxy");
    }
    return via;
  }
}
