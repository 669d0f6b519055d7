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
    fonts = ShippedFonts.only();
  }

  @Test
  void theStylesFontstacksAreChineseFacesOfTheShippedFontsAlone() {
    assertThat(fonts.files()).as("no system font files").isEmpty();
    for (String name : Fonts.ALL) {
      FontLibrary.ResolvedFont r = fonts.resolve(name);
      assertThat(r.fallback()).as(name).isFalse();
      assertThat(r.name()).isEqualTo(name);
      assertThat(r.font().canDisplayUpTo("渝中区解放碑街道")).as(name).isEqualTo(-1);
    }
  }

  @Test
  void theServersLibraryHasTheShippedFontsAndTheStylesFontstacksComeFromThem() {
    FontLibrary defaults = FontLibrary.defaults();

    assertThat(defaults.resources()).isEqualTo(FontLibrary.SHIPPED_FONTS);
    for (String name : Fonts.ALL) {
      assertThat(defaults.resolve(name).name()).isEqualTo(name);
      assertThat(defaults.resolve(name).fallback()).isFalse();
    }
  }

  @Test
  void knowsAFaceByFullNamePostScriptNameAndInAnyCase() {
    assertThat(fonts.resolve("NotoSansSC-Bold").name()).isEqualTo("Noto Sans SC Bold");
    assertThat(fonts.resolve("noto  sans sc   regular").name()).isEqualTo("Noto Sans SC Regular");
    assertThat(fonts.names())
        .containsExactly("Noto Sans SC Regular", "Noto Sans SC Bold")
        .containsAll(Fonts.ALL);
  }

  @Test
  void theNotoSansCjkNamesOfTheSameDesignAreDrawnFromTheShippedFaces() {
    // styles and URLs from before the rename, and Debian's names when its files are absent
    assertThat(fonts.resolve("Noto Sans CJK SC Regular"))
        .satisfies(r -> assertThat(r.name()).isEqualTo("Noto Sans SC Regular"))
        .satisfies(r -> assertThat(r.fallback()).isFalse());
    assertThat(fonts.resolve("Open Sans Bold, noto sans cjk sc bold").name())
        .isEqualTo("Noto Sans SC Bold");
  }

  @Test
  void aCommaSeparatedStackPicksItsFirstAvailableFont() {
    FontLibrary.ResolvedFont r =
        fonts.resolve("Open Sans Bold, Noto Sans SC Bold, Noto Sans SC Regular");

    assertThat(r.name()).isEqualTo("Noto Sans SC Bold");
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
  void aJarBuiltWithoutItsFontsLoadsNoneAndFallsBack() {
    FontLibrary without =
        FontLibrary.load(List.of(), List.of("io/gridmap/styles/fonts/Absent.ttf"), List.of());

    assertThat(without.resources()).isEmpty();
    assertThat(without.names()).isEmpty();
    assertThat(without.resolve(Fonts.REGULAR).fallback()).isTrue();
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
    Path bold = ShippedFonts.copy(ShippedFonts.BOLD, dir);
    FontLibrary configured = FontLibrary.load(List.of(bold));
    assertThat(configured.files().get(0)).isEqualTo(bold);

    Path missing = dir.resolve("NoSuchFont.ttf");
    assertThatThrownBy(() -> FontLibrary.load(List.of(missing)))
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("does not exist");
  }

  @Test
  void optionalSystemFilesAreReadWhenPresentAndSkippedWhenAbsent(@TempDir Path dir) {
    Path present = ShippedFonts.copy(ShippedFonts.BOLD, dir);
    Path absent = dir.resolve("NotoSansCJK-Regular.ttc");

    FontLibrary system = FontLibrary.load(List.of(), List.of(), List.of(absent, present));

    assertThat(system.files()).containsExactly(present);
    assertThat(system.resolve("Noto Sans SC Bold").fallback()).isFalse();
  }

  @Test
  void aFileThatIsNotAFontIsRefusedWithItsName(@TempDir Path dir) throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.ttf"), "not a font");

    assertThatThrownBy(() -> FontLibrary.load(List.of(junk)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(junk.toString());
  }
}
