package io.gridmap.tiler.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.tiler.TestTiles;
import io.gridmap.tiler.geo.TileCoord;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** --area: codes of each admin level, bboxes, and the errors a user sees. */
class ExportAreaTest {
  private final CityIndex index = TestTiles.index();

  private String firstCode(String layer) {
    LayerIndex li = index.layer(layer);
    return (String) li.feature(0).value(li.def().fieldIndex("code"));
  }

  @Test
  void aDistrictCodeIsItsOutlineAndTakesOnlyTheTilesTouchingIt() {
    String code = firstCode("districts");
    ExportArea area = ExportArea.parse(code, index);
    assertThat(area.description()).startsWith("district " + code);
    assertThat(area.outline()).isNotNull();
    long[] ids = area.tileIds(10, 14);
    long[] ofBbox = new ExportArea("bbox", area.lonLatBounds(), null).tileIds(10, 14);
    assertThat(ids.length).isPositive().isLessThan(ofBbox.length);
    assertThat(ids).isSorted();
    // every tile of the outline is a tile of its bbox
    assertThat(Arrays.stream(ofBbox).boxed().toList())
        .containsAll(Arrays.stream(ids).boxed().toList());
  }

  @Test
  void streetVillageAndGridCodesResolveToTheirLayers() {
    assertThat(ExportArea.parse(firstCode("streets"), index).description()).startsWith("street ");
    assertThat(ExportArea.parse(firstCode("villages"), index).description()).startsWith("village ");
    assertThat(ExportArea.parse(firstCode("grids"), index).description()).startsWith("grid ");
  }

  @Test
  void anUnknownCodeNamesTheNearestCodesAndHowToListThem() {
    String code = firstCode("districts");
    String wrong = code.substring(0, 4) + "99";
    assertThatThrownBy(() -> ExportArea.parse(wrong, index))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no district has this code")
        .hasMessageContaining("the nearest are " + code.substring(0, 4))
        .hasMessageContaining("/collections/districts/items");
    assertThatThrownBy(() -> ExportArea.parse("5001", index)).hasMessageContaining("has 4 digits");
  }

  @Test
  void aBboxIsCheckedAndNamesTheExpectedForm() {
    ExportArea a = ExportArea.parse("106.5,29.5,106.6,29.6", index);
    assertThat(a.outline()).isNull();
    assertThat(a.tileIds(0, 0)).containsExactly(0);
    assertThat(a.tileIds(14, 14)).hasSize(6 * 6); // 0.1 degrees is about 4.6 z14 tiles
    assertThatThrownBy(() -> ExportArea.parse("106.6,29.5,106.5,29.6", index))
        .hasMessageContaining("minLon < maxLon");
    assertThatThrownBy(() -> ExportArea.parse("29.5,106.5,29.6,106.6", index))
        .hasMessageContaining("lat,lon instead of lon,lat");
    assertThatThrownBy(() -> ExportArea.parse("106.5,29.5,106.6", index))
        .hasMessageContaining("4 numbers, got 3");
    assertThatThrownBy(() -> ExportArea.parse("106.5,north,106.6,29.6", index))
        .hasMessageContaining("'north' is not a number");
    assertThatThrownBy(() -> ExportArea.parse("chongqing", index))
        .hasMessageContaining("is not a district code");
  }

  @Test
  void allIsTheCityOutlineWithoutTheEmptyCornersOfItsBbox() {
    ExportArea all = ExportArea.parse("all", index);
    assertThat(all.lonLatBounds()).isEqualTo(index.lonLatBounds());
    assertThat(all.outline()).isNotNull();
    long[] ids = all.tileIds(14, 14);
    long[] ofBbox = new ExportArea("bbox", all.lonLatBounds(), null).tileIds(14, 14);
    assertThat(ids.length).isPositive().isLessThanOrEqualTo(ofBbox.length);
  }

  @Test
  void tilesOfABboxAreEveryTileItTouchesAtEachZoom() {
    ExportArea a = ExportArea.bbox("106.5,29.5,106.6,29.6");
    for (long id : a.tileIds(8, 9)) {
      TileCoord c = TileId.toTile(id);
      assertThat(c.lonLatBounds().intersects(a.lonLatBounds())).as("%s", c).isTrue();
    }
  }
}
