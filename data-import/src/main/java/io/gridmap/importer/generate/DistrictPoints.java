package io.gridmap.importer.generate;

import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Hotspot;
import java.util.List;

/** One district's point layers and the hotspots planted in its events. */
record DistrictPoints(
    List<Feature> keySites, List<Feature> forces, List<Feature> events, List<Hotspot> hotspots) {}
