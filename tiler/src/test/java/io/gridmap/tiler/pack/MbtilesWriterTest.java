package io.gridmap.tiler.pack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridmap.tiler.geo.TileCoord;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MBTiles writer: TMS rows, repeats stored once, the metadata GDAL reads. */
class MbtilesWriterTest {
  @TempDir Path dir;

  @Test
  void rowsAreTmsRepeatsAreStoredOnceAndTheMetadataIsVectorMbtiles() throws Exception {
    Path file = dir.resolve("a.mbtiles");
    byte[] a = {0x1f, (byte) 0x8b, 1, 2, 3};
    byte[] b = {0x1f, (byte) 0x8b, 4, 5, 6, 7};
    try (MbtilesWriter w = new MbtilesWriter(file)) {
      w.write(new TileCoord(3, 6, 0), a);
      w.write(new TileCoord(3, 6, 1), b);
      w.write(new TileCoord(3, 7, 7), a);
      w.finish(PmtilesWriterTest.metadata(3, 3));
      assertThat(w.counts()).isEqualTo(new TileArchive.Counts(3, 2, 11));
    }
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = db.createStatement()) {
      Map<String, byte[]> tiles = new HashMap<>();
      try (ResultSet rs =
          s.executeQuery("SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles")) {
        while (rs.next()) {
          tiles.put(rs.getInt(1) + "/" + rs.getInt(2) + "/" + rs.getInt(3), rs.getBytes(4));
        }
      }
      // y 0 (the north edge) is TMS row 7 at z3
      assertThat(tiles).containsOnlyKeys("3/6/7", "3/6/6", "3/7/0");
      assertThat(tiles.get("3/6/7")).isEqualTo(a);
      assertThat(tiles.get("3/7/0")).isEqualTo(a);
      assertThat(tiles.get("3/6/6")).isEqualTo(b);
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM images")) {
        assertThat(rs.getInt(1)).isEqualTo(2);
      }
      Map<String, String> meta = new HashMap<>();
      try (ResultSet rs = s.executeQuery("SELECT name, value FROM metadata")) {
        while (rs.next()) {
          meta.put(rs.getString(1), rs.getString(2));
        }
      }
      assertThat(meta)
          .containsEntry("format", "pbf")
          .containsEntry("name", "cq")
          .containsEntry("minzoom", "3")
          .containsEntry("maxzoom", "3")
          .containsEntry("bounds", "106.400000,29.500000,106.600000,29.600000")
          .containsEntry("center", "106.500000,29.550000,3");
      assertThat(new ObjectMapper().readTree(meta.get("json")).at("/vector_layers/0/id").asText())
          .isEqualTo("districts");
    }
  }
}
