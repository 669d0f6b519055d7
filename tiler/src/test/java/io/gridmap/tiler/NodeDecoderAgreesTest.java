package io.gridmap.tiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sebasbaumh.mapbox.vectortile.VectorTile;
import io.gridmap.layers.model.Feature;
import io.gridmap.tiler.TestTiles.Decoded;
import io.gridmap.tiler.encode.Commands;
import io.gridmap.tiler.encode.IntList;
import io.gridmap.tiler.encode.MvtLayerWriter;
import io.gridmap.tiler.geo.TileCoord;
import io.gridmap.tiler.render.ClusterIds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Envelope;

/**
 * Our tiles decoded by {@code @mapbox/vector-tile} (what MapLibre GL JS builds on, run by
 * tools/mvt-decode) must agree with the Java-side decoding: same layers, extents, feature ids,
 * types, attributes, and ring areas. Needs node; installs the tool's packages with {@code npm ci}
 * when they are missing. Without node the test fails: it never skips.
 */
@Tag("slow")
class NodeDecoderAgreesTest {
  static Path toolDir() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("tools/mvt-decode");
      if (Files.isRegularFile(candidate.resolve("decode.js"))) {
        return candidate;
      }
      dir = dir.getParent();
    }
    throw new AssertionError(
        "tools/mvt-decode/decode.js not found above " + Path.of("").toAbsolutePath());
  }

  static String run(Path workDir, long timeoutSeconds, String... command)
      throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError(
          "cannot run '"
              + command[0]
              + "': node and npm are needed for this test (apt-get install nodejs npm); "
              + e.getMessage(),
          e);
    }
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
    }
    String text = new String(out, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      fail(String.join(" ", command) + " exited " + p.exitValue() + ":\n" + text);
    }
    return text;
  }

  @Test
  void nodeDecodesOurTilesToTheSameFeatures() throws Exception {
    Path tool = toolDir();
    if (!Files.isDirectory(tool.resolve("node_modules/@mapbox/vector-tile"))) {
      run(tool, 300, "npm", "ci", "--no-audit", "--no-fund");
    }
    TileService service = TestTiles.service();
    Envelope b = TestTiles.index().mercatorBounds();
    double cx = b.centre().x;
    double cy = b.centre().y;
    List<TileCoord> tiles = new ArrayList<>();
    for (int z : new int[] {6, 8, 10, 12, 13, 14}) {
      tiles.add(TileCoord.containing(cx, cy, z));
    }
    Path outDir = Path.of("target", "mvt-node");
    Files.createDirectories(outDir);
    ObjectMapper json = new ObjectMapper();
    int compared = 0;
    for (TileCoord c : tiles) {
      byte[] gz = service.tile(c).gzipped();
      Path file = outDir.resolve(c.z() + "-" + c.x() + "-" + c.y() + ".mvt");
      Files.write(file, gz);
      JsonNode node =
          json.readTree(
              run(
                  tool,
                  60,
                  "node",
                  tool.resolve("decode.js").toString(),
                  file.toAbsolutePath().toString()));
      Map<String, List<Decoded>> java = TestTiles.decode(gz);
      VectorTile.Tile raw = TestTiles.parse(gz);
      List<String> nodeLayers = new ArrayList<>();
      node.fieldNames().forEachRemaining(nodeLayers::add);
      assertThat(nodeLayers).as("layers of %s", c).containsExactlyElementsOf(java.keySet());
      for (VectorTile.Tile.Layer layer : raw.getLayersList()) {
        JsonNode nl = node.get(layer.getName());
        assertThat(nl.get("extent").asInt()).isEqualTo(4096);
        assertThat(nl.get("version").asInt()).isEqualTo(2);
        JsonNode features = nl.get("features");
        List<Decoded> jf = java.get(layer.getName());
        assertThat(features).as("%s %s", c, layer.getName()).hasSize(jf.size());
        for (int i = 0; i < jf.size(); i++) {
          JsonNode n = features.get(i);
          Decoded d = jf.get(i);
          assertThat(n.get("id").asLong()).as("%s %s #%d", c, layer.getName(), i).isEqualTo(d.id());
          assertThat(n.get("type").asInt()).isEqualTo(d.type());
          JsonNode props = n.get("properties");
          assertThat(props.size()).isEqualTo(d.properties().size());
          d.properties()
              .forEach(
                  (k, v) -> {
                    JsonNode pv = props.get(k);
                    assertThat(pv).as("%s of %d", k, d.id()).isNotNull();
                    if (v instanceof String s) {
                      assertThat(pv.asText()).isEqualTo(s);
                    } else if (v instanceof Boolean bool) {
                      assertThat(pv.asBoolean()).isEqualTo(bool);
                    } else {
                      assertThat(pv.asDouble()).isEqualTo(((Number) v).doubleValue());
                    }
                  });
          List<Long> javaAreas = TestTiles.ringAreas(layer.getFeatures(i));
          if (d.type() == 3) {
            JsonNode rings = n.get("geometry");
            assertThat(rings).hasSize(javaAreas.size());
            for (int r = 0; r < rings.size(); r++) {
              assertThat(nodeRingArea(rings.get(r))).isEqualTo(javaAreas.get(r));
            }
          } else if (d.type() == 1) {
            JsonNode p = n.get("geometry").get(0).get(0);
            assertThat(p.get(0).asDouble()).isEqualTo(d.geometry().getCoordinate().x);
            assertThat(p.get(1).asDouble()).isEqualTo(d.geometry().getCoordinate().y);
          }
          compared++;
        }
      }
    }
    // 490 since clusters beyond a tile's buffer are no longer drawn in it (over 500 before)
    assertThat(compared).isGreaterThan(400);
  }

  @Test
  void nodeReadsEveryIdWeWriteExactly() throws Exception {
    Path tool = toolDir();
    if (!Files.isDirectory(tool.resolve("node_modules/@mapbox/vector-tile"))) {
      run(tool, 300, "npm", "ci", "--no-audit", "--no-fund");
    }
    // stored ids (a grid code, a 13-digit point id, the last one below 2^52), cluster ids from
    // 2^52 up, and the encoder's limit 2^53 - 1
    long[] ids = {
      0,
      500_103_001_001_001L,
      5_001_030_000_101L,
      Feature.ID_LIMIT - 1,
      ClusterIds.of(0, 0, 0),
      ClusterIds.of(13, (1 << 17) - 1, (1 << 17) - 1),
      MvtLayerWriter.MAX_ID
    };
    MvtLayerWriter w = new MvtLayerWriter("ids", MvtLayerWriter.EXTENT);
    for (long id : ids) {
      w.tag("code", Long.toString(id));
      IntList g = new IntList();
      Commands.point(g, 100, 200);
      w.feature(id, Commands.POINT, g);
    }
    Path file = Files.createDirectories(Path.of("target", "mvt-node")).resolve("ids.mvt");
    Files.write(file, w.finish());
    JsonNode features =
        new ObjectMapper()
            .readTree(
                run(
                    tool,
                    60,
                    "node",
                    tool.resolve("decode.js").toString(),
                    file.toAbsolutePath().toString()))
            .at("/ids/features");
    assertThat(features).hasSize(ids.length);
    Map<String, List<Decoded>> java = TestTiles.decode(Files.readAllBytes(file));
    for (int i = 0; i < ids.length; i++) {
      // node prints the double it holds; a rounded id would print other digits
      assertThat(features.get(i).get("id").asText()).isEqualTo(Long.toString(ids[i]));
      assertThat(features.get(i).at("/properties/code").asText()).isEqualTo(Long.toString(ids[i]));
      assertThat(java.get("ids").get(i).id()).isEqualTo(ids[i]);
    }
  }

  /**
   * Twice the surveyor's-formula area of a ring from loadGeometry (which repeats the first point).
   */
  static long nodeRingArea(JsonNode ring) {
    long a = 0;
    int n = ring.size();
    for (int i = 0; i < n; i++) {
      JsonNode p = ring.get(i);
      JsonNode q = ring.get((i + 1) % n);
      a += p.get(0).asLong() * q.get(1).asLong() - q.get(0).asLong() * p.get(1).asLong();
    }
    return a;
  }
}
