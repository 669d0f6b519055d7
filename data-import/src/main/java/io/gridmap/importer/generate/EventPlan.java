package io.gridmap.importer.generate;

import io.gridmap.layers.model.Board;
import io.gridmap.layers.model.EventCategory;

/**
 * How often each incident category ({@link EventCategory}, which gives its board) is reported, and
 * how often urgently. A few dominate, as in real 12345-style hotlines: garbage, road damage and
 * parking make up over a third of all reports.
 */
enum EventPlan {
  GARBAGE_PILEUP(EventCategory.GARBAGE_PILEUP, 18, 0.01),
  ROAD_DAMAGE(EventCategory.ROAD_DAMAGE, 12, 0.02),
  ILLEGAL_PARKING(EventCategory.ILLEGAL_PARKING, 10, 0.01),
  NOISE_COMPLAINT(EventCategory.NOISE_COMPLAINT, 9, 0.01),
  NEIGHBOUR_DISPUTE(EventCategory.NEIGHBOUR_DISPUTE, 8, 0.03),
  STREET_LIGHT_OUT(EventCategory.STREET_LIGHT_OUT, 7, 0.01),
  MANHOLE_COVER(EventCategory.MANHOLE_COVER, 6, 0.05),
  WATER_LEAK(EventCategory.WATER_LEAK, 6, 0.03),
  ELDERLY_CARE_REQUEST(EventCategory.ELDERLY_CARE_REQUEST, 6, 0.05),
  UNLICENSED_VENDOR(EventCategory.UNLICENSED_VENDOR, 5, 0.0),
  FIRE_HAZARD(EventCategory.FIRE_HAZARD, 4, 0.4),
  ILLEGAL_CONSTRUCTION(EventCategory.ILLEGAL_CONSTRUCTION, 3, 0.02),
  BUSINESS_LICENCE(EventCategory.BUSINESS_LICENCE, 2, 0.0),
  WAGE_ARREARS(EventCategory.WAGE_ARREARS, 2, 0.02),
  PARTY_SERVICE_REQUEST(EventCategory.PARTY_SERVICE_REQUEST, 1.5, 0.0),
  VOLUNTEER_ACTIVITY(EventCategory.VOLUNTEER_ACTIVITY, 1.5, 0.0),
  WRISTBAND_ALARM(EventCategory.WRISTBAND_ALARM, 1, 0.9);

  final EventCategory category;
  final String code;
  final Board board;
  final double weight;
  final double urgentShare;

  EventPlan(EventCategory category, double weight, double urgentShare) {
    this.category = category;
    this.code = category.code();
    this.board = category.board();
    this.weight = weight;
    this.urgentShare = urgentShare;
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
