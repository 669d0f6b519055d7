package io.gridmap.server.security;

import io.gridmap.layers.model.Coded;
import java.util.Locale;
import java.util.Optional;

/**
 * Who a caller is, for deciding what they may see and do. Anonymous callers are {@link #PUBLIC}.
 * Each role except public and admin is bound to an admin unit (its scope).
 */
public enum Role implements Coded {
  /** Anyone without credentials: no personal data, at most counts per grid. */
  PUBLIC(Visibility.PUBLIC, "anonymous web clients"),
  /** A grid's full-time worker: reports incidents, moves only themself. */
  GRID_WORKER(Visibility.STAFF, "grid workers in their grid or village"),
  /** A command centre: watches its street or district, personal data included. */
  COMMANDER(Visibility.STAFF, "command centres of a street or district"),
  /** Redraws grid boundaries inside its scope. */
  PLANNER(Visibility.PUBLIC, "planners who redraw grids in their district"),
  /** Runs queries; sees no personal data. */
  ANALYST(Visibility.PUBLIC, "analysts running queries"),
  /** Everything, including the audit log. */
  ADMIN(Visibility.STAFF, "administrators"),
  /** Police: takes the incidents escalated to the police in its scope. */
  POLICE(Visibility.STAFF, "the police department: incidents escalated to it"),
  /** Urban management (城管): takes the incidents escalated to it in its scope. */
  URBAN_MANAGEMENT(Visibility.STAFF, "the urban management department: incidents escalated to it"),
  /** Water, power and gas: takes the incidents escalated to utilities in its scope. */
  UTILITIES(Visibility.STAFF, "the utilities (water, power, gas): incidents escalated to them"),
  /**
   * Another system (a work-order system, a device or mini-program gateway): reports incidents in
   * its scope and reads what it reported, nothing more.
   */
  REPORTER(Visibility.STAFF, "other systems and gateways that report incidents");

  private final Visibility visibility;
  private final String description;

  Role(Visibility visibility, String description) {
    this.visibility = visibility;
    this.description = description;
  }

  /** The snake_case name used in tokens, API keys and docs. */
  @Override
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Which personal data the role may see; responses are cached per visibility class. */
  public Visibility visibility() {
    return visibility;
  }

  public String description() {
    return description;
  }

  /** The department a department role stands for, if it is one. */
  public Optional<io.gridmap.layers.model.Department> department() {
    return switch (this) {
      case POLICE -> Optional.of(io.gridmap.layers.model.Department.POLICE);
      case URBAN_MANAGEMENT -> Optional.of(io.gridmap.layers.model.Department.URBAN_MANAGEMENT);
      case UTILITIES -> Optional.of(io.gridmap.layers.model.Department.UTILITIES);
      default -> Optional.empty();
    };
  }

  public static Optional<Role> ofCode(String code) {
    return Coded.byCode(Role.class, code);
  }

  /** All codes, for error messages. */
  public static String codes() {
    StringBuilder sb = new StringBuilder();
    for (Role r : values()) {
      sb.append(sb.length() == 0 ? "" : ", ").append(r.code());
    }
    return sb.toString();
  }
}
