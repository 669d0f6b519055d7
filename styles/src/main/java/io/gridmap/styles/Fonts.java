package io.gridmap.styles;

import java.util.List;

/**
 * The fontstacks the styles name in {@code text-font}: the names java.awt reports for the Noto Sans
 * SC fonts shipped in this jar ({@link io.gridmap.styles.glyphs.FontLibrary#SHIPPED_FONTS}), so the
 * glyph service ({@link io.gridmap.styles.glyphs.GlyphService}) draws Chinese labels on any
 * machine, with or without system fonts. It answers for any other name from a fallback font, so a
 * style that names these never meets a 404.
 *
 * <p>Each {@code text-font} array holds one name: MapLibre joins the array with commas into the
 * {@code {fontstack}} of the glyph URL, and one name keeps those URLs short and cacheable.
 */
public final class Fonts {
  private Fonts() {}

  /** Labels of streets, villages and grids; site names. */
  public static final String REGULAR = "Noto Sans SC Regular";

  /** District labels and cluster counts. */
  public static final String BOLD = "Noto Sans SC Bold";

  public static final List<String> ALL = List.of(REGULAR, BOLD);

  /**
   * The CSS font family MapLibre should use for CJK ideographs when the viewer turns on local
   * ideograph rendering ({@code localIdeographFontFamily}); digits and Latin still come from our
   * glyphs.
   */
  public static final String LOCAL_IDEOGRAPH_FAMILY =
      "'Noto Sans CJK SC', 'Noto Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";
}
