package io.gridmap.layers.query.cql2;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.model.Feature;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.provider.Arguments;
import org.locationtech.jts.io.WKTWriter;

/**
 * The SQL translation means what the evaluator means: the same filters, run in memory and in
 * PostGIS over the same features, select the same ids. Needs PostgreSQL with PostGIS: by default
 * the local server at 127.0.0.1:5432 as user postgres (what {@code ./mapserver test} starts and
 * installs); {@code GRIDMAP_TEST_POSTGIS_URL} names another JDBC URL. Without a reachable PostGIS
 * the test fails, saying what to install or start.
 *
 * <p>Works in a temporary table, so it leaves the database as it found it.
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Cql2PostgisDifferentialTest {
  private Connection db;
  private final List<Feature> features = new ArrayList<>();

  @BeforeAll
  void connectAndLoad() throws SQLException {
    String url = System.getenv("GRIDMAP_TEST_POSTGIS_URL");
    if (url == null || url.isBlank()) {
      url = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
    }
    try {
      db = DriverManager.getConnection(url);
    } catch (SQLException e) {
      throw new AssertionError(
          "this test needs PostgreSQL with PostGIS at "
              + url
              + " (set GRIDMAP_TEST_POSTGIS_URL for another);"
              + " start it and apt-get install postgresql-15-postgis-3, or run ./mapserver test which does: "
              + e.getMessage(),
          e);
    }
    try (Statement s = db.createStatement()) {
      s.execute("CREATE EXTENSION IF NOT EXISTS postgis");
      s.execute(
          "CREATE TEMP TABLE sites (id bigint PRIMARY KEY, geom geometry(Geometry, 4326), name text, category text,"
              + " population bigint, area double precision, urban boolean, reported_at timestamptz, closed_at timestamptz,"
              + " worker_name text)");
    }
    features.addAll(Cql2Fixtures.ALL);
    features.addAll(randomFeatures(300, new Random(42)));
    try (PreparedStatement ps =
        db.prepareStatement(
            "INSERT INTO sites VALUES (?, ST_GeomFromText(?, 4326), ?, ?, ?, ?, ?, ?, ?, ?)")) {
      WKTWriter wkt = new WKTWriter();
      for (Feature f : features) {
        Object[] v = f.values();
        ps.setLong(1, f.id());
        ps.setString(2, wkt.write(f.geometry()));
        ps.setObject(3, v[0], Types.VARCHAR);
        ps.setObject(4, v[1], Types.VARCHAR);
        ps.setObject(5, v[2], Types.BIGINT);
        ps.setObject(6, v[3], Types.DOUBLE);
        ps.setObject(7, v[4], Types.BOOLEAN);
        ps.setObject(8, utc((Long) v[5]), Types.TIMESTAMP_WITH_TIMEZONE);
        ps.setObject(9, utc((Long) v[6]), Types.TIMESTAMP_WITH_TIMEZONE);
        ps.setObject(10, v[7], Types.VARCHAR);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  @AfterAll
  void close() throws SQLException {
    if (db != null) {
      db.close();
    }
  }

  @Test
  void theHandWrittenFiltersSelectTheSameFeaturesInPostgis() throws SQLException {
    List<String> filters = new ArrayList<>();
    Stream.of(
            Cql2EvaluatorTest.comparisons(),
            Cql2EvaluatorTest.likeBetweenInNull(),
            Cql2EvaluatorTest.logic(),
            Cql2EvaluatorTest.temporal(),
            Cql2EvaluatorTest.spatial())
        .flatMap(s -> s)
        .map(Arguments::get)
        .forEach(a -> filters.add((String) a[0]));
    for (String text : filters) {
      assertSameInMemoryAndInSql(Cql2.parseText(text), text);
    }
  }

  @Test
  void randomTypedFiltersSelectTheSameFeaturesInPostgis() throws SQLException {
    for (long seed = 0; seed < 1500; seed++) {
      Filter f = new Cql2RandomFilters(seed).typedFilter();
      assertSameInMemoryAndInSql(f, "seed " + seed + ": " + Cql2.toText(f));
      assertSameInMemoryAndInSql(new Filter.Not(f), "seed " + seed + " negated");
    }
  }

  private void assertSameInMemoryAndInSql(Filter filter, String description) throws SQLException {
    BoundFilter b = Cql2.bind(filter, Cql2Fixtures.PUBLIC);
    Set<Long> inMemory = new TreeSet<>();
    features.stream().filter(b.toPredicate()).forEach(f -> inMemory.add(f.id()));
    SqlFragment sql = b.toSql();
    Set<Long> inSql = new TreeSet<>();
    try (PreparedStatement ps = db.prepareStatement("SELECT id FROM sites WHERE " + sql.sql())) {
      for (int i = 0; i < sql.parameters().size(); i++) {
        ps.setObject(i + 1, sql.parameters().get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          inSql.add(rs.getLong(1));
        }
      }
    }
    Set<Long> onlyInSql = new TreeSet<>(inSql);
    onlyInSql.removeAll(inMemory);
    Set<Long> onlyInMemory = new TreeSet<>(inMemory);
    onlyInMemory.removeAll(inSql);
    assertThat(onlyInSql)
        .as(
            "%s%nSQL: %s%nparameters: %s%nonly in memory: %s",
            description, sql.sql(), sql.parameters(), onlyInMemory)
        .isEmpty();
    assertThat(onlyInMemory)
        .as("%s%nSQL: %s%nparameters: %s", description, sql.sql(), sql.parameters())
        .isEmpty();
  }

  private static OffsetDateTime utc(Long millis) {
    return millis == null
        ? null
        : OffsetDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
  }

  /** Points and small boxes around the fixtures, with nulls sprinkled in every attribute. */
  private static List<Feature> randomFeatures(int n, Random r) {
    String[] names = {
      "Jiefangbei",
      "Ciqikou",
      "north_gate",
      "O'Brien's 100% site",
      "网格一",
      "fire station",
      "FIRE",
      "x"
    };
    String[] categories = {"fire", "flood", "FIRE", "manhole_cover", "Ciqikou"};
    long may1 = Cql2Fixtures.t("2024-05-01T00:00:00Z");
    List<Feature> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double x = 106.4 + r.nextDouble() * 0.3;
      double y = 29.45 + r.nextDouble() * 0.2;
      var g =
          r.nextInt(3) == 0
              ? Cql2Fixtures.box(x, y, x + r.nextDouble() * 0.02, y + r.nextDouble() * 0.02)
              : Cql2Fixtures.point(x, y);
      Long reported =
          r.nextInt(5) == 0 ? null : may1 + (long) (r.nextDouble() * 4 * 86_400_000L) - 86_400_000L;
      Long closed =
          reported == null || r.nextBoolean()
              ? null
              : reported + (long) (r.nextDouble() * 86_400_000L);
      out.add(
          Cql2Fixtures.feature(
              100 + i,
              g,
              r.nextInt(6) == 0 ? null : names[r.nextInt(names.length)],
              r.nextInt(6) == 0 ? null : categories[r.nextInt(categories.length)],
              r.nextInt(5) == 0 ? null : (long) new int[] {0, 1, 2, 3, 50, 800, 1200}[r.nextInt(7)],
              r.nextInt(5) == 0 ? null : new double[] {0.5, 1.0, 2.5, 10.25}[r.nextInt(4)],
              r.nextInt(5) == 0 ? null : r.nextBoolean(),
              reported,
              closed,
              null));
    }
    return out;
  }
}
