package io.gridmap.layers.query.cql2;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a layer's table looks to the SQL translator. Column names come from configuration, never from
 * a request; they are still checked and always double-quoted.
 *
 * @param geometryColumn geometry column (EPSG:{@code srid}, WGS84 lon/lat)
 * @param idColumn feature id column
 * @param srid SRID of the geometry column and of literals (4326)
 * @param timestamps how TIMESTAMP fields are stored
 */
public record SqlOptions(
    String geometryColumn, String idColumn, int srid, TimestampEncoding timestamps) {
  /** Storage of TIMESTAMP fields. */
  public enum TimestampEncoding {
    /** {@code timestamptz} columns; parameters are {@link java.time.OffsetDateTime} in UTC. */
    TIMESTAMPTZ,
    /** {@code bigint} epoch milliseconds; parameters are {@link Long}. */
    EPOCH_MILLIS
  }

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

  /** {@code geom}, {@code id}, SRID 4326, timestamptz. */
  public static final SqlOptions POSTGIS_DEFAULTS =
      new SqlOptions("geom", "id", 4326, TimestampEncoding.TIMESTAMPTZ);

  public SqlOptions {
    requireIdentifier("geometryColumn", geometryColumn);
    requireIdentifier("idColumn", idColumn);
    Objects.requireNonNull(timestamps, "timestamps");
    if (srid <= 0) {
      throw new IllegalArgumentException("srid must be positive, got " + srid);
    }
  }

  private static void requireIdentifier(String what, String name) {
    if (name == null || !IDENTIFIER.matcher(name).matches()) {
      throw new IllegalArgumentException(what + " must be a plain SQL identifier, got " + name);
    }
  }
}
