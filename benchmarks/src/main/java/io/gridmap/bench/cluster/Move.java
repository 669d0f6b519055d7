package io.gridmap.bench.cluster;

import java.util.Locale;

/**
 * One position of one force, written by the benchmark: the key by which a write is known again on a
 * node's live stream, in its items and in the store's history. Coordinates are held in the store's
 * precision, 1e-7 degrees (docs/live.md), as whole numbers, so that what comes back as JSON or from
 * PostGIS compares exactly; every move the benchmark makes is at a position of its own.
 *
 * @param force the force's id
 * @param lonE7 longitude in 1e-7 degrees
 * @param latE7 latitude in 1e-7 degrees
 */
record Move(long force, long lonE7, long latE7) {
  static Move of(long force, double lon, double lat) {
    return new Move(force, Math.round(lon * 1e7), Math.round(lat * 1e7));
  }

  double lon() {
    return lonE7 / 1e7;
  }

  double lat() {
    return latE7 / 1e7;
  }

  /** The body of {@code POST /live/positions}: this move alone, at the server's clock. */
  String body() {
    return String.format(
        Locale.ROOT,
        "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"id\":%d,"
            + "\"geometry\":{\"type\":\"Point\",\"coordinates\":[%.7f,%.7f]},\"properties\":{}}]}",
        force,
        lon(),
        lat());
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "force %d to %.7f,%.7f", force, lon(), lat());
  }
}
