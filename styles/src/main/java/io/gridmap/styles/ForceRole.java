package io.gridmap.styles;

/**
 * Roles of grid forces (网格力量) with their colours. Off-duty staff are drawn in
 * {@link #OFF_DUTY_COLOUR} whatever their role, so the map shows who can be sent now.
 */
public enum ForceRole {
  GRID_WORKER("grid_worker", "专职网格员", "#00897b"),
  PART_TIMER("part_timer", "兼职网格员", "#4db6ac"),
  POLICE("police", "民警", "#3949ab"),
  UTILITY("utility", "水电气", "#6d4c41"),
  PARTY_MEMBER("party_member", "党员", "#ad1457"),
  VOLUNTEER("volunteer", "志愿者", "#9ccc65");

  /** Roles not listed here. */
  public static final Colour OTHER_COLOUR = Colour.hex("#78909c");

  /** Any role while off duty. */
  public static final Colour OFF_DUTY_COLOUR = Colour.hex("#9e9e9e");

  private final String code;
  private final String label;
  private final Colour colour;

  ForceRole(String code, String label, String hex) {
    this.code = code;
    this.label = label;
    this.colour = Colour.hex(hex);
  }

  /** The value of the {@code role} attribute. */
  public String code() {
    return code;
  }

  public String label() {
    return label;
  }

  public Colour colour() {
    return colour;
  }
}
