package io.gridmap.layers.query.cql2;

import java.util.List;
import java.util.Objects;

/**
 * A SQL boolean expression for a WHERE clause, with {@code ?} placeholders, and the values to bind
 * to them in order (with {@code PreparedStatement.setObject}). The SQL text is built only from
 * constants of this package and the quoted column names of the bound queryables; every value a
 * filter supplies, including WKT of geometry literals and LIKE patterns, is a parameter.
 *
 * @param sql e.g. {@code ("category" = ? AND ST_Intersects("geom", ST_GeomFromText(?, 4326)))}
 * @param parameters String, Long, Double, Boolean or (for timestamps) OffsetDateTime or Long
 */
public record SqlFragment(String sql, List<Object> parameters) {
  public SqlFragment {
    Objects.requireNonNull(sql, "sql");
    parameters = List.copyOf(parameters);
    long placeholders = sql.chars().filter(c -> c == '?').count();
    if (placeholders != parameters.size()) {
      throw new IllegalStateException(
          "SQL has "
              + placeholders
              + " placeholders but "
              + parameters.size()
              + " parameters: "
              + sql);
    }
  }
}
