package io.gridmap.styles.glyphs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The Noto Sans SC fonts the build ships in the jar, and nothing else: the glyph tests draw from
 * these alone, never from fonts the machine happens to have, so they prove what a fresh machine's
 * demo serves.
 */
final class ShippedFonts {
  private ShippedFonts() {}

  static final String REGULAR = FontLibrary.SHIPPED_FONTS.get(0);
  static final String BOLD = FontLibrary.SHIPPED_FONTS.get(1);

  private static final class Holder {
    static final FontLibrary ONLY =
        FontLibrary.load(List.of(), FontLibrary.SHIPPED_FONTS, List.of());
  }

  /**
   * A library of the shipped fonts only (no system files). Fails (never skips) when the build did
   * not put them on the classpath.
   */
  static FontLibrary only() {
    FontLibrary fonts = Holder.ONLY;
    if (!fonts.resources().equals(FontLibrary.SHIPPED_FONTS)) {
      throw new AssertionError(
          "the glyph tests need the shipped fonts "
              + FontLibrary.SHIPPED_FONTS
              + " on the classpath but found "
              + fonts.resources()
              + ": build the styles module with Maven (mvn -pl styles -am test), whose"
              + " generate-resources step runs npm ci in styles/fonts-npm (needs Node.js and npm)");
    }
    return fonts;
  }

  /** A shipped font copied out of the classpath into a file, for the tests of font files. */
  static Path copy(String resource, Path dir) {
    only();
    Path file = dir.resolve(resource.substring(resource.lastIndexOf('/') + 1));
    try (InputStream in = ShippedFonts.class.getClassLoader().getResourceAsStream(resource)) {
      Files.copy(in, file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }
}
