package io.gridmap.layers.model;

import java.util.Optional;

/** Roles of grid forces (网格力量): the values of {@code forces.role}. */
public enum ForceRole implements Coded {
  /** The grid's one full-time worker. */
  GRID_WORKER("grid_worker", "专职网格员"),
  PART_TIMER("part_timer", "兼职网格员"),
  POLICE("police", "民警"),
  UTILITY("utility", "水电气"),
  /**
   * A community doctor (社区医生), a few per street: sent with the grid worker to a wristband alarm.
   */
  CLINIC_DOCTOR("clinic_doctor", "社区医生"),
  PARTY_MEMBER("party_member", "党员"),
  VOLUNTEER("volunteer", "志愿者"),
  /** A delivery rider (外卖骑手) enlisted as one of the "N forces" that report what they pass. */
  DELIVERY_RIDER("delivery_rider", "外卖骑手");

  private final String code;
  private final String label;

  ForceRole(String code, String label) {
    this.code = code;
    this.label = label;
  }

  @Override
  public String code() {
    return code;
  }

  public String label() {
    return label;
  }

  public static Optional<ForceRole> ofCode(String code) {
    return Coded.byCode(ForceRole.class, code);
  }
}
