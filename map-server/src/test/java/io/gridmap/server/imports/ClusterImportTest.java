package io.gridmap.server.imports;

import static io.gridmap.server.imports.ImportIntoRunningServerTest.JSON;
import static io.gridmap.server.imports.ImportIntoRunningServerTest.collection;
import static io.gridmap.server.imports.ImportIntoRunningServerTest.point;
import static io.gridmap.server.imports.ImportIntoRunningServerTest.square;
import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.Stores;
import io.gridmap.layers.testing.TestDatasets;
import io.gridmap.layers.testing.TestPostgis;
import io.gridmap.server.cli.Main;
import io.gridmap.server.testing.MvtFeatures;
import io.gridmap.server.testing.ServerProcess;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /imports} in a cluster (issue 12 point 5): two server processes on one PostGIS store,
 * joined as {@code ClusterProcessTest} joins them. An import through the writer reaches the other
 * node without a restart (collections, items, the tiles it touches, and no other tile); an import
 * through the node that does not write is forwarded to the one that does and answered once both
 * serve it; {@code mapserver import} into the store reaches both; the live stream goes on past the
 * imports' positions.
 */
@Tag("slow")
class ClusterImportTest {
  @TempDir Path dir;
  private final String schema = TestPostgis.newSchema();
  private final List<ServerProcess> nodes = new ArrayList<>();

  @AfterEach
  void stop() {
    nodes.forEach(ServerProcess::close);
    TestPostgis.drop(schema);
  }

  private HttpResponse<String> importInto(ServerProcess node, String query, String geojson)
      throws Exception {
    return node.postLater("/imports?" + query, "application/geo+json", geojson)
        .get(60, TimeUnit.SECONDS);
  }

  private static String etag(ServerProcess node, String path) throws Exception {
    HttpResponse<byte[]> r = node.getBytes(path);
    assertThat(r.statusCode()).as(path).isEqualTo(200);
    return r.headers().firstValue("ETag").orElseThrow();
  }

  private static int features(ServerProcess node, String layer) throws Exception {
    HttpResponse<String> items = node.get("/collections/" + layer + "/items");
    if (items.statusCode() == 404) {
      return -1;
    }
    assertThat(items.statusCode()).as(items.body()).isEqualTo(200);
    return JSON.readTree(items.body()).get("features").size();
  }

  @Test
  void anImportThroughEitherNodeIsServedByBothWithoutARestart() throws Exception {
    String url = TestPostgis.storeUrl(schema);
    try (FeatureStore s = Stores.open(url)) {
      s.write(TestDatasets.tiny());
    }
    List<Integer> ports = ServerProcess.freePorts(2);
    for (int i = 0; i < 2; i++) {
      nodes.add(
          ServerProcess.start(
              url, ServerProcess.clusterConfig(dir, i, ports, 4), List.of("-Xmx512m")));
    }
    nodes.get(1).awaitLog("Members {size:2");
    ServerProcess a = nodes.get(0); // started first: it writes
    ServerProcess b = nodes.get(1);

    // a park inside the tiny city, far from the tile kept
    String touched = ServerProcess.tilePath(12, 106.031, 29.031);
    String untouched = ServerProcess.tilePath(12, 106.18, 29.09);
    assertThat(untouched).isNotEqualTo(touched);
    String touchedTag = etag(b, touched);
    String untouchedTag = etag(b, untouched);
    assertThat(features(b, "parks")).as("no parks before the import").isEqualTo(-1);

    LinkedBlockingQueue<String> live = new LinkedBlockingQueue<>();
    WebSocket ws = b.subscribe("layers=forces", live);
    try {
      // (1) through the writer: B learns of it from the change log
      HttpResponse<String> imported =
          importInto(
              a,
              "layer=parks&visibility=public",
              collection(List.of(square("P1", "North park", 106.03, 29.03, 0.002))));
      assertThat(imported.statusCode()).as(imported.body()).isEqualTo(201);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (features(b, "parks") != 1 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(features(b, "parks")).as("B serves A's import within 10 s").isEqualTo(1);
      assertThat(b.get("/collections/parks").statusCode()).isEqualTo(200);
      HttpResponse<byte[]> tile = b.getBytes(touched);
      assertThat(MvtFeatures.of(tile.body()).layers())
          .as("B's tile over the park")
          .contains("parks");
      assertThat(tile.headers().firstValue("ETag").orElseThrow()).isNotEqualTo(touchedTag);
      assertThat(etag(b, untouched))
          .as("a tile the park does not touch is kept")
          .isEqualTo(untouchedTag);

      // (2) through B, which does not write: forwarded to A with the file, answered once B shows it
      HttpResponse<String> forwarded =
          importInto(
              b,
              "layer=wells&visibility=public",
              collection(
                  List.of(
                      point("W1", "Old well", 106.04, 29.04),
                      point("W2", "New well", 106.06, 29.06))));
      assertThat(forwarded.statusCode()).as(forwarded.body()).isEqualTo(201);
      assertThat(JSON.readTree(forwarded.body()).get("added").asLong()).isEqualTo(2);
      assertThat(forwarded.headers().firstValue("Location").orElseThrow())
          .as("links name the node the client asked")
          .isEqualTo(b.base + "/collections/wells");
      assertThat(features(b, "wells")).as("read your own import on B, at once").isEqualTo(2);
      assertThat(features(a, "wells")).as("the writer imported it").isEqualTo(2);
      assertThat(a.log()).doesNotContain("could not be swapped into memory");

      // audited once each, in the store: both nodes read the cluster's one audit log
      for (ServerProcess node : nodes) {
        HttpResponse<String> audit = node.get("/admin/audit?action=layer.import");
        assertThat(audit.statusCode()).as(audit.body()).isEqualTo(200);
        // the server's entry of each import once (the store's own import entry has no target)
        assertThat(JSON.readTree(audit.body()).get("entries").findValuesAsText("target"))
            .containsExactlyInAnyOrder("parks", "wells");
      }

      // (3) the CLI into the store the nodes run on: another program's entry, which every node
      // takes in, the writer too
      Path springs = dir.resolve("springs.geojson");
      Files.writeString(springs, collection(List.of(point("S1", "Hot spring", 106.07, 29.07))));
      assertThat(
              Main.run(
                  "import",
                  "--store",
                  url,
                  "--layer",
                  "springs",
                  "--visibility",
                  "public",
                  springs.toString()))
          .isZero();
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      for (ServerProcess node : nodes) {
        while (features(node, "springs") != 1 && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
        assertThat(features(node, "springs")).as("a CLI import served within 10 s").isEqualTo(1);
      }

      // the live stream on B went past the imports' positions and still delivers
      HttpResponse<String> moved =
          a.postLater(
                  "/live/positions",
                  "application/geo+json",
                  "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"id\":1,"
                      + "\"geometry\":{\"type\":\"Point\",\"coordinates\":[106.0133,29.0133]},"
                      + "\"properties\":{}}]}")
              .get(60, TimeUnit.SECONDS);
      assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
      boolean seen = false;
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!seen && System.nanoTime() < deadline) {
        String m = live.poll(100, TimeUnit.MILLISECONDS);
        seen = m != null && m.contains("106.0133");
      }
      assertThat(seen).as("B's live subscriber gets the write after the imports").isTrue();
    } finally {
      ws.abort();
    }
  }
}
