package io.gridmap.tiler.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridmap.tiler.EncodedTile;
import io.gridmap.tiler.TestTiles;
import io.gridmap.tiler.TileService;
import io.gridmap.tiler.geo.TileCoord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The export pipeline: what the service serves, in order, atomically, whatever the threads. */
class TileExportTest {
  @TempDir Path dir;

  private final TileService service = TestTiles.service();
  private final ExportArea city = new ExportArea("city", service.index().lonLatBounds(), null);

  @Test
  void thePackageHoldsEveryTileWithFeaturesExactlyAsTheServiceServesIt() throws Exception {
    Path file = dir.resolve("city.pmtiles");
    List<long[]> progress = new ArrayList<>();
    TileExport.Result r =
        TileExport.toFile(
            service,
            city,
            0,
            14,
            PackageFormat.PMTILES,
            file,
            2,
            Map.of(),
            (done, total) -> progress.add(new long[] {done, total}));
    long[] ids = city.tileIds(0, 14);
    assertThat(r.planned()).isEqualTo(ids.length);
    assertThat(progress).hasSize(ids.length);
    assertThat(progress.get(ids.length - 1)).containsExactly(ids.length, ids.length);
    PmtilesReading read = PmtilesReading.of(file);
    int withFeatures = 0;
    for (long id : ids) {
      EncodedTile served = service.tile(TileId.toTile(id));
      byte[] stored = read.tile(id);
      if (served.empty()) {
        assertThat(stored).as("empty tile %s", TileId.toTile(id)).isNull();
      } else {
        withFeatures++;
        assertThat(stored).as("tile %s", TileId.toTile(id)).isEqualTo(served.gzipped());
      }
    }
    assertThat(withFeatures).isPositive();
    assertThat(r.counts().tiles()).isEqualTo(withFeatures);
    assertThat(read.header().addressedTiles()).isEqualTo(withFeatures);
    // repeated tiles (inside one unit's polygon) are stored once
    assertThat(r.counts().contents()).isLessThan(r.counts().tiles());
    assertThat(read.header().tileContents()).isEqualTo(r.counts().contents());
    assertThat(r.fileBytes()).isEqualTo(Files.size(file));
    assertThat(Files.list(dir)).containsExactly(file);
  }

  @Test
  void oneThreadAndThreeWriteTheSameBytes() throws Exception {
    Path one = dir.resolve("one.pmtiles");
    Path three = dir.resolve("three.pmtiles");
    TileExport.toFile(service, city, 8, 14, PackageFormat.PMTILES, one, 1, Map.of(), null);
    TileExport.toFile(service, city, 8, 14, PackageFormat.PMTILES, three, 3, Map.of(), null);
    assertThat(Files.readAllBytes(three)).isEqualTo(Files.readAllBytes(one));
  }

  @Test
  void mbtilesHoldsTheSameTilesUnderTmsRows() throws Exception {
    Path file = dir.resolve("city.mbtiles");
    TileExport.Result r =
        TileExport.toFile(service, city, 10, 12, PackageFormat.MBTILES, file, 2, Map.of(), null);
    int rows = 0;
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
        ResultSet rs =
            db.createStatement()
                .executeQuery("SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles")) {
      while (rs.next()) {
        int z = rs.getInt(1);
        TileCoord c = new TileCoord(z, rs.getInt(2), (1 << z) - 1 - rs.getInt(3));
        assertThat(rs.getBytes(4)).as("%s", c).isEqualTo(service.tile(c).gzipped());
        rows++;
      }
    }
    assertThat(rows).isEqualTo(r.counts().tiles()).isPositive();
  }

  @Test
  void aFailedExportLeavesTheOldFileAndNoPartFile() throws Exception {
    Path file = dir.resolve("old.pmtiles");
    Files.writeString(file, "the previous package");
    // the sea off Africa: every tile empty, and an archive without tiles is refused
    ExportArea empty = ExportArea.bbox("0,0,0.1,0.1");
    assertThatThrownBy(
            () ->
                TileExport.toFile(
                    service, empty, 10, 12, PackageFormat.PMTILES, file, 2, Map.of(), null))
        .hasMessageContaining("no tile");
    assertThat(Files.readString(file)).isEqualTo("the previous package");
    assertThat(Files.list(dir)).containsExactly(file);
  }
}
