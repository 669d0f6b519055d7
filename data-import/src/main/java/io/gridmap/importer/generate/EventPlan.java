package io.gridmap.importer.generate;

import io.gridmap.layers.model.Board;
import io.gridmap.layers.model.Department;
import io.gridmap.layers.model.EventCategory;

/**
 * How often each incident category ({@link EventCategory}, which gives its board) is reported, how
 * often urgently, and which {@link Department} takes how many of them when the grid cannot handle
 * them alone ("the grid whistles, departments report in"): disputes and parking to the police,
 * streets, vendors and building to urban management, pipes and manholes to the utilities. A few
 * categories dominate, as in real 12345-style hotlines: garbage, road damage and parking make up
 * over a third of all reports.
 */
enum EventPlan {
  GARBAGE_PILEUP(EventCategory.GARBAGE_PILEUP, 18, 0.01, Department.URBAN_MANAGEMENT, 0.1),
  ROAD_DAMAGE(EventCategory.ROAD_DAMAGE, 12, 0.02, Department.URBAN_MANAGEMENT, 0.3),
  ILLEGAL_PARKING(EventCategory.ILLEGAL_PARKING, 10, 0.01, Department.POLICE, 0.3),
  NOISE_COMPLAINT(EventCategory.NOISE_COMPLAINT, 9, 0.01, Department.POLICE, 0.1),
  NEIGHBOUR_DISPUTE(EventCategory.NEIGHBOUR_DISPUTE, 8, 0.03, Department.POLICE, 0.15),
  STREET_LIGHT_OUT(EventCategory.STREET_LIGHT_OUT, 7, 0.01, Department.URBAN_MANAGEMENT, 0.5),
  MANHOLE_COVER(EventCategory.MANHOLE_COVER, 6, 0.05, Department.UTILITIES, 0.5),
  WATER_LEAK(EventCategory.WATER_LEAK, 6, 0.03, Department.UTILITIES, 0.6),
  ELDERLY_CARE_REQUEST(EventCategory.ELDERLY_CARE_REQUEST, 6, 0.05, null, 0),
  UNLICENSED_VENDOR(EventCategory.UNLICENSED_VENDOR, 5, 0.0, Department.URBAN_MANAGEMENT, 0.4),
  FIRE_HAZARD(EventCategory.FIRE_HAZARD, 4, 0.4, null, 0),
  ILLEGAL_CONSTRUCTION(
      EventCategory.ILLEGAL_CONSTRUCTION, 3, 0.02, Department.URBAN_MANAGEMENT, 0.6),
  BUSINESS_LICENCE(EventCategory.BUSINESS_LICENCE, 2, 0.0, null, 0),
  WAGE_ARREARS(EventCategory.WAGE_ARREARS, 2, 0.02, null, 0),
  PARTY_SERVICE_REQUEST(EventCategory.PARTY_SERVICE_REQUEST, 1.5, 0.0, null, 0),
  VOLUNTEER_ACTIVITY(EventCategory.VOLUNTEER_ACTIVITY, 1.5, 0.0, null, 0),
  /** Raised by a wristband at a home of an elderly person living alone: a personal incident. */
  WRISTBAND_ALARM(EventCategory.WRISTBAND_ALARM, 1, 0.9, null, 0);

  final EventCategory category;
  final String code;
  final Board board;
  final double weight;
  final double urgentShare;

  /** The department a report of this category is escalated to, or null when none takes it. */
  final Department department;

  /** The share of reports escalated to {@link #department}. */
  final double escalatedShare;

  EventPlan(
      EventCategory category,
      double weight,
      double urgentShare,
      Department department,
      double escalatedShare) {
    this.category = category;
    this.code = category.code();
    this.board = category.board();
    this.weight = weight;
    this.urgentShare = urgentShare;
    this.department = department;
    this.escalatedShare = escalatedShare;
  }

  /** True when a report of this category happens at a home and is personal. */
  boolean atHome() {
    return this == WRISTBAND_ALARM;
  }

  static EventPlan draw(java.util.SplittableRandom rng) {
    double total = 0;
    for (EventPlan c : values()) {
      total += c.weight;
    }
    double x = rng.nextDouble() * total;
    for (EventPlan c : values()) {
      x -= c.weight;
      if (x < 0) {
        return c;
      }
    }
    return WRISTBAND_ALARM;
  }
}
