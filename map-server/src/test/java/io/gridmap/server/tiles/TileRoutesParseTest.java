package io.gridmap.server.tiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridmap.server.web.ApiException;
import org.junit.jupiter.api.Test;

class TileRoutesParseTest {
  @Test
  void validPathParses() {
    var t = TileRoutes.parse("12", "3249", "1697.mvt");
    assertThat(t.z()).isEqualTo(12);
    assertThat(t.x()).isEqualTo(3249);
    assertThat(t.y()).isEqualTo(1697);
  }

  @Test
  void wrongExtensionIsNotFound() {
    assertThatThrownBy(() -> TileRoutes.parse("1", "0", "0.png"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404))
        .hasMessageContaining("'0.png'");
  }

  @Test
  void zoomBeyondMaxIsNotFoundAndSaysTheRange() {
    assertThatThrownBy(() -> TileRoutes.parse("15", "0", "0.mvt"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404))
        .hasMessageContaining("z=15")
        .hasMessageContaining("0..14");
  }

  @Test
  void columnOutsideTheZoomIsBadRequestNamingTheValue() {
    assertThatThrownBy(() -> TileRoutes.parse("2", "4", "0.mvt"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessageContaining("x=4")
        .hasMessageContaining("0..3");
  }

  @Test
  void nonNumericAndHugeNumbersAreBadRequests() {
    assertThatThrownBy(() -> TileRoutes.parse("a", "0", "0.mvt"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessageContaining("z must be a non-negative integer, got 'a'");
    assertThatThrownBy(() -> TileRoutes.parse("3", "99999999999999", "0.mvt"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
    assertThatThrownBy(() -> TileRoutes.parse("3", "-1", "0.mvt"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
  }
}
