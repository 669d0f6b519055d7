package io.gridmap.importer.clean;

import java.util.List;

/** Districts after cleaning, ordered by code, and what cleaning did. */
public record CleanedDistricts(List<District> districts, CleaningReport report) {
  public CleanedDistricts {
    districts = List.copyOf(districts);
  }
}
