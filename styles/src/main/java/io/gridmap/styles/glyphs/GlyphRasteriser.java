package io.gridmap.styles.glyphs;

import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.font.FontRenderContext;
import java.awt.font.GlyphVector;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Draws the glyphs of one font at MapLibre's glyph size (24 px, 3 px buffer) and turns each into a
 * signed distance field.
 *
 * <p>Metrics follow fontnik, whose PBFs MapLibre's text layout is tuned for: the ink box is the
 * outline's bounds rounded to whole pixels; {@code left} is its left edge from the pen; {@code top}
 * is its top edge above the baseline minus the font's ascender rounded up (FreeType's {@code
 * size->metrics.ascender}); {@code advance} is the rounded horizontal advance.
 *
 * <p>Thread-safe: it holds only the font, and each call draws into its own small image.
 */
public final class GlyphRasteriser {
  /** MapLibre's glyph size: SDFs are drawn at 24 px and scaled by text-size / 24. */
  public static final int SIZE = 24;

  private static final int BUFFER = Glyph.BUFFER;

  private final Font font;
  private final FontRenderContext frc;
  private final int ascender;

  public GlyphRasteriser(Font font) {
    this.font = font.deriveFont((float) SIZE);
    // no transform, anti-aliased, fractional metrics: outlines and advances unhinted, like fontnik
    this.frc = new FontRenderContext(null, true, true);
    this.ascender = (int) Math.ceil(this.font.getLineMetrics("Hg", frc).getAscent());
  }

  public Font font() {
    return font;
  }

  /** The ascender in pixels at 24 px; {@code top} is measured from it. */
  public int ascender() {
    return ascender;
  }

  /** The glyphs of a range the font can draw; code points it cannot draw are left out. */
  public List<Glyph> render(GlyphRange range) {
    List<Glyph> glyphs = new ArrayList<>();
    for (int cp = range.start(); cp <= range.end(); cp++) {
      render(cp).ifPresent(glyphs::add);
    }
    return glyphs;
  }

  /** One code point's glyph, or empty when the font has none for it. */
  public Optional<Glyph> render(int codePoint) {
    if (!drawable(codePoint)) {
      return Optional.empty();
    }
    GlyphVector gv = font.createGlyphVector(frc, Character.toChars(codePoint));
    if (gv.getNumGlyphs() != 1) {
      return Optional.empty(); // a composed sequence, nothing a single SDF can stand for
    }
    int advance = (int) Math.round(gv.getGlyphMetrics(0).getAdvanceX());
    Shape outline = gv.getGlyphOutline(0);
    Rectangle2D b = outline.getBounds2D();
    // Java's y axis points down from the baseline; "up" values below are above the baseline.
    int xMin = (int) Math.round(b.getMinX());
    int xMax = (int) Math.round(b.getMaxX());
    int yMaxUp = (int) Math.round(-b.getMinY());
    int yMinUp = (int) Math.round(-b.getMaxY());
    int width = xMax - xMin;
    int height = yMaxUp - yMinUp;
    if (b.isEmpty() || width <= 0 || height <= 0) {
      return Optional.of(Glyph.empty(codePoint, Math.max(0, advance)));
    }
    int w = width + 2 * BUFFER;
    int h = height + 2 * BUFFER;
    int[] coverage = coverage(outline, w, h, BUFFER - xMin, BUFFER + yMaxUp);
    byte[] sdf = SignedDistanceField.encode(coverage, w, h);
    return Optional.of(
        new Glyph(codePoint, sdf, width, height, xMin, yMaxUp - ascender, Math.max(0, advance)));
  }

  private boolean drawable(int codePoint) {
    if (Character.isISOControl(codePoint)
        || Character.getType(codePoint) == Character.SURROGATE
        || Character.getType(codePoint) == Character.UNASSIGNED) {
      return false;
    }
    return font.canDisplay(codePoint);
  }

  /** Anti-aliased ink coverage, 0..255, of the outline moved by (dx, dy) into a w x h image. */
  private static int[] coverage(Shape outline, int w, int h, double dx, double dy) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.setColor(java.awt.Color.WHITE);
      g.translate(dx, dy);
      g.fill(outline);
    } finally {
      g.dispose();
    }
    int[] argb = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    int[] alpha = new int[argb.length];
    for (int i = 0; i < argb.length; i++) {
      alpha[i] = argb[i] >>> 24;
    }
    return alpha;
  }
}
