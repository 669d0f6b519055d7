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
  void opensAPostgisStoreWithoutConnectingAndNeverShowsThePassword() {
    try (FeatureStore store = Stores.open("postgresql://gridmap:secret@localhost/cq?schema=city")) {
      assertThat(store).isInstanceOf(io.gridmap.layers.store.pg.PostgisStore.class);
      assertThat(store.location()).isEqualTo("postgresql://gridmap:***@localhost/cq?schema=city");
    }
    assertThat(StoreLocation.parse("postgres://db/cq").kind())
        .isEqualTo(StoreLocation.Kind.POSTGIS);
  }

  @Test
  void rejectsAMalformedPostgisUrlSayingWhatIsWrongWithoutThePassword() {
    assertThatThrownBy(() -> Stores.open("postgresql://gridmap:secret@localhost/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("names no database")
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> Stores.open("postgresql://localhost/cq?schema=x;drop"))
        .hasMessageContaining("schema 'x;drop' is not a plain identifier");
    assertThatThrownBy(() -> Stores.open("jdbc:postgresql://localhost/cq?password=secret"))
        .hasMessageContaining("give it as postgresql://")
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
