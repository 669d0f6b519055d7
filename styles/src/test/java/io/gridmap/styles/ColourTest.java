package io.gridmap.styles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ColourTest {

  @Test
  void readsAndWritesHex() {
    assertThat(Colour.hex("#FF3D00")).isEqualTo(new Colour(255, 61, 0));
    assertThat(Colour.hex("#f30").hex()).isEqualTo("#ff3300");
    assertThat(new Colour(1, 2, 3).rgba(0.5)).isEqualTo("rgba(1, 2, 3, 0.5)");
  }

  @Test
  void refusesWhatIsNotAColourNamingIt() {
    assertThatThrownBy(() -> Colour.hex("red"))
        .hasMessageContaining("colour 'red' is not valid; expected #rrggbb");
    assertThatThrownBy(() -> new Colour(256, 0, 0))
        .hasMessageContaining("red must be 0..255, got 256");
  }
}
