package io.gridmap.styles;

import java.util.Locale;

/**
 * An opaque sRGB colour, written in styles as {@code #rrggbb}.
 *
 * <p>Styles, the legend and the viewer all take their colours from this type so that a colour is
 * spelt one way everywhere and tests can compare colours by value.
 */
public record Colour(int red, int green, int blue) {

  public Colour {
    checkChannel("red", red);
    checkChannel("green", green);
    checkChannel("blue", blue);
  }

  private static void checkChannel(String name, int value) {
    if (value < 0 || value > 255) {
      throw new IllegalArgumentException(name + " must be 0..255, got " + value);
    }
  }

  /** Parses {@code #rrggbb} or {@code #rgb} (case-insensitive). */
  public static Colour hex(String text) {
    if (text == null || !text.matches("#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")) {
      throw new IllegalArgumentException(
          "colour '" + text + "' is not valid; expected #rrggbb or #rgb");
    }
    String h = text.substring(1);
    if (h.length() == 3) {
      h = "" + h.charAt(0) + h.charAt(0) + h.charAt(1) + h.charAt(1) + h.charAt(2) + h.charAt(2);
    }
    int rgb = Integer.parseInt(h, 16);
    return new Colour((rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff);
  }

  /** {@code #rrggbb}, lower case: the form every style document uses. */
  public String hex() {
    return String.format(Locale.ROOT, "#%02x%02x%02x", red, green, blue);
  }

  /** {@code rgba(r, g, b, a)} for translucent paints (halos, fills). */
  public String rgba(double alpha) {
    if (alpha < 0 || alpha > 1) {
      throw new IllegalArgumentException("alpha must be 0..1, got " + alpha);
    }
    return String.format(Locale.ROOT, "rgba(%d, %d, %d, %s)", red, green, blue, trim(alpha));
  }

  private static String trim(double alpha) {
    String s = String.format(Locale.ROOT, "%.3f", alpha);
    s = s.replaceAll("0+$", "");
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  /**
   * Euclidean distance in RGB, 0..441. A crude measure, but enough to keep the urgent colour clear
   * of every other paint: ~100 apart reads as a different colour on a map.
   */
  public double distanceTo(Colour other) {
    int dr = red - other.red;
    int dg = green - other.green;
    int db = blue - other.blue;
    return Math.sqrt(dr * dr + dg * dg + db * db);
  }

  @Override
  public String toString() {
    return hex();
  }
}
