package io.gridmap.styles.glyphs;

import java.util.Objects;

/**
 * One SDF glyph as MapLibre reads it from a glyph PBF.
 *
 * @param id the Unicode code point
 * @param bitmap signed distance field, (width + 6) x (height + 6) bytes, row by row from the top;
 *     empty for glyphs with no ink (space)
 * @param width ink width in pixels at 24 px, without the 3 px buffer
 * @param height ink height in pixels, without the buffer
 * @param left from the pen position to the ink's left edge
 * @param top from the top of the line (baseline minus the font's ascender) to the ink's top edge;
 *     usually negative, as fontnik writes it
 * @param advance horizontal advance in pixels
 */
public record Glyph(int id, byte[] bitmap, int width, int height, int left, int top, int advance) {
  /** Pixels of distance field around the ink on each side (MapLibre's GLYPH_PBF_BORDER). */
  public static final int BUFFER = 3;

  public Glyph {
    Objects.requireNonNull(bitmap, "bitmap");
    if (width < 0 || height < 0 || advance < 0) {
      throw new IllegalArgumentException(
          "glyph "
              + id
              + ": width, height and advance must be >= 0, got "
              + width
              + ", "
              + height
              + ", "
              + advance);
    }
    int expected = width == 0 || height == 0 ? 0 : (width + 2 * BUFFER) * (height + 2 * BUFFER);
    if (bitmap.length != expected) {
      throw new IllegalArgumentException(
          "glyph "
              + id
              + ": bitmap must be (width+6)*(height+6) = "
              + expected
              + " bytes, got "
              + bitmap.length);
    }
  }

  /** A glyph without ink (space and the like): advance only. */
  public static Glyph empty(int id, int advance) {
    return new Glyph(id, new byte[0], 0, 0, 0, 0, advance);
  }
}
