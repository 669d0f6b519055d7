package io.gridmap.layers.model;

import java.util.Optional;

/** Incident categories (网格事件) and the board each belongs to: {@code events.category}. */
public enum EventCategory implements Coded {
  GARBAGE_PILEUP("garbage_pileup", "垃圾堆积", Board.LIVELIHOOD),
  ROAD_DAMAGE("road_damage", "道路破损", Board.LIVELIHOOD),
  ILLEGAL_PARKING("illegal_parking", "违章停车", Board.SAFETY_LAW),
  NOISE_COMPLAINT("noise_complaint", "噪音扰民", Board.LIVELIHOOD),
  NEIGHBOUR_DISPUTE("neighbour_dispute", "邻里纠纷", Board.SAFETY_LAW),
  STREET_LIGHT_OUT("street_light_out", "路灯故障", Board.LIVELIHOOD),
  MANHOLE_COVER("manhole_cover", "井盖破损", Board.SAFETY_LAW),
  WATER_LEAK("water_leak", "漏水", Board.LIVELIHOOD),
  ELDERLY_CARE_REQUEST("elderly_care_request", "养老求助", Board.LIVELIHOOD),
  UNLICENSED_VENDOR("unlicensed_vendor", "占道经营", Board.ECONOMY),
  FIRE_HAZARD("fire_hazard", "消防隐患", Board.SAFETY_LAW),
  ILLEGAL_CONSTRUCTION("illegal_construction", "违法建设", Board.SAFETY_LAW),
  BUSINESS_LICENCE("business_licence", "证照办理", Board.ECONOMY),
  WAGE_ARREARS("wage_arrears", "欠薪", Board.ECONOMY),
  PARTY_SERVICE_REQUEST("party_service_request", "党群服务", Board.PARTY_BUILDING),
  VOLUNTEER_ACTIVITY("volunteer_activity", "志愿活动", Board.PARTY_BUILDING),
  WRISTBAND_ALARM("wristband_alarm", "手环告警", Board.LIVELIHOOD);

  private final String code;
  private final String label;
  private final Board board;

  EventCategory(String code, String label, Board board) {
    this.code = code;
    this.label = label;
    this.board = board;
  }

  @Override
  public String code() {
    return code;
  }

  public String label() {
    return label;
  }

  public Board board() {
    return board;
  }

  public static Optional<EventCategory> ofCode(String code) {
    return Coded.byCode(EventCategory.class, code);
  }
}
