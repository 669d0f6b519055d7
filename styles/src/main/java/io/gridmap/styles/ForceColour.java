package io.gridmap.styles;

import io.gridmap.layers.model.ForceRole;

/**
 * The colour of each force role ({@link ForceRole}, the data's vocabulary). Off-duty staff are
 * drawn in {@link #OFF_DUTY_COLOUR} whatever their role, so the map shows who can be sent now.
 */
public enum ForceColour {
  GRID_WORKER(ForceRole.GRID_WORKER, "#00897b"),
  PART_TIMER(ForceRole.PART_TIMER, "#4db6ac"),
  POLICE(ForceRole.POLICE, "#3949ab"),
  UTILITY(ForceRole.UTILITY, "#6d4c41"),
  CLINIC_DOCTOR(ForceRole.CLINIC_DOCTOR, "#0288d1"),
  PARTY_MEMBER(ForceRole.PARTY_MEMBER, "#ad1457"),
  VOLUNTEER(ForceRole.VOLUNTEER, "#9ccc65"),
  DELIVERY_RIDER(ForceRole.DELIVERY_RIDER, "#f9a825");

  /** Roles the model does not know (an imported dataset's). */
  public static final Colour OTHER_COLOUR = Colour.hex("#78909c");

  /** Any role while off duty. */
  public static final Colour OFF_DUTY_COLOUR = Colour.hex("#9e9e9e");

  private final ForceRole role;
  private final Colour colour;

  ForceColour(ForceRole role, String hex) {
    this.role = role;
    this.colour = Colour.hex(hex);
  }

  public ForceRole role() {
    return role;
  }

  /** The value of the {@code role} attribute. */
  public String code() {
    return role.code();
  }

  public String label() {
    return role.label();
  }

  public Colour colour() {
    return colour;
  }
}
