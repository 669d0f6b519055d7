package io.gridmap.layers.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridmap.layers.store.gpkg.GeoPackageStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StoreLocationTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "chongqing.gpkg",
        "data/chongqing.gpkg",
        "/var/lib/gridmap/CQ.GPKG",
        "  spaced.gpkg "
      })
  void acceptsAGeoPackagePath(String location) {
    StoreLocation parsed = StoreLocation.parse(location);
    assertThat(parsed.kind()).isEqualTo(StoreLocation.Kind.GEOPACKAGE);
    assertThat(parsed.path()).isEqualTo(Path.of(location.strip()));
  }

  @Test
  void opensAGeoPackageStoreWithoutTouchingTheFile() {
    try (FeatureStore store = Stores.open("does/not/exist/yet.gpkg")) {
      assertThat(store).isInstanceOf(GeoPackageStore.class);
      assertThat(store.location()).isEqualTo(Path.of("does/not/exist/yet.gpkg").toString());
    }
  }

  @Test
  void rejectsAPostgisUrlForNowSayingWhatIsAccepted() {
    assertThatThrownBy(() -> Stores.open("postgresql://gridmap:secret@localhost/cq"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "store location 'postgresql://gridmap:***@localhost/cq' is a PostGIS URL, which is not supported yet")
        .hasMessageContaining("a GeoPackage file path ending in .gpkg")
        .hasMessageNotContaining("secret");
  }

  @Test
  void rejectsOtherFilesNamingTheValue() {
    assertThatThrownBy(() -> StoreLocation.parse("grids.shp"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("store location 'grids.shp' is not a .gpkg file; " + StoreLocation.ACCEPTED);
    assertThatThrownBy(() -> StoreLocation.parse("https://example.org/cq.gpkg"))
        .hasMessageStartingWith(
            "store location 'https://example.org/cq.gpkg' has an unknown scheme");
  }

  @Test
  void rejectsAnEmptyLocation() {
    assertThatThrownBy(() -> StoreLocation.parse(" "))
        .hasMessageStartingWith("store location is empty; accepted forms:");
    assertThatThrownBy(() -> StoreLocation.parse(null))
        .hasMessageStartingWith("store location is empty");
  }
}
