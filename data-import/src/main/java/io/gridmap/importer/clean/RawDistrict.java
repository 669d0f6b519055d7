package io.gridmap.importer.clean;

import org.locationtech.jts.geom.Geometry;

/** A district outline as read, before repair. */
public record RawDistrict(String code, String name, String sourceName, Geometry geometry) {}
