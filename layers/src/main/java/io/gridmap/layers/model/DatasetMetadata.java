package io.gridmap.layers.model;

import java.util.List;
import java.util.Map;

/**
 * What a generated or imported dataset says about itself; stored as JSON in the store's metadata.
 *
 * @param name dataset name, e.g. "chongqing"
 * @param seed generator seed (0 for imports)
 * @param scale generator scale (1.0 is the full city)
 * @param districtCodes the districts generated (empty: all)
 * @param createdAt ISO-8601 instant
 * @param counts features per layer
 * @param hotspots planted hotspots
 * @param notes free-form facts, e.g. the district cleaning report
 */
public record DatasetMetadata(
    String name,
    long seed,
    double scale,
    List<String> districtCodes,
    String createdAt,
    Map<String, Integer> counts,
    List<Hotspot> hotspots,
    Map<String, String> notes) {
  public DatasetMetadata {
    districtCodes = districtCodes == null ? List.of() : List.copyOf(districtCodes);
    // insertion order kept: counts print in catalogue order
    counts =
        counts == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(counts));
    hotspots = hotspots == null ? List.of() : List.copyOf(hotspots);
    notes =
        notes == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(notes));
  }
}
