package io.gridmap.bench.race;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.tiler.encode.Commands;
import io.gridmap.tiler.encode.Gzip;
import io.gridmap.tiler.encode.IntList;
import io.gridmap.tiler.encode.MvtLayerWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MvtReaderTest {
  /** Two layers as our encoder writes them, concatenated into one tile. */
  private static byte[] tile() {
    MvtLayerWriter grids = new MvtLayerWriter("grids", 4096);
    IntList g = new IntList();
    g.add(Commands.command(Commands.MOVE_TO, 1));
    g.add(Commands.zigzag(10));
    g.add(Commands.zigzag(10));
    g.add(Commands.command(Commands.LINE_TO, 2));
    g.add(Commands.zigzag(100));
    g.add(Commands.zigzag(0));
    g.add(Commands.zigzag(0));
    g.add(Commands.zigzag(100));
    g.add(Commands.command(Commands.CLOSE_PATH, 1));
    grids.tag("code", "500103001001001");
    grids.tag("population", 1329L);
    grids.feature(500103001001001L, Commands.POLYGON, g);
    byte[] a = grids.finish();

    MvtLayerWriter labels = new MvtLayerWriter("labels", 4096);
    IntList p = new IntList();
    Commands.point(p, 5, 7);
    labels.tag("level", "grid");
    labels.tag("negative", -3L);
    labels.tag("on_duty", true);
    labels.feature(42L, Commands.POINT, p);
    p.clear();
    Commands.point(p, 9, 9);
    labels.feature(43L, Commands.POINT, p);
    byte[] b = labels.finish();

    byte[] tile = new byte[a.length + b.length];
    System.arraycopy(a, 0, tile, 0, a.length);
    System.arraycopy(b, 0, tile, a.length, b.length);
    return tile;
  }

  @Test
  void readsIdsTypesAndAttributesOfEveryLayer() {
    Map<String, MvtReader.Layer> layers = MvtReader.read(tile());

    assertThat(layers).containsOnlyKeys("grids", "labels");
    MvtReader.Layer grids = layers.get("grids");
    assertThat(grids.extent()).isEqualTo(4096);
    assertThat(grids.count()).isEqualTo(1);
    MvtReader.Feature grid = grids.features().get(500103001001001L);
    assertThat(grid.type()).isEqualTo(Commands.POLYGON);
    assertThat(grid.area()).isEqualTo(5000.0); // the triangle (10,10) (110,10) (110,110)
    assertThat(grid.tags())
        .containsExactlyInAnyOrderEntriesOf(Map.of("code", "500103001001001", "population", 1329L));
    MvtReader.Layer labels = layers.get("labels");
    assertThat(labels.features()).containsOnlyKeys(42L, 43L);
    assertThat(labels.features().get(42L).tags())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("level", "grid", "negative", -3L, "on_duty", true));
    assertThat(labels.features().get(43L).tags()).isEmpty();
    assertThat(labels.features().get(43L).area()).isZero();
  }

  @Test
  void inflatesAGzippedTileFirst() {
    assertThat(MvtReader.read(Gzip.compress(tile(), 4))).isEqualTo(MvtReader.read(tile()));
  }

  @Test
  void anEmptyBodyHasNoLayers() {
    assertThat(MvtReader.read(new byte[0])).isEmpty();
  }
}
