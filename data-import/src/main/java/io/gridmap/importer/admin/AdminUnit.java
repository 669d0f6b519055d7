package io.gridmap.importer.admin;

import org.locationtech.jts.geom.Geometry;

/** A district, street, village or grid as the hierarchy checks see it: its code and outline. */
public record AdminUnit(String code, Geometry geometry) {}
