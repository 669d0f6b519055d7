package io.gridmap.server.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.testing.TestDatasets;
import io.gridmap.server.security.Role;
import io.gridmap.server.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Point;

/**
 * Subscribers that do not keep up. One that pauses is caught up from the change log once it reads
 * again; one that reads nothing is closed after {@code ws_stall_s} (5 s here) and its TCP
 * connection reset, while a subscriber beside it receives every message.
 *
 * <p>The city is the tiny test city with 2,000 forces whose names are 700 characters long (2.1 KB
 * in UTF-8), so that a write moving 250 of them is a message of about 600 KB to staff: filling a
 * queue of 1 MiB and the kernel's buffers takes a few writes, not the tens of thousands of moves a
 * real city's forces would need (each moved force costs the store about a millisecond).
 */
class LiveStreamStallTest {
  private static final int STALL_S = 5;
  private static final int CROWD = 2_000;
  private static TestServer server;
  private static List<Feature> forces;

  @BeforeAll
  static void start() throws Exception {
    Dataset tiny = TestDatasets.tiny();
    String name = "张".repeat(700);
    forces = new ArrayList<>();
    for (int i = 0; i < CROWD; i++) {
      forces.add(
          new Feature(
              i + 1,
              TestDatasets.point(106.01 + (i % 50) * 1e-3, 29.01 + (i / 50) * 1e-3),
              new Object[] {
                "grid_worker", true, "500103001001001", name, TestDatasets.T0, "50010300100100100"
              },
              false));
    }
    Map<String, Layer> layers = new LinkedHashMap<>(tiny.layers());
    layers.put("forces", new Layer(Catalogue.FORCES, forces));
    server =
        TestServer.startWithStore(
            new Dataset(layers, tiny.metadata(), tiny.generalised()),
            Map.of("ws_stall_s", String.valueOf(STALL_S)));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  /** Where round {@code round} puts force {@code f}: a few metres on, never twice the same. */
  private static double[] position(Feature f, int round) {
    Point p = (Point) f.geometry();
    return new double[] {p.getX() + round * 1e-6, p.getY() + round * 1e-6};
  }

  /** Moves {@code n} forces (from the {@code offset}-th) in one write; returns its position. */
  private static long moveMany(int round, int offset, int n, Map<Long, double[]> last)
      throws Exception {
    Map<Long, double[]> to = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      Feature f = forces.get((offset + i) % forces.size());
      to.put(f.id(), position(f, round));
    }
    long seq = LiveClient.move(server, to);
    last.putAll(to);
    return seq;
  }

  private static List<Double> coordinates(JsonObject feature) {
    return feature.getJsonObject("geometry").getJsonArray("coordinates").getList().stream()
        .map(n -> ((Number) n).doubleValue())
        .toList();
  }

