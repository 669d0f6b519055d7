package io.gridmap.server.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.Stores;
import io.gridmap.layers.testing.TestDatasets;
import io.gridmap.layers.testing.TestPostgis;
import io.gridmap.server.testing.ServerProcess;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two server nodes in processes of their own over one PostGIS store (issue 11, point 3, test a): a
 * touched and an untouched tile are warmed on node B and their ETags recorded; a position is
 * written through node A, whose turn it is to write; within 10 s B serves the touched tile with a
 * new ETag, the untouched one with its old ETag, and B's live subscriber gets the change. B itself
 * refuses writes (503). Without the Vert.x cluster yet: B learns of A's write from the change log.
 */
@Tag("slow")
class NodesProcessTest {
  @TempDir Path dir;
  private final String schema = TestPostgis.newSchema();
  private ServerProcess a;
  private ServerProcess b;

  @AfterEach
  void stop() {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
    TestPostgis.drop(schema);
  }

  private static String move(double lon, double lat) {
    return "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"id\":1,"
        + "\"geometry\":{\"type\":\"Point\",\"coordinates\":["
        + lon
        + ","
        + lat
        + "]},\"properties\":{}}]}";
  }

  @Test
  void aWriteThroughTheWriterReachesTheOtherNodesTilesAndLiveStream() throws Exception {
    String url = TestPostgis.storeUrl(schema);
    try (FeatureStore s = Stores.open(url)) {
      s.write(TestDatasets.tiny());
    }
    Path config = ServerProcess.config(dir);
    a = ServerProcess.start(url, config, List.of());
    b = ServerProcess.start(url, config, List.of());

    // force 1 stands at 106.012, 29.02 and moves within the same z12 tile
    String touched = ServerProcess.tilePath(12, 106.0111, 29.0111);
    assertThat(ServerProcess.tilePath(12, 106.012, 29.02)).isEqualTo(touched);
    String untouched = ServerProcess.tilePath(12, 106.18, 29.09);
    String touchedTag = etag(b, touched);
    String untouchedTag = etag(b, untouched);

    LinkedBlockingQueue<String> live = new LinkedBlockingQueue<>();
    WebSocket ws = b.subscribe("layers=forces", live);
    try {
      HttpResponse<String> refused =
          b.postLater("/live/positions", "application/geo+json", move(106.0122, 29.0122))
              .get(30, TimeUnit.SECONDS);
      assertThat(refused.statusCode()).as("B is not the writer: " + refused.body()).isEqualTo(503);

      HttpResponse<String> written =
          a.postLater("/live/positions", "application/geo+json", move(106.0111, 29.0111))
              .get(30, TimeUnit.SECONDS);
      assertThat(written.statusCode()).as(written.body()).isEqualTo(200);

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      boolean seen = false;
      while (!seen && System.nanoTime() < deadline) {
        String m = live.poll(200, TimeUnit.MILLISECONDS);
        seen = m != null && m.contains("106.0111");
      }
      assertThat(seen).as("B's live subscriber gets the move within 10 s").isTrue();
      String tag = touchedTag;
      while (tag.equals(touchedTag) && System.nanoTime() < deadline) {
        Thread.sleep(200);
        tag = etag(b, touched);
      }
      assertThat(tag).as("the touched tile on B, within 10 s").isNotEqualTo(touchedTag);
      assertThat(etag(b, untouched)).as("the untouched tile on B").isEqualTo(untouchedTag);
      assertThat(b.get("/collections/forces/items/1").body()).contains("[106.0111,29.0111]");
    } finally {
      ws.abort();
    }
  }

  private static String etag(ServerProcess node, String path) throws Exception {
    HttpResponse<String> r = node.get(path);
    assertThat(r.statusCode()).as(path).isEqualTo(200);
    return r.headers().firstValue("ETag").orElseThrow();
  }
}
