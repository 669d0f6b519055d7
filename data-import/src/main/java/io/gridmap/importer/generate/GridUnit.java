package io.gridmap.importer.generate;

import org.locationtech.jts.geom.Geometry;

/**
 * A generated grid with what the point generators need to know about it.
 *
 * @param code 15-digit grid code
 * @param number the grid's number in its district, from 1 (its points' ids hold it: {@link
 *     PointIds})
 * @param urban true for a grid in a community (社区), false in a village (村)
 * @param streetName name of its street, for descriptions
 */
record GridUnit(
    String code,
    int number,
    String villageCode,
    String streetCode,
    String districtCode,
    String streetName,
    boolean urban,
    Geometry geometry,
    long population,
    String workerName) {}
