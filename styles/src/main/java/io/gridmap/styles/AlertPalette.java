package io.gridmap.styles;

/**
 * How urgent events look. The urgent colour is reserved: no other layer, class or theme paints with
 * it (a test walks every paint value of every style to check), so a red-orange dot on any screen
 * means one thing.
 */
public final class AlertPalette {
  private AlertPalette() {}

  /** Red-orange, reserved for urgent events. */
  public static final Colour URGENT = Colour.hex("#ff3d00");

  /** Stroke around the urgent dot, so it stays crisp on the halo. */
  public static final Colour URGENT_STROKE = Colour.hex("#ffffff");

  /** Opacity of the blurred outer halo that makes urgent events look like they pulse. */
  public static final double HALO_OPACITY = 0.35;

  /** Opacity of the thin ring between the halo and the dot. */
  public static final double RING_OPACITY = 0.8;

  /**
   * Minimum RGB distance between {@link #URGENT} and any other colour a style uses. Tests hold
   * every style to it; pick new colours that keep it.
   */
  public static final double MIN_DISTANCE_FROM_OTHERS = 75;
}