  @Test
  void aSubscriberThatPausesIsCaughtUpFromTheLogWhenItReadsAgain() throws Exception {
    try (RawLiveClient slow =
            RawLiveClient.open(
                server.server().port(),
                "/live/ws?layers=forces",
                server.bearer(Role.COMMANDER, ""));
        LiveClient steady = LiveClient.connect(server, "?layers=forces", null)) {
      assertThat(slow.next().getString("type")).isEqualTo("subscribed");
      assertThat(steady.next().getString("type")).isEqualTo("subscribed");
      // the slow client reads nothing while 8 x 600 KB are sent its way
      Map<Long, double[]> last = new HashMap<>();
      List<Long> seqs = new ArrayList<>();
      long t0 = System.nanoTime();
      for (int r = 1; r <= 8; r++) {
        seqs.add(moveMany(r, r * 250, 250, last));
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      assertThat(seconds).as("the writes took less than ws_stall_s").isLessThan(STALL_S);
      long newest = seqs.get(seqs.size() - 1);
      List<JsonObject> got = new ArrayList<>();
      JsonObject m;
      do {
        m = slow.next();
        assertThat(m).as("a message").isNotNull();
        assertThat(m.getString("type")).as("not closed").isNotEqualTo("close");
        got.add(m);
      } while (m.getLong("version", -1L) < newest);
      List<JsonObject> catchUps =
          got.stream().filter(x -> x.getBoolean("catch_up", false)).toList();
      assertThat(catchUps)
          .as("its queue filled: it lagged and was caught up from the log")
          .hasSize(1);
      // how many rounds fit before the queue fills depends on the kernel's loopback buffers, which
      // grow to several MB on a busy machine (7 of 8 seen in CI once): at least one before, and the
      // catch-up itself among the 8
      assertThat(got.indexOf(catchUps.get(0))).as("what it got before lagging").isBetween(1, 7);
      Map<Long, List<Double>> state = new HashMap<>();
      for (JsonObject x : got) {
        for (int i = 0; i < x.getJsonArray("features").size(); i++) {
          JsonObject f = x.getJsonArray("features").getJsonObject(i);
          state.put(f.getLong("id"), coordinates(f));
        }
      }
      last.forEach(
          (id, p) -> assertThat(state.get(id)).as("force " + id).containsExactly(p[0], p[1]));
      assertThat(steady.until(newest).stream().map(x -> x.getLong("version")).toList())
          .containsExactlyElementsOf(seqs);
    }
  }

  @Test
  void aSubscriberThatReadsNothingIsClosedAndItsConnectionEndsWhileAnotherReceivesEverything()
      throws Exception {
    try (LiveClient steady =
            LiveClient.connect(server, "?layers=forces", server.bearer(Role.COMMANDER, ""));
        RawLiveClient stalled =
            RawLiveClient.open(
                server.server().port(),
                "/live/ws?layers=forces",
                server.bearer(Role.COMMANDER, ""))) {
      assertThat(steady.next().getString("type")).isEqualTo("subscribed");
      // from here on the stalled client reads nothing, not even its subscribed message

      List<Long> seqs = new CopyOnWriteArrayList<>();
      AtomicBoolean writing = new AtomicBoolean(true);
      Thread writes =
          new Thread(
              () -> {
                Map<Long, double[]> last = new HashMap<>();
                try {
                  for (int r = 1; writing.get(); r++) {
                    // ten big writes (6 MB) fill the stalled client's queue; then small ones
                    seqs.add(moveMany(r, r * 250, r <= 10 ? 250 : 10, last));
                    if (r > 10) {
                      Thread.sleep(200);
                    }
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      writes.start();

      // The connection ends when the server resets it: a write then fails. Until then the probe
      // goes through.
      long started = System.nanoTime();
      boolean reset = false;
      while (!reset && System.nanoTime() - started < 60_000_000_000L) {
        Thread.sleep(250);
        try {
          stalled.pong();
        } catch (IOException e) {
          reset = true;
        }
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      assertThat(reset).as("the server ended the TCP connection within 60 s").isTrue();
      assertThat(seconds)
          .as("ws_stall_s after its queue filled, and the grace after the close frame")
          .isLessThan(STALL_S + LiveStream.CLOSE_GRACE.toSeconds() + 10);
      int after = seqs.size();
      while (seqs.size() < after + 3) {
        Thread.sleep(100); // a few writes after the reset, which the steady client gets
      }
      writing.set(false);
      writes.join(30_000);

      // reading now gets at most what sat in the client's small buffer, then the end: the server
      // dropped the rest of its queue rather than wait for a reader that never comes
      InputStream in = stalled.socket.getInputStream();
      long read = 0;
      boolean ended = false;
      byte[] buf = new byte[8192];
      try {
        for (int n; (n = in.read(buf)) >= 0; ) {
          read += n;
        }
        ended = true;
      } catch (SocketTimeoutException e) {
        ended = false;
      } catch (IOException e) {
        ended = true; // connection reset
      }
      assertThat(ended).as("the socket ends (EOF or reset) within 10 s").isTrue();
      assertThat(read)
          .as("bytes still readable after %.1f s: far less than the 6 MB sent its way", seconds)
          .isLessThan(1 << 20);

      long newest = seqs.get(seqs.size() - 1);
      List<JsonObject> got = steady.until(newest);
      assertThat(got.stream().map(m -> m.getLong("version")).toList())
          .as("the steady subscriber got every change, in order")
          .containsExactlyElementsOf(seqs);
      assertThat(got.subList(0, 10))
          .allSatisfy(m -> assertThat(m.getJsonArray("features")).hasSize(250));
      assertThat(steady.closeStatus).isEqualTo(-1);
    }
  }
}
