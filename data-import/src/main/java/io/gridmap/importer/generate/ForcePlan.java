package io.gridmap.importer.generate;

import io.gridmap.layers.model.ForceRole;

/**
 * How many forces of each {@link ForceRole} the generator places: the expected number per grid
 * beyond the one full-time worker, and the share on duty at the dataset's "now": about 3.1 people a
 * grid, ~200,000 in the full city.
 */
enum ForcePlan {
  GRID_WORKER(ForceRole.GRID_WORKER, 0, 0.85),
  PART_TIMER(ForceRole.PART_TIMER, 0.6, 0.5),
  POLICE(ForceRole.POLICE, 0.2, 0.6),
  UTILITY(ForceRole.UTILITY, 0.25, 0.4),
  PARTY_MEMBER(ForceRole.PARTY_MEMBER, 0.55, 0.3),
  VOLUNTEER(ForceRole.VOLUNTEER, 0.5, 0.35);

  final ForceRole role;
  final String code;
  final double perGrid;
  final double onDutyShare;

  ForcePlan(ForceRole role, double perGrid, double onDutyShare) {
    this.role = role;
    this.code = role.code();
    this.perGrid = perGrid;
    this.onDutyShare = onDutyShare;
  }
}
