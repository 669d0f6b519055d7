package io.gridmap.styles.glyphs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GlyphRangeTest {

  @Test
  void parsesTheRangesMapLibreAsksFor() {
    assertThat(GlyphRange.parse("0-255")).isEqualTo(new GlyphRange(0, 255));
    assertThat(GlyphRange.parse("19968-20223")).isEqualTo(new GlyphRange(19968, 20223));
    assertThat(GlyphRange.parse("65280-65535")).isEqualTo(new GlyphRange(65280, 65535));
  }

  @Test
  void acceptsTheLastPathSegmentWithItsExtension() {
    assertThat(GlyphRange.parse("256-511.pbf")).isEqualTo(new GlyphRange(256, 511));
  }

  @Test
  void findsTheRangeOfACodePoint() {
    assertThat(GlyphRange.containing('中')).isEqualTo(new GlyphRange(19968, 20223));
    assertThat(GlyphRange.containing('0')).isEqualTo(new GlyphRange(0, 255));
    assertThat(GlyphRange.containing(0xFFFF)).isEqualTo(new GlyphRange(65280, 65535));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1-256",
        "0-254",
        "0-511",
        "256-255",
        "65536-65791",
        "-1-254",
        "abc",
        "0_255",
        "0-",
        "",
        "0-255.png",
        "00000000000-255"
      })
  void rejectsMalformedRangesNamingTheValueAndTheAcceptedForm(String text) {
    assertThatThrownBy(() -> GlyphRange.parse(text))
        .isInstanceOfSatisfying(
            InvalidGlyphRequestException.class,
            e -> {
              assertThat(e.parameter()).isEqualTo("range");
              assertThat(e.value()).isEqualTo(text);
              assertThat(e.acceptedForm()).contains("multiple of 256").contains("0-255");
            })
        .hasMessageContaining("range '" + text + "' is not valid")
        .hasMessageContaining("expected {start}-{end}");
  }

  @Test
  void saysWhatIsWrongWithAnUnalignedStart() {
    assertThatThrownBy(() -> GlyphRange.of(100, 355))
        .hasMessageContaining("range '100-355' is not valid: start 100 is not a multiple of 256");
  }

  @Test
  void saysWhatIsWrongWithAWrongEnd() {
    assertThatThrownBy(() -> GlyphRange.of(256, 1023))
        .hasMessageContaining("end 1023 is not start + 255 = 511");
  }

  @Test
  void rejectsStartsBeyondTheBasicMultilingualPlane() {
    assertThatThrownBy(() -> GlyphRange.of(65536, 65791)).hasMessageContaining("outside 0..65535");
  }
}
