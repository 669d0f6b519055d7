package io.gridmap.tiler.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridmap.tiler.geo.TileCoord;
import io.gridmap.tiler.pack.PmtilesHeader.Compression;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Envelope;

/** The PMTiles writer: header fields, runs and repeats, clustering, leaves past 16 KiB. */
class PmtilesWriterTest {
  @TempDir Path dir;

  static ArchiveMetadata metadata(int minZoom, int maxZoom) {
    return new ArchiveMetadata(
        "cq",
        "test",
        "gridmap",
        minZoom,
        maxZoom,
        new Envelope(106.4, 106.6, 29.5, 29.6),
        minZoom,
        List.of(Map.of("id", "districts", "fields", Map.of("code", "String"))),
        Map.of("gridmap:visibility", "public"));
  }

  private static byte[] tile(int seed, int length) {
    byte[] b = new byte[length];
    new Random(seed).nextBytes(b);
    b[0] = 0x1f; // only its length and content matter here
    return b;
  }

  @Test
  void headerSaysClusteredMvtGzipWithTheCountsZoomsAndBounds() throws Exception {
    Path file = dir.resolve("a.pmtiles");
    byte[] sea = tile(1, 20);
    try (PmtilesWriter w = new PmtilesWriter(file, Compression.GZIP)) {
      // z2 in Hilbert order: ids 5..8 are (0,0) (1,0) (1,1) (0,1)
      w.write(new TileCoord(2, 0, 0), sea);
      w.write(new TileCoord(2, 1, 0), sea); // the same bytes next on the curve: a run
      w.write(new TileCoord(2, 1, 1), tile(2, 300));
      w.write(new TileCoord(2, 0, 1), sea); // a repeat, not next to the run: points back
      w.finish(metadata(2, 2));
    }
    PmtilesReading r = PmtilesReading.of(file);
    PmtilesHeader h = r.header();
    assertThat(h.clustered()).isTrue();
    assertThat(h.internalCompression()).isEqualTo(Compression.GZIP);
    assertThat(h.tileCompression()).isEqualTo(Compression.GZIP);
    assertThat(h.tileType()).isEqualTo(PmtilesHeader.TYPE_MVT);
    assertThat(h.minZoom()).isEqualTo(2);
    assertThat(h.maxZoom()).isEqualTo(2);
    assertThat(h.addressedTiles()).isEqualTo(4);
    assertThat(h.tileEntries()).isEqualTo(3);
    assertThat(h.tileContents()).isEqualTo(2);
    assertThat(h.tileDataLength()).isEqualTo(320);
    assertThat(h.minLon()).isEqualTo(106.4);
    assertThat(h.maxLat()).isEqualTo(29.6);
    assertThat(h.centerLon()).isEqualTo(106.5);
    assertThat(h.rootOffset()).isEqualTo(127);
    assertThat(h.rootOffset() + h.rootLength()).isLessThanOrEqualTo(16_384);
    assertThat(h.leavesLength()).isZero();
    assertThat(r.root())
        .containsExactly(
            new PmtilesEntry(TileId.of(2, 0, 0), 0, 20, 2),
            new PmtilesEntry(TileId.of(2, 1, 1), 20, 300, 1),
            new PmtilesEntry(TileId.of(2, 0, 1), 0, 20, 1));
    assertThat(r.tile(TileId.of(2, 1, 0))).isEqualTo(sea);
    assertThat(r.tile(TileId.of(2, 0, 1))).isEqualTo(sea);
    assertThat(r.tile(TileId.of(2, 1, 1))).isEqualTo(tile(2, 300));
    assertThat(r.tile(TileId.of(1, 0, 0))).isNull();
    JsonNode meta = new ObjectMapper().readTree(r.metadata());
    assertThat(meta.at("/vector_layers/0/id").asText()).isEqualTo("districts");
    assertThat(meta.get("gridmap:visibility").asText()).isEqualTo("public");
  }

  @Test
  void internalCompressionNoneLeavesDirectoriesPlain() throws Exception {
    Path file = dir.resolve("plain.pmtiles");
    try (PmtilesWriter w = new PmtilesWriter(file, Compression.NONE)) {
      w.write(new TileCoord(0, 0, 0), tile(1, 10));
      w.finish(metadata(0, 0));
    }
    PmtilesReading r = PmtilesReading.of(file);
    assertThat(r.header().internalCompression()).isEqualTo(Compression.NONE);
    assertThat(new String(r.metadata(), java.nio.charset.StandardCharsets.UTF_8))
        .startsWith("{\"name\":\"cq\"");
    assertThat(r.tile(0)).isEqualTo(tile(1, 10));
  }

  @Test
  void manyEntriesGoToLeafDirectoriesAndTheRootStaysWithin16KiB() throws Exception {
    Path file = dir.resolve("big.pmtiles");
    Random random = new Random(7);
    List<Long> ids = new ArrayList<>();
    List<byte[]> tiles = new ArrayList<>();
    long id = TileId.of(14, 0, 0);
    try (PmtilesWriter w = new PmtilesWriter(file, Compression.GZIP)) {
      for (int i = 0; i < 60_000; i++) {
        id += 1 + random.nextInt(40); // gaps and lengths that do not compress away
        byte[] t = tile(i, 2 + random.nextInt(120));
        w.write(TileId.toTile(id), t);
        ids.add(id);
        tiles.add(t);
      }
      w.finish(metadata(14, 14));
    }
    PmtilesReading r = PmtilesReading.of(file);
    assertThat(r.header().leavesLength()).isPositive();
    assertThat(r.header().rootOffset() + r.header().rootLength()).isLessThanOrEqualTo(16_384);
    assertThat(r.root()).allMatch(PmtilesEntry::isLeaf);
    assertThat(r.header().tileEntries()).isEqualTo(60_000);
    for (int i = 0; i < ids.size(); i += 97) {
      assertThat(r.tile(ids.get(i))).as("tile %d", ids.get(i)).isEqualTo(tiles.get(i));
    }
    assertThat(r.tile(ids.get(ids.size() - 1))).isEqualTo(tiles.get(tiles.size() - 1));
    assertThat(r.tile(ids.get(0) - 1)).isNull();
  }

  @Test
  void refusesTilesOutOfOrderAndAnEmptyArchive() throws Exception {
    try (PmtilesWriter w = new PmtilesWriter(dir.resolve("b.pmtiles"), Compression.GZIP)) {
      w.write(new TileCoord(1, 1, 0), tile(1, 5));
      assertThatThrownBy(() -> w.write(new TileCoord(1, 0, 0), tile(1, 5)))
          .hasMessageContaining("ascending TileID order");
    }
    try (PmtilesWriter w = new PmtilesWriter(dir.resolve("c.pmtiles"), Compression.GZIP)) {
      assertThatThrownBy(() -> w.finish(metadata(0, 1))).hasMessageContaining("no tile");
    }
    assertThat(dir.resolve("c.pmtiles.tiledata")).doesNotExist();
  }
}
