package io.gridmap.layers.model;

import java.util.Optional;

/**
 * The departments an incident is escalated to ("the grid whistles, departments report in"): {@code
 * events.department}. Each is also a token role of its own (docs/security.md).
 */
public enum Department implements Coded {
  POLICE("police", "公安"),
  URBAN_MANAGEMENT("urban_management", "城管"),
  UTILITIES("utilities", "水电气");

  private final String code;
  private final String label;

  Department(String code, String label) {
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

  public static Optional<Department> ofCode(String code) {
    return Coded.byCode(Department.class, code);
  }
}
