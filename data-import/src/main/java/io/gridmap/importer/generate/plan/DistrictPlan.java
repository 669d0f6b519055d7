package io.gridmap.importer.generate.plan;

/**
 * How many of everything one district gets, before any shape is drawn.
 *
 * <p>Communities (社区) sit in subdistricts (街道), villages (村) in towns (镇) and townships (乡); when a
 * district has no street of the right kind they go to the other kind.
 *
 * @param code GB/T 2260 code
 * @param mainUrban one of the nine main urban districts
 * @param streets streets (镇街), at least 1
 * @param subdistricts streets that are subdistricts (urban)
 * @param townships streets that are townships; the rest are towns
 * @param communities urban villages (社区)
 * @param villages rural villages (村)
 * @param communityGrids grids in communities, 5-15 per community
 * @param villageGrids grids in villages, 2-5 per village
 * @param communityPopulation residents of community grids
 * @param villagePopulation residents of village grids
 * @param coreShare share of the district's area given to its urban core (the subdistricts), 0..1
 */
public record DistrictPlan(
    String code,
    boolean mainUrban,
    int streets,
    int subdistricts,
    int townships,
    int communities,
    int villages,
    int communityGrids,
    int villageGrids,
    long communityPopulation,
    long villagePopulation,
    double coreShare) {

  public int units() {
    return communities + villages;
  }

  public int grids() {
    return communityGrids + villageGrids;
  }

  public long population() {
    return communityPopulation + villagePopulation;
  }
}
