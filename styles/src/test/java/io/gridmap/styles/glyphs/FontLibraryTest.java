package io.gridmap.styles.glyphs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridmap.styles.Fonts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FontLibraryTest {
  private static FontLibrary fonts;

  @BeforeAll
  static void load() {
    NotoFonts.require();
    fonts = FontLibrary.defaults();
  }

  @Test
  void findsEveryFontTheStylesNameInTheDebianNotoFiles() {
    for (String name : Fonts.ALL) {
      assertThat(fonts.resolve(name).fallback()).as(name).isFalse();
      assertThat(fonts.resolve(name).name()).isEqualTo(name);
    }
  }

  @Test
  void knowsAFaceByFullNamePostScriptNameAndInAnyCase() {
    assertThat(fonts.resolve("NotoSansCJKsc-Bold").name()).isEqualTo("Noto Sans CJK SC Bold");
    assertThat(fonts.resolve("noto  sans cjk sc   regular").name())
        .isEqualTo("Noto Sans CJK SC Regular");
    assertThat(fonts.resolve("Noto Sans CJK SC").font().getFontName())
        .isEqualTo("Noto Sans CJK SC");
  }

  @Test
  void aCommaSeparatedStackPicksItsFirstAvailableFont() {
    FontLibrary.ResolvedFont r =
        fonts.resolve("Open Sans Bold, Noto Sans CJK SC Bold, Noto Sans CJK SC Regular");

    assertThat(r.name()).isEqualTo("Noto Sans CJK SC Bold");
    assertThat(r.fallback()).isFalse();
  }

  @Test
  void aStackOfUnknownFontsFallsBackToSansSerifKeepingBoldness() {
    assertThat(fonts.resolve("Open Sans Regular,Arial Unicode MS Regular"))
        .satisfies(r -> assertThat(r.fallback()).isTrue())
        .satisfies(r -> assertThat(r.name()).isEqualTo("SansSerif Regular"));
    assertThat(fonts.resolve("Open Sans Bold").name()).isEqualTo("SansSerif Bold");
    assertThat(fonts.resolve("Open Sans Bold").font().isBold()).isTrue();
  }

  @Test
  void rejectsAnEmptyOrOverlongFontstack() {
    assertThatThrownBy(() -> fonts.resolve(" "))
        .isInstanceOfSatisfying(
            InvalidGlyphRequestException.class,
            e -> assertThat(e.parameter()).isEqualTo("fontstack"))
        .hasMessageContaining("it is empty");
    assertThatThrownBy(() -> fonts.resolve("x".repeat(300)))
        .hasMessageContaining("longer than 256 characters");
  }

  @Test
  void aConfiguredFontFileComesFirstAndAMissingOneIsNamed(@TempDir Path dir) {
    FontLibrary configured = FontLibrary.load(List.of(NotoFonts.BOLD));
    assertThat(configured.files().get(0)).isEqualTo(NotoFonts.BOLD);

    Path missing = dir.resolve("NoSuchFont.ttf");
    assertThatThrownBy(() -> FontLibrary.load(List.of(missing)))
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("does not exist");
  }

  @Test
  void aFileThatIsNotAFontIsRefusedWithItsName(@TempDir Path dir) throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.ttf"), "not a font");

    assertThatThrownBy(() -> FontLibrary.load(List.of(junk)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(junk.toString());
  }
}
