package io.gridmap.importer.generate;

import io.gridmap.layers.model.Feature;
import java.util.List;

/** One district's admin features, top down, and its grids for the point generators. */
record AdminUnits(
    Feature district,
    List<Feature> streets,
    List<Feature> villages,
    List<Feature> grids,
    List<GridUnit> gridUnits) {}
