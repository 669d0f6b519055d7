package io.gridmap.layers.model;

/**
 * A hotspot planted by the generator: {@code count} events of one category within {@code
 * radiusMeters} of a centre inside a time window. Recorded in the dataset's metadata so that
 * analysis can be tested against a known answer.
 */
public record Hotspot(
    String category,
    double centreLon,
    double centreLat,
    double radiusMeters,
    int count,
    long fromEpochMillis,
    long toEpochMillis,
    String description) {
  public Hotspot {
    if (count <= 0 || radiusMeters <= 0 || toEpochMillis < fromEpochMillis) {
      throw new IllegalArgumentException("hotspot needs count > 0, radius > 0 and from <= to");
    }
  }
}
