package io.gridmap.styles.glyphs;

import java.nio.file.Files;
import java.nio.file.Path;

/** The Debian Noto CJK files the glyph tests draw from. */
final class NotoFonts {
  private NotoFonts() {}

  static final Path REGULAR = Path.of("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc");
  static final Path BOLD = Path.of("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc");

  /**
   * Fails (never skips) when the fonts are missing: the served glyphs depend on them, so a machine
   * without them must be fixed, not ignored.
   */
  static void require() {
    if (!Files.isRegularFile(REGULAR) || !Files.isRegularFile(BOLD)) {
      throw new AssertionError(
          "the glyph tests need Noto Sans CJK at "
              + REGULAR
              + " and "
              + BOLD
              + ": install the Debian package fonts-noto-cjk (apt-get install fonts-noto-cjk)");
    }
  }
}
