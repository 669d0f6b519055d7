package io.gridmap.importer.generate;

import org.locationtech.jts.geom.Geometry;

/**
 * A generated grid with what the point generators need to know about it.
 *
 * @param code 15-digit grid code
 * @param urban true for a grid in a community (社区), false in a village (村)
 * @param streetName name of its street, for descriptions
 */
record GridUnit(
    String code,
    String villageCode,
    String streetCode,
    String districtCode,
    String streetName,
    boolean urban,
    Geometry geometry,
    long population,
    long workerId,
    String workerName) {

  long id() {
    return Long.parseLong(code);
  }
}
