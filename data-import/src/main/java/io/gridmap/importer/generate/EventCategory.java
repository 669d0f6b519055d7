package io.gridmap.importer.generate;

import io.gridmap.layers.model.Board;

/**
 * Incident categories, their board and relative frequency. A few dominate, as in real 12345-style
 * hotlines: garbage, road damage and parking make up over a third of all reports.
 */
enum EventCategory {
  GARBAGE_PILEUP("garbage_pileup", Board.LIVELIHOOD, 18, 0.01),
  ROAD_DAMAGE("road_damage", Board.LIVELIHOOD, 12, 0.02),
  ILLEGAL_PARKING("illegal_parking", Board.SAFETY_LAW, 10, 0.01),
  NOISE_COMPLAINT("noise_complaint", Board.LIVELIHOOD, 9, 0.01),
  NEIGHBOUR_DISPUTE("neighbour_dispute", Board.SAFETY_LAW, 8, 0.03),
  STREET_LIGHT_OUT("street_light_out", Board.LIVELIHOOD, 7, 0.01),
  MANHOLE_COVER("manhole_cover", Board.SAFETY_LAW, 6, 0.05),
  WATER_LEAK("water_leak", Board.LIVELIHOOD, 6, 0.03),
  ELDERLY_CARE_REQUEST("elderly_care_request", Board.LIVELIHOOD, 6, 0.05),
  UNLICENSED_VENDOR("unlicensed_vendor", Board.ECONOMY, 5, 0.0),
  FIRE_HAZARD("fire_hazard", Board.SAFETY_LAW, 4, 0.4),
  ILLEGAL_CONSTRUCTION("illegal_construction", Board.SAFETY_LAW, 3, 0.02),
  BUSINESS_LICENCE("business_licence", Board.ECONOMY, 2, 0.0),
  WAGE_ARREARS("wage_arrears", Board.ECONOMY, 2, 0.02),
  PARTY_SERVICE_REQUEST("party_service_request", Board.PARTY_BUILDING, 1.5, 0.0),
  VOLUNTEER_ACTIVITY("volunteer_activity", Board.PARTY_BUILDING, 1.5, 0.0),
  WRISTBAND_ALARM("wristband_alarm", Board.LIVELIHOOD, 1, 0.9);

  final String code;
  final Board board;
  final double weight;
  final double urgentShare;

  EventCategory(String code, Board board, double weight, double urgentShare) {
    this.code = code;
    this.board = board;
    this.weight = weight;
    this.urgentShare = urgentShare;
  }

  static EventCategory draw(java.util.SplittableRandom rng) {
    double total = 0;
    for (EventCategory c : values()) {
      total += c.weight;
    }
    double x = rng.nextDouble() * total;
    for (EventCategory c : values()) {
      x -= c.weight;
      if (x < 0) {
        return c;
      }
    }
    return WRISTBAND_ALARM;
  }
}
