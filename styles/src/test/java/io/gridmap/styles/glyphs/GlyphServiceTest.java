package io.gridmap.styles.glyphs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridmap.styles.Fonts;
import io.gridmap.styles.glyphs.GlyphPbfDecoder.DecodedGlyph;
import io.gridmap.styles.glyphs.GlyphPbfDecoder.DecodedStack;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlyphServiceTest {
  private static GlyphService service;

  @BeforeAll
  static void start() {
    service = new GlyphService(ShippedFonts.only(), GlyphService.DEFAULT_CACHE_BYTES);
  }

  private static DecodedStack decode(String fontstack, int start) {
    List<DecodedStack> stacks =
        GlyphPbfDecoder.decode(service.range(fontstack, start, start + 255));
    assertThat(stacks).hasSize(1);
    return stacks.get(0);
  }

  private static int px(DecodedGlyph g, int x, int y) {
    return g.bitmap()[y * (g.width() + 6) + x] & 0xff;
  }

  @Test
  void namesTheStackAndTheRangeItAnswers() {
    DecodedStack stack = decode(Fonts.REGULAR, 0);

    assertThat(stack.name()).isEqualTo(Fonts.REGULAR);
    assertThat(stack.range()).isEqualTo("0-255");
    assertThat(stack.glyphs()).extracting(DecodedGlyph::id).allMatch(id -> id >= 0 && id <= 255);
  }

  @Test
  void drawsDigitsAndLatinWithPlausibleMetrics() {
    DecodedStack stack = decode(Fonts.REGULAR, 0);

    for (char c : "0123456789AZaz".toCharArray()) {
      DecodedGlyph g = stack.glyph(c);
      assertThat(g.advance()).as("advance of %s", c).isBetween(8, 20);
      assertThat(g.width()).as("width of %s", c).isBetween(5, 18);
      assertThat(g.bitmap()).as("bitmap of %s", c).hasSize((g.width() + 6) * (g.height() + 6));
    }
    DecodedGlyph zero = stack.glyph('0');
    DecodedGlyph a = stack.glyph('A');
    // Noto's cap and figure height is ~0.73 em: 17-18 px at 24 px
    assertThat(a.height()).isBetween(16, 19);
    assertThat(zero.height()).isBetween(16, 19);
    // top is measured down from the ascender line (28 px for Noto Sans SC): caps start ~10 px below
    assertThat(a.top()).isBetween(-12, -8);
    assertThat(stack.glyph('g').top())
        .as("x-height letters start lower than caps")
        .isLessThan(a.top());
    assertThat(zero.left()).isBetween(0, 3);
  }

  @Test
  void theDistanceFieldIsHighOnInkAndLowAwayFromIt() {
    DecodedGlyph zero = decode(Fonts.REGULAR, 0).glyph('0');
    int w = zero.width() + 6;
    int h = zero.height() + 6;

    int max = 0;
    for (byte b : zero.bitmap()) {
      max = Math.max(max, b & 0xff);
    }
    assertThat(max).as("ink of the stroke").isGreaterThan(220);
    assertThat(
            List.of(px(zero, 0, 0), px(zero, w - 1, 0), px(zero, 0, h - 1), px(zero, w - 1, h - 1)))
        .as("corners, 3+ px from the ink")
        .allMatch(v -> v < 64);
    assertThat(px(zero, w / 2, h / 2)).as("the hole of the zero").isLessThan(192);
    // the left stroke at mid height: some pixel on the row is ink
    int bestOnRow = 0;
    for (int x = 0; x < w / 2; x++) {
      bestOnRow = Math.max(bestOnRow, px(zero, x, h / 2));
    }
    assertThat(bestOnRow).as("left stroke of the zero").isGreaterThan(192);
  }

  @Test
  void aSpaceHasAnAdvanceAndNoBitmap() {
    DecodedGlyph space = decode(Fonts.REGULAR, 0).glyph(' ');

    assertThat(space.advance()).isBetween(4, 10);
    assertThat(space.width()).isZero();
    assertThat(space.bitmap()).isEmpty();
  }

  @Test
  void drawsChineseIdeographsFullWidth() {
    DecodedStack stack = decode(Fonts.BOLD, 19968); // U+4E00..U+4EFF

    assertThat(stack.glyphs()).hasSizeGreaterThan(250);
    DecodedGlyph zhong = stack.glyph('中');
    assertThat(zhong.advance()).isEqualTo(24);
    assertThat(zhong.width()).isBetween(18, 24);
    assertThat(zhong.height()).isBetween(19, 25);
    assertThat(zhong.bitmap()).hasSize((zhong.width() + 6) * (zhong.height() + 6));
  }

  @ParameterizedTest(name = "{0} {1}-")
  @CsvSource({
    "Noto Sans SC Regular, 19968", // 一 .. U+4EFF
    "Noto Sans SC Regular, 21248", // 区
    "Noto Sans SC Regular, 28160", // 渝
    "Noto Sans SC Bold, 19968",
    "Noto Sans SC Bold, 21248",
    "Noto Sans SC Bold, 28160"
  })
  void theStylesChineseRangesAreDrawnFromTheShippedFontsWithoutSystemFonts(
      String fontstack, int start) {
    assertThat(Fonts.ALL).contains(fontstack);
    byte[] pbf = service.range(fontstack, start, start + 255);
    DecodedStack stack = GlyphPbfDecoder.decode(pbf).get(0);

    // the blank labels were 54-byte PBFs with no glyphs; a drawn CJK range is ~190 KB
    assertThat(pbf.length).isGreaterThan(100_000);
    assertThat(service.resolve(fontstack).fallback()).isFalse();
    assertThat(stack.name()).isEqualTo(fontstack);
    assertThat(stack.glyphs()).hasSize(256);
  }

  @Test
  void placeNamesOfChongqingHaveEveryGlyph() {
    String names = "重庆市渝中区解放碑街道沙坪坝区磁器口九龙坡区杨家坪江北区观音桥两江新区綦江区涪陵区黔江区璧山区潼南区酉阳土家族苗族自治县社区村网格";
    for (String fontstack : Fonts.ALL) {
      names
          .codePoints()
          .forEach(
              cp ->
                  assertThat(decode(fontstack, cp / 256 * 256).glyph(cp).width())
                      .as("%s in %s", Character.toString(cp), fontstack)
                      .isPositive());
    }
  }

  @Test
  void reportsNoCjkProblemWithTheShippedFonts() {
    assertThat(service.cjkProblem()).isEmpty();
    assertThat(GlyphService.withDefaults().cjkProblem()).as("the server's service").isEmpty();
  }

  @Test
  void aLibraryWithoutChineseFacesIsReportedInOneLineNamingTheFix() {
    FontLibrary none = FontLibrary.load(List.of(), List.of(), List.of());

    assertThat(new GlyphService(none, 0).cjkProblem())
        .hasValueSatisfying(
            line ->
                assertThat(line)
                    .doesNotContain("\n")
                    .contains(Fonts.REGULAR + " -> SansSerif Regular (fallback)")
                    .contains(Fonts.BOLD + " -> SansSerif Bold (fallback)")
                    .contains("built without its fonts")
                    .contains("./mapserver build")
                    .contains("apt-get install fonts-noto-cjk"));
  }

  @Test
  void aRangeWithoutGlyphsIsAValidEmptyPbf() {
    DecodedStack surrogates = decode(Fonts.REGULAR, 0xD800);

    assertThat(surrogates.glyphs()).isEmpty();
    assertThat(surrogates.range()).isEqualTo("55296-55551");
  }

  @Test
  void anUnknownFontstackStillGetsDigitsFromTheFallbackFont() {
    DecodedStack stack = decode("Open Sans Regular,Arial Unicode MS Regular", 0);

    assertThat(stack.name()).isEqualTo("SansSerif Regular");
    assertThat(stack.glyph('7').advance()).isPositive();
  }

  @Test
  void aRepeatedRequestIsServedFromTheCache() {
    GlyphService fresh = new GlyphService(ShippedFonts.only(), GlyphService.DEFAULT_CACHE_BYTES);
    byte[] first = fresh.range(Fonts.REGULAR, "256-511");
    byte[] second = fresh.range(Fonts.REGULAR, 256, 511);

    assertThat(second).isSameAs(first);
    assertThat(fresh.cacheStats().hitCount()).isEqualTo(1);
    assertThat(fresh.cacheStats().missCount()).isEqualTo(1);
  }

  @Test
  void stacksThatResolveToOneFaceShareACacheEntry() {
    GlyphService fresh = new GlyphService(ShippedFonts.only(), GlyphService.DEFAULT_CACHE_BYTES);
    fresh.range(Fonts.REGULAR, 0, 255);
    fresh.range("Missing Font, " + Fonts.REGULAR, 0, 255);

    assertThat(fresh.cachedRanges()).isEqualTo(1);
  }

  @Test
  void aSmallCacheStaysBounded() {
    GlyphService tiny = new GlyphService(ShippedFonts.only(), 100_000);
    for (int start = 0; start < 6 * 256; start += 256) {
      tiny.range(Fonts.REGULAR, start, start + 255);
    }
    assertThat(tiny.cachedRanges()).isLessThan(6);
  }

  @Test
  void concurrentRequestsDrawTheSameBytesAsOneThreadDoes() throws Exception {
    int[] starts = {0, 256, 19968, 20224, 65280, 0, 19968, 20224};
    GlyphService sequential =
        new GlyphService(ShippedFonts.only(), GlyphService.DEFAULT_CACHE_BYTES);
    GlyphService concurrent =
        new GlyphService(ShippedFonts.only(), GlyphService.DEFAULT_CACHE_BYTES);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<byte[]>> futures = new ArrayList<>();
      for (int start : starts) {
        futures.add(pool.submit(() -> concurrent.range(Fonts.REGULAR, start, start + 255)));
      }
      for (int i = 0; i < starts.length; i++) {
        assertThat(futures.get(i).get(60, TimeUnit.SECONDS))
            .as("range starting at %d", starts[i])
            .isEqualTo(sequential.range(Fonts.REGULAR, starts[i], starts[i] + 255));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void rejectsAMalformedRangeBeforeDrawingAnything() {
    assertThatThrownBy(() -> service.range(Fonts.REGULAR, 10, 265))
        .isInstanceOfSatisfying(
            InvalidGlyphRequestException.class, e -> assertThat(e.parameter()).isEqualTo("range"))
        .hasMessageContaining("start 10 is not a multiple of 256");
    assertThatThrownBy(() -> service.range(Fonts.REGULAR, "0-255.json"))
        .hasMessageContaining("range '0-255.json' is not valid");
  }
}
