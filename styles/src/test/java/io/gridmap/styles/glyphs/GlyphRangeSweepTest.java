package io.gridmap.styles.glyphs;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.styles.Fonts;
import io.gridmap.styles.glyphs.GlyphPbfDecoder.DecodedGlyph;
import io.gridmap.styles.glyphs.GlyphPbfDecoder.DecodedStack;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every range a viewer can ask for answers with a valid PBF: all 256 ranges of the BMP, drawn once
 * each (~10 s on the 2-core machine, hence slow).
 */
@Tag("slow")
class GlyphRangeSweepTest {

  @Test
  void everyRangeOfTheBasicMultilingualPlaneAnswersWithAValidPbf() {
    GlyphService service = new GlyphService(ShippedFonts.only(), 0); // no caching: nothing to keep
    int withGlyphs = 0;
    for (int start = 0; start <= 65280; start += 256) {
      String range = start + "-" + (start + 255);
      List<DecodedStack> stacks = GlyphPbfDecoder.decode(service.range(Fonts.REGULAR, range));
      assertThat(stacks).as(range).hasSize(1);
      DecodedStack stack = stacks.get(0);
      assertThat(stack.range()).isEqualTo(range);
      for (DecodedGlyph g : stack.glyphs()) {
        assertThat(g.id()).as(range).isBetween(start, start + 255);
        int expected = g.width() == 0 || g.height() == 0 ? 0 : (g.width() + 6) * (g.height() + 6);
        assertThat(g.bitmap()).as("glyph %d", g.id()).hasSize(expected);
      }
      if (!stack.glyphs().isEmpty()) {
        withGlyphs++;
      }
    }
    // Noto Sans SC covers Latin, Greek, Cyrillic, punctuation, CJK and full-width forms: 135 ranges
    // (Debian's Noto Sans CJK, with Hangul, had over 150)
    assertThat(withGlyphs).isGreaterThan(130);
  }
}
