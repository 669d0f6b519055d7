package io.gridmap.layers.query.cql2;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class Cql2SqlTranslatorTest {

  static SqlFragment sql(String text) {
    return Cql2.bind(Cql2.parseText(text), Cql2Fixtures.PUBLIC).toSql();
  }

  static SqlFragment sqlMillis(String text) {
    return Cql2.bind(Cql2.parseText(text), Cql2Fixtures.PUBLIC)
        .toSql(new SqlOptions("the_geom", "fid", 4326, SqlOptions.TimestampEncoding.EPOCH_MILLIS));
  }

  static OffsetDateTime utc(String iso) {
    return OffsetDateTime.parse(iso).withOffsetSameInstant(ZoneOffset.UTC);
  }

  @Test
  void comparisonsQuoteTheColumnAndBindTheValue() {
    SqlFragment f = sql("category = 'fire'");
    assertThat(f.sql()).isEqualTo("(\"category\" = ?)");
    assertThat(f.parameters()).containsExactly("fire");
    assertThat(sql("population >= 800").parameters()).containsExactly(800L);
    assertThat(sql("area < 2.5").parameters()).containsExactly(2.5);
    assertThat(sql("urban = TRUE").parameters()).containsExactly(true);
  }

  @Test
  void stringOrderingComparesCodePointsLikeTheEvaluator() {
    assertThat(sql("category < 'fire'").sql()).isEqualTo("(\"category\" COLLATE \"C\" < ?)");
    assertThat(sql("category <> 'fire'").sql()).isEqualTo("(\"category\" <> ?)");
  }

  @Test
  void logicIsFullyParenthesised() {
    assertThat(sql("category = 'a' OR category = 'b' AND NOT population > 1").sql())
        .isEqualTo("((\"category\" = ?) OR ((\"category\" = ?) AND NOT ((\"population\" > ?))))");
    assertThat(sql("TRUE AND NOT FALSE").sql()).isEqualTo("(TRUE AND NOT (FALSE))");
  }

  @Test
  void likePatternsAreReEscapedForSqlWithAConstantEscapeCharacter() {
    SqlFragment f = sql("name LIKE 'O''Brien''s 100\\% _ite!%'");
    assertThat(f.sql()).isEqualTo("(\"name\" LIKE ? ESCAPE '!')");
    assertThat(f.parameters()).containsExactly("O'Brien's 100!% _ite!!%");
    SqlFragment ci = sql("name LIKE CASEI('Jie%')");
    assertThat(ci.sql()).isEqualTo("(LOWER(\"name\") LIKE ? ESCAPE '!')");
    assertThat(ci.parameters()).containsExactly("jie%");
  }

  @Test
  void betweenInAndIsNull() {
    assertThat(sql("population BETWEEN 1 AND 9").sql())
        .isEqualTo("(\"population\" BETWEEN ? AND ?)");
    SqlFragment in = sql("category NOT IN ('a', 'b', 'c')");
    assertThat(in.sql()).isEqualTo("NOT ((\"category\" IN (?, ?, ?)))");
    assertThat(in.parameters()).containsExactly("a", "b", "c");
    assertThat(sql("closed_at IS NOT NULL").sql()).isEqualTo("NOT ((\"closed_at\" IS NULL))");
    assertThat(sql("INTERVAL('2024-01-01', '..') IS NULL").sql()).isEqualTo("FALSE");
    assertThat(sql("CASEI(name) IS NULL").sql()).isEqualTo("(LOWER(\"name\") IS NULL)");
    assertThat(sql("CASEI(name) = CASEI('Ciqikou')").sql()).isEqualTo("(LOWER(\"name\") = ?)");
    assertThat(sql("CASEI(name) = CASEI('Ciqikou')").parameters()).containsExactly("ciqikou");
  }

  @Test
  void idAndGeometryMapToTheConfiguredColumns() {
    assertThat(sql("id = 3").sql()).isEqualTo("(\"id\" = ?)");
    assertThat(sqlMillis("id = 3").sql()).isEqualTo("(\"fid\" = ?)");
    assertThat(sqlMillis("S_INTERSECTS(geom, BBOX(1, 2, 3, 4))").sql())
        .isEqualTo("ST_Intersects(\"the_geom\", ST_MakeEnvelope(?, ?, ?, ?, 4326))");
  }

  @Test
  void geometryLiteralsAreWktParameters() {
    SqlFragment f =
        sql("S_WITHIN(geometry, POLYGON((106.5 29.5, 106.6 29.5, 106.6 29.6, 106.5 29.5)))");
    assertThat(f.sql()).isEqualTo("ST_Within(\"geom\", ST_GeomFromText(?, 4326))");
    assertThat(f.parameters())
        .containsExactly("POLYGON((106.5 29.5, 106.6 29.5, 106.6 29.6, 106.5 29.5))");
    for (SpatialOperator op : SpatialOperator.values()) {
      assertThat(sql(op.textName() + "(geometry, POINT(1 2))").sql())
          .startsWith(op.postgisFunction() + "(\"geom\", ");
    }
  }

  @Test
  void dwithinUsesAnIndexableEnvelopeThenGeography() {
    SqlFragment f = sql("S_DWITHIN(geometry, POINT(106.5 29.5), 2, km)");
    assertThat(f.sql())
        .isEqualTo(
            "(\"geom\" && ST_MakeEnvelope(?, ?, ?, ?, 4326) AND ST_DWithin(CAST(\"geom\" AS geography),"
                + " CAST(ST_GeomFromText(?, 4326) AS geography), ?))");
    assertThat(f.parameters()).hasSize(6);
    assertThat(f.parameters().get(4)).isEqualTo("POINT(106.5 29.5)");
    assertThat(f.parameters().get(5)).isEqualTo(2000.0);
  }

  @Test
  void timestampsBindAsUtcOffsetDateTimesOrEpochMillis() {
    SqlFragment f = sql("reported_at > TIMESTAMP('2024-05-01T16:00:00+08:00')");
    assertThat(f.sql()).isEqualTo("(\"reported_at\" > ?)");
    assertThat(f.parameters()).containsExactly(utc("2024-05-01T08:00:00Z"));
    assertThat(sqlMillis("reported_at > DATE('2024-05-01')").parameters())
        .containsExactly(Cql2Fixtures.t("2024-05-01T00:00:00Z"));
  }

  @Test
  void temporalOperatorsBecomeComparisonsOfIntervalEnds() {
    SqlFragment during = sql("T_DURING(reported_at, INTERVAL('2024-05-01', '2024-05-02'))");
    assertThat(during.sql()).isEqualTo("((\"reported_at\" > ?) AND (\"reported_at\" < ?))");
    assertThat(during.parameters())
        .containsExactly(utc("2024-05-01T00:00:00Z"), utc("2024-05-02T23:59:59.999Z"));

    // against an open end the answer is fixed, but a NULL column must stay UNKNOWN
    assertThat(sql("T_DURING(reported_at, INTERVAL('2024-05-01T08:00:00Z', '..'))").sql())
        .isEqualTo("((\"reported_at\" > ?) AND (\"reported_at\" = \"reported_at\"))");
    assertThat(sql("T_AFTER(reported_at, INTERVAL('..', '..'))").sql())
        .isEqualTo("(\"reported_at\" <> \"reported_at\")");

    assertThat(sql("T_DISJOINT(reported_at, DATE('2024-05-01'))").sql())
        .isEqualTo("NOT ((\"reported_at\" <= ?) AND (\"reported_at\" >= ?))");
    assertThat(
            sql("T_INTERSECTS(INTERVAL(reported_at, closed_at), TIMESTAMP('2024-05-01T09:00:00Z'))")
                .sql())
        .isEqualTo("((\"reported_at\" <= ?) AND (\"closed_at\" >= ?))");
    // literal against literal is decided here
    assertThat(sql("T_BEFORE(DATE('2024-01-01'), DATE('2024-01-02'))").sql()).isEqualTo("TRUE");
    assertThat(sql("T_AFTER(DATE('2024-01-01'), DATE('2024-01-02'))").sql()).isEqualTo("FALSE");
    assertThat(sql("T_DISJOINT(DATE('2024-01-01'), DATE('2024-01-02'))").sql()).isEqualTo("TRUE");
  }

  @Test
  void placeholdersAndParametersAlwaysAgree() {
    SqlFragment f =
        sql(
            "category IN ('a', 'b') AND S_DWITHIN(geometry, POINT(1 2), 5) AND T_DURING(reported_at, INTERVAL('2024-01-01', '..'))"
                + " OR name LIKE 'x%' AND population BETWEEN 1 AND 2");
    assertThat(f.sql().chars().filter(c -> c == '?').count()).isEqualTo(f.parameters().size());
  }
}
