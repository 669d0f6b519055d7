package io.gridmap.styles.glyphs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridmap.styles.glyphs.GlyphPbfDecoder.DecodedGlyph;
import io.gridmap.styles.glyphs.GlyphPbfDecoder.DecodedStack;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class GlyphPbfTest {

  @Test
  void encodesAnEmptyRangeAsOneStackWithNoGlyphs() {
    byte[] pbf = GlyphPbf.encode("A", GlyphRange.of(0, 255), List.of());

    // glyphs.stacks(1, len 10) { name(1) "A"; range(2) "0-255" }
    assertThat(HexFormat.of().formatHex(pbf)).isEqualTo("0a0a" + "0a0141" + "1205302d323535");
    assertThat(GlyphPbfDecoder.decode(pbf))
        .containsExactly(new DecodedStack("A", "0-255", List.of()));
  }

  @Test
  void encodesEveryGlyphFieldAsTheSchemaNumbersThem() {
    byte[] bitmap = new byte[(2 + 6) * (3 + 6)];
    for (int i = 0; i < bitmap.length; i++) {
      bitmap[i] = (byte) (i * 7);
    }
    Glyph g = new Glyph('A', bitmap, 2, 3, -1, -10, 14);

    DecodedStack stack =
        GlyphPbfDecoder.decode(
                GlyphPbf.encode("Noto Sans SC Regular", GlyphRange.of(0, 255), List.of(g)))
            .get(0);

    assertThat(stack.name()).isEqualTo("Noto Sans SC Regular");
    assertThat(stack.range()).isEqualTo("0-255");
    DecodedGlyph d = stack.glyph('A');
    assertThat(d.bitmap()).isEqualTo(bitmap);
    assertThat(List.of(d.width(), d.height(), d.left(), d.top(), d.advance()))
        .containsExactly(2, 3, -1, -10, 14);
  }

  @Test
  void writesSignedMetricsZigzagSoSmallNegativesTakeOneByte() {
    Glyph g = Glyph.empty(' ', 6);
    Glyph negative = new Glyph('x', new byte[0], 0, 0, -1, -64, 0);
    byte[] pbf = GlyphPbf.encode("s", GlyphRange.of(0, 255), List.of(g, negative));
    String hex = HexFormat.of().formatHex(pbf);

    // glyph ' ': id(1)=32, width(3)=0, height(4)=0, left(5)=0, top(6)=0, advance(7)=6
    assertThat(hex).contains("1a0c" + "0820" + "1800" + "2000" + "2800" + "3000" + "3806");
    // left -1 -> zigzag 1; top -64 -> zigzag 127, still one byte
    assertThat(hex).contains("2801" + "307f");
    assertThat(GlyphPbfDecoder.decode(pbf).get(0).glyph('x').top()).isEqualTo(-64);
  }

  @Test
  void leavesTheBitmapOutOfGlyphsWithoutInk() {
    byte[] pbf = GlyphPbf.encode("s", GlyphRange.of(0, 255), List.of(Glyph.empty(' ', 6)));

    assertThat(GlyphPbfDecoder.decode(pbf).get(0).glyph(' ').bitmap()).isEmpty();
    assertThat(HexFormat.of().formatHex(pbf)).doesNotContain("0820" + "12");
  }

  @Test
  void writesMultiByteLengthsForLargeBitmaps() {
    byte[] bitmap = new byte[(30 + 6) * (30 + 6)]; // 1296 bytes: a two-byte length varint
    Glyph g = new Glyph(0x4E2D, bitmap, 30, 30, 0, -5, 24);

    DecodedStack stack =
        GlyphPbfDecoder.decode(GlyphPbf.encode("s", GlyphRange.of(19968, 20223), List.of(g)))
            .get(0);

    assertThat(stack.glyph(0x4E2D).bitmap()).hasSize(1296);
    assertThat(stack.range()).isEqualTo("19968-20223");
  }

  @Test
  void refusesAGlyphOutsideItsRange() {
    assertThatThrownBy(
            () -> GlyphPbf.encode("s", GlyphRange.of(256, 511), List.of(Glyph.empty('A', 10))))
        .hasMessageContaining("glyph 65 is outside range 256-511");
  }

  @Test
  void refusesABitmapOfTheWrongSize() {
    assertThatThrownBy(() -> new Glyph('A', new byte[10], 2, 3, 0, 0, 10))
        .hasMessageContaining("(width+6)*(height+6) = 72 bytes, got 10");
  }
}
