package io.gridmap.styles.glyphs;

/**
 * Turns an anti-aliased coverage bitmap into the 8-bit signed distance field MapLibre draws text
 * from.
 *
 * <p>The encoding is the one MapLibre's own TinySDF and fontnik use, so our glyphs render like
 * theirs: {@code value = 255 - 255 * (d / RADIUS + CUTOFF)} where {@code d} is the signed distance
 * in pixels to the glyph's edge (positive outside), {@code RADIUS = 8} and {@code CUTOFF = 0.25}.
 * The edge sits at 191.25 (MapLibre's shaders cut at 192/256), ink rises to 255 two pixels inside,
 * and the value falls to 0 six pixels outside.
 *
 * <p>Distances come from an exact Euclidean distance transform (Felzenszwalb and Huttenlocher,
 * "Distance Transforms of Sampled Functions", 2012): two passes of a 1-D lower-envelope of
 * parabolas, first down the columns, then along the rows, O(pixels). Partly covered pixels seed the
 * transform with their sub-pixel distance to the edge ({@code 0.5 - coverage}), as TinySDF does, so
 * anti-aliasing is not thrown away.
 */
public final class SignedDistanceField {
  public static final double RADIUS = 8;
  public static final double CUTOFF = 0.25;

  /** A squared distance larger than any in a glyph bitmap, but finite so arithmetic stays exact. */
  private static final double FAR = 1e20;

  private SignedDistanceField() {}

  /**
   * @param coverage ink coverage 0..255 per pixel, row-major, {@code width * height} values
   * @return the distance field, same size and order
   */
  public static byte[] encode(int[] coverage, int width, int height) {
    int n = width * height;
    if (coverage.length != n) {
      throw new IllegalArgumentException(
          "coverage has " + coverage.length + " values for " + width + "x" + height);
    }
    // outer: squared distance to ink, for pixels outside; inner: squared distance to background,
    // for pixels inside. A partly covered pixel is half in each, at its sub-pixel distance.
    double[] outer = new double[n];
    double[] inner = new double[n];
    for (int i = 0; i < n; i++) {
      int a = coverage[i];
      if (a <= 0) {
        outer[i] = FAR;
        inner[i] = 0;
      } else if (a >= 255) {
        outer[i] = 0;
        inner[i] = FAR;
      } else {
        double d = 0.5 - a / 255.0;
        outer[i] = d > 0 ? d * d : 0;
        inner[i] = d < 0 ? d * d : 0;
      }
    }
    int longest = Math.max(width, height);
    double[] f = new double[longest];
    double[] z = new double[longest + 1];
    int[] v = new int[longest];
    transform2d(outer, width, height, f, z, v);
    transform2d(inner, width, height, f, z, v);

    byte[] out = new byte[n];
    for (int i = 0; i < n; i++) {
      double d = Math.sqrt(outer[i]) - Math.sqrt(inner[i]);
      long value = Math.round(255 - 255 * (d / RADIUS + CUTOFF));
      out[i] = (byte) Math.max(0, Math.min(255, value));
    }
    return out;
  }

  private static void transform2d(
      double[] grid, int width, int height, double[] f, double[] z, int[] v) {
    for (int x = 0; x < width; x++) {
      transform1d(grid, x, width, height, f, z, v);
    }
    for (int y = 0; y < height; y++) {
      transform1d(grid, y * width, 1, width, f, z, v);
    }
  }

  /**
   * Squared Euclidean distance transform of one row or column in place: for each q, min over p of
   * (q - p)^2 + f(p), as the lower envelope of parabolas rooted at each p.
   */
  private static void transform1d(
      double[] grid, int offset, int stride, int length, double[] f, double[] z, int[] v) {
    for (int q = 0; q < length; q++) {
      f[q] = grid[offset + q * stride];
    }
    int k = 0;
    v[0] = 0;
    z[0] = Double.NEGATIVE_INFINITY;
    z[1] = Double.POSITIVE_INFINITY;
    for (int q = 1; q < length; q++) {
      double s = intersection(f, q, v[k]);
      while (s <= z[k]) { // z[0] is -infinity, so this stops at k = 0
        k--;
        s = intersection(f, q, v[k]);
      }
      k++;
      v[k] = q;
      z[k] = s;
      z[k + 1] = Double.POSITIVE_INFINITY;
    }
    k = 0;
    for (int q = 0; q < length; q++) {
      while (z[k + 1] < q) {
        k++;
      }
      int r = v[k];
      double dq = q - r;
      grid[offset + q * stride] = f[r] + dq * dq;
    }
  }

  /** Where the parabola rooted at q overtakes the one rooted at r (r < q). */
  private static double intersection(double[] f, int q, int r) {
    return ((f[q] + (double) q * q) - (f[r] + (double) r * r)) / (2.0 * (q - r));
  }
}
