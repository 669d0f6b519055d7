package io.gridmap.importer.read.geojson;

import com.fasterxml.jackson.core.JsonLocation;

/**
 * A problem found inside a feature, thrown from deep in the parse and turned into an {@code
 * ImportException} by {@link GeoJsonReader}, which knows the file and the feature's number.
 *
 * @param location where in the file, for the message's line and column
 */
final class BadGeoJson extends RuntimeException {
  private final transient JsonLocation location;
  private final String fix;

  BadGeoJson(String problem, String fix, JsonLocation location) {
    super(problem, null, false, false);
    this.fix = fix;
    this.location = location;
  }

  String problem() {
    return getMessage();
  }

  String fix() {
    return fix;
  }

  JsonLocation location() {
    return location;
  }
}
