package io.gridmap.importer.generate;

import java.util.List;

/**
 * What to generate.
 *
 * @param seed everything random derives from (seed, a code): same seed, same city
 * @param scale 0 < scale <= 1; multiplies every count under a district (at least one street each).
 *     1 is the full city: 1,031 streets, ~11,000 villages, ~65,000 grids, ~95,000 key sites, ~1.08
 *     million forces and ~1.1 million events
 * @param districtCodes GB/T 2260 codes of the districts to generate; empty for all 38. A district
 *     comes out identical whether generated alone or with the others
 */
public record GeneratorConfig(long seed, double scale, List<String> districtCodes) {
  public GeneratorConfig {
    if (!(scale > 0 && scale <= 1)) {
      throw new IllegalArgumentException("scale must be in (0, 1], got " + scale);
    }
    districtCodes = districtCodes == null ? List.of() : List.copyOf(districtCodes);
    for (String c : districtCodes) {
      if (c == null || !c.matches("\\d{6}")) {
        throw new IllegalArgumentException("district code must be 6 digits, got '" + c + "'");
      }
    }
  }

  /** The whole city at full scale. */
  public static GeneratorConfig fullCity(long seed) {
    return new GeneratorConfig(seed, 1.0, List.of());
  }
}
