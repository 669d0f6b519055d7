package io.gridmap.importer.generate;

/**
 * Roles of grid forces with the expected number per grid beyond the one full-time worker and the
 * share on duty at the dataset's "now": about 3.1 people a grid, ~200,000 in the full city.
 */
enum ForceRole {
  GRID_WORKER("grid_worker", 0, 0.85),
  PART_TIMER("part_timer", 0.6, 0.5),
  POLICE("police", 0.2, 0.6),
  UTILITY("utility", 0.25, 0.4),
  PARTY_MEMBER("party_member", 0.55, 0.3),
  VOLUNTEER("volunteer", 0.5, 0.35);

  final String code;
  final double perGrid;
  final double onDutyShare;

  ForceRole(String code, double perGrid, double onDutyShare) {
    this.code = code;
    this.perGrid = perGrid;
    this.onDutyShare = onDutyShare;
  }
}
