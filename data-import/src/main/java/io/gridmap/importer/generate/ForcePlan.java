package io.gridmap.importer.generate;

import io.gridmap.layers.model.ForceRole;

/**
 * How many forces of each {@link ForceRole} the generator places in a grid, after the seed's
 * example community: 9 grids and 8,054 residents with 18 grid staff, 26 police and utility staff
 * and 190 "N forces" (party members, volunteers, delivery riders).
 *
 * <ul>
 *   <li>Grid staff are per grid, exactly: one full-time worker (number 0 in the grid, the grid's
 *       {@code worker_id}) and one part-timer, 18 for 9 grids.
 *   <li>Police and utility staff are per grid (a Poisson draw around 12 and 14 for 9 grids): they
 *       cover ground, and a rural grid is no smaller a beat for having fewer residents.
 *   <li>Community doctors and the N forces are per resident (a Poisson draw around the grid's
 *       residents × rate): a doctor per 8,000 residents (a few per street, about one for the
 *       example community), and 190 N forces per 8,054 residents (70 party members, 90 volunteers,
 *       30 delivery riders: our split, the seed gives only the sum).
 * </ul>
 *
 * <p>The example community has 895 residents a grid and the city 490, so the per-resident roles
 * come out at about half the example's per-grid numbers: ~16.5 forces a grid, ~1,080,000 in the
 * full city (65,000 grids × 4.9 staff + 32.05 million residents × 0.0237).
 *
 * <p>{@link #onDutyShare} is the share on duty in the dataset's snapshot, which is a day shift (the
 * demo is watched by day and the live server moves the flags from then on): grid staff and police
 * mostly on duty, residents who volunteer mostly not.
 */
enum ForcePlan {
  GRID_WORKER(ForceRole.GRID_WORKER, Kind.EXACT_PER_GRID, 1, 0.9),
  PART_TIMER(ForceRole.PART_TIMER, Kind.EXACT_PER_GRID, 1, 0.6),
  POLICE(ForceRole.POLICE, Kind.PER_GRID, 12.0 / ForcePlan.EXAMPLE_GRIDS, 0.7),
  UTILITY(ForceRole.UTILITY, Kind.PER_GRID, 14.0 / ForcePlan.EXAMPLE_GRIDS, 0.5),
  CLINIC_DOCTOR(ForceRole.CLINIC_DOCTOR, Kind.PER_RESIDENT, 1.0 / 8_000, 0.6),
  PARTY_MEMBER(ForceRole.PARTY_MEMBER, Kind.PER_RESIDENT, 70.0 / ForcePlan.EXAMPLE_RESIDENTS, 0.2),
  VOLUNTEER(ForceRole.VOLUNTEER, Kind.PER_RESIDENT, 90.0 / ForcePlan.EXAMPLE_RESIDENTS, 0.25),
  DELIVERY_RIDER(
      ForceRole.DELIVERY_RIDER, Kind.PER_RESIDENT, 30.0 / ForcePlan.EXAMPLE_RESIDENTS, 0.6);

  /** The seed's example community: its grids and residents. */
  static final int EXAMPLE_GRIDS = 9;

  static final int EXAMPLE_RESIDENTS = 8_054;

  /** What {@link #rate} counts. */
  enum Kind {
    /** Exactly {@code rate} in every grid. */
    EXACT_PER_GRID,
    /** A Poisson draw around {@code rate} in every grid. */
    PER_GRID,
    /** A Poisson draw around the grid's residents × {@code rate}. */
    PER_RESIDENT
  }

  final ForceRole role;
  final String code;
  final Kind kind;
  final double rate;
  final double onDutyShare;

  ForcePlan(ForceRole role, Kind kind, double rate, double onDutyShare) {
    this.role = role;
    this.code = role.code();
    this.kind = kind;
    this.rate = rate;
    this.onDutyShare = onDutyShare;
  }

  /** The expected number in a grid of this many residents. */
  double expected(long residents) {
    return kind == Kind.PER_RESIDENT ? rate * residents : rate;
  }

  /** The number in a grid of this many residents. */
  int count(long residents, java.util.SplittableRandom rng) {
    return kind == Kind.EXACT_PER_GRID ? (int) rate : Rngs.poisson(rng, expected(residents));
  }
}
