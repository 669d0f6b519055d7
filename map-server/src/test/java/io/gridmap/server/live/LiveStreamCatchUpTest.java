package io.gridmap.server.live;

import static io.gridmap.server.live.LiveClient.ids;
import static io.gridmap.server.live.LiveClient.move;
import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.testing.TestDatasets;
import io.gridmap.server.security.Role;
import io.gridmap.server.testing.TestServer;
import io.gridmap.server.write.Writer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A client that reconnects with {@code ?since=} gets what it missed, from the store's change log,
 * then the live messages, with nothing missing and nothing twice between them; across a restart of
 * the server; and is told to reload when the log no longer holds its position.
 */
class LiveStreamCatchUpTest {

  private static double[] at(double lon, double lat) {
    return new double[] {lon, lat};
  }

  private static List<Double> coordinates(JsonObject feature) {
    return feature.getJsonObject("geometry").getJsonArray("coordinates").getList().stream()
        .map(n -> ((Number) n).doubleValue())
        .toList();
  }

  @Test
  void aClientReconnectingAfterARestartGetsWhatItMissedAndVersionsGoOn() throws Exception {
    long s1;
    long s3;
    Path store;
    try (TestServer first = TestServer.startWithStore(TestDatasets.tiny(), Map.of())) {
      s1 = move(first, Map.of(1L, at(106.0131, 29.0211)));
      move(first, Map.of(3L, at(106.1611, 29.0911)));
      s3 = move(first, Map.of(1L, at(106.0132, 29.0212)));
      store = first.storeFile();
    }
    try (TestServer second = TestServer.startOnStore(store, Map.of());
        LiveClient c =
            LiveClient.connect(second, "?since=" + s1, second.bearer(Role.COMMANDER, "500103"));
        LiveClient east =
            LiveClient.connect(
                second, "?layers=forces&bbox=106.15,29.08,106.17,29.10&since=" + s1, null)) {
      JsonObject hello = c.next();
      assertThat(hello.getString("type")).isEqualTo("subscribed");
      assertThat(hello.getLong("version"))
          .as("the position survives the restart: the store's newest")
          .isEqualTo(s3);
      assertThat(hello.getLong("since")).isEqualTo(s1);

      JsonObject forces = c.next();
      assertThat(forces.getBoolean("catch_up")).isTrue();
      assertThat(forces.getString("layer")).isEqualTo("forces");
      assertThat(forces.getLong("version")).isEqualTo(s3);
      assertThat(forces.getLong("since")).isEqualTo(s1);
      assertThat(ids(forces))
          .as("in the order of their first change after since")
          .containsExactly(3L, 1L);
      JsonObject one = forces.getJsonArray("features").getJsonObject(1);
      assertThat(coordinates(one)).as("the current version").containsExactly(106.0132, 29.0212);
      assertThat(one.getBoolean("in_area")).isTrue();
      assertThat(one.getJsonObject("properties").getString("name")).isEqualTo("张伟");
      JsonObject events = c.next();
      assertThat(events.getBoolean("catch_up")).isTrue();
      assertThat(events.getString("layer")).isEqualTo("events");
      assertThat(events.getJsonArray("features")).isEmpty();

      // the public, east of the city: force 3 is in its box, force 1 outside comes as its id alone
      assertThat(east.next().getString("type")).isEqualTo("subscribed");
      JsonObject eastForces = east.next();
      assertThat(ids(eastForces)).containsExactly(3L, 1L);
      JsonObject three = eastForces.getJsonArray("features").getJsonObject(0);
      assertThat(three.getBoolean("in_area")).isTrue();
      assertThat(three.getJsonObject("properties").fieldNames()).doesNotContain("name");
      JsonObject outside = eastForces.getJsonArray("features").getJsonObject(1);
      assertThat(outside.getBoolean("in_area")).isFalse();
      assertThat(outside.getValue("geometry")).isNull();
      assertThat(outside.getValue("properties")).isNull();

      long s4 = move(second, Map.of(2L, at(106.0301, 29.0301)));
      assertThat(s4).as("the log goes on from where it was, not from 1").isEqualTo(s3 + 1);
      JsonObject live = c.next();
      assertThat(live.getLong("version")).isEqualTo(s4);
      assertThat(live.containsKey("catch_up")).isFalse();
      assertThat(ids(live)).containsExactly(2L);
      assertThat(c.messages).isEmpty();
    }
  }

  @Test
  void aClientBehindWhatTheLogKeepsIsToldToReloadAndKeepsStreaming() throws Exception {
    long s1;
    long s2;
    long s3;
    Path store;
    try (TestServer first = TestServer.startWithStore(TestDatasets.tiny(), Map.of())) {
      s1 = move(first, Map.of(1L, at(106.0133, 29.0213)));
      s2 = move(first, Map.of(2L, at(106.0302, 29.0302)));
      s3 = move(first, Map.of(3L, at(106.1612, 29.0912)));
      store = first.storeFile();
    }
    // What retention does once the log holds LOG_RETENTION changes (GeoPackageEditor deletes the
    // oldest rows in the transaction of a change); a million changes are too many to make here.
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + store);
        PreparedStatement ps = db.prepareStatement("DELETE FROM change_log WHERE seq <= ?")) {
      ps.setLong(1, s2);
      ps.executeUpdate();
    }
    try (TestServer second = TestServer.startOnStore(store, Map.of());
        LiveClient behind = LiveClient.connect(second, "?layers=forces&since=" + s1, null);
        LiveClient justInTime = LiveClient.connect(second, "?layers=forces&since=" + s2, null)) {
      assertThat(behind.next().getString("type")).isEqualTo("subscribed");
      JsonObject reload = behind.next();
      assertThat(reload.getString("type")).isEqualTo("reload");
      assertThat(reload.getLong("version")).isEqualTo(s3);
      assertThat(reload.getLong("since")).isEqualTo(s1);
      assertThat(reload.getString("reason"))
          .contains("since=" + s1, "older than the change log keeps", "reload");

      assertThat(justInTime.next().getString("type")).isEqualTo("subscribed");
      JsonObject caughtUp = justInTime.next();
      assertThat(caughtUp.getBoolean("catch_up"))
          .as("the oldest position it still serves")
          .isTrue();
      assertThat(ids(caughtUp)).containsExactly(3L);

      long s4 = move(second, Map.of(1L, at(106.0134, 29.0214)));
      assertThat(behind.next().getLong("version")).as("live after the reload").isEqualTo(s4);
      assertThat(justInTime.next().getLong("version")).isEqualTo(s4);
    }
  }

  @Test
  void malformedOrFutureSinceIsRefusedBeforeTheUpgrade() throws Exception {
    try (TestServer server = TestServer.startWithStore(TestDatasets.tiny(), Map.of())) {
      for (String bad : new String[] {"abc", "-1", "1.5", "", "1e3"}) {
        HttpResponse<String> r = server.getText("/live/ws?since=" + bad);
        assertThat(r.statusCode()).as("since=" + bad).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(r.body()).contains("since=").contains("version of the last message");
      }
      assertThat(server.getText("/live/ws?since=1&since=2").statusCode()).isEqualTo(400);
      long newest = move(server, Map.of(1L, at(106.0135, 29.0215)));
      HttpResponse<String> future = server.getText("/live/ws?since=" + (newest + 1));
      assertThat(future.statusCode()).isEqualTo(400);
      assertThat(future.body()).contains("the newest is " + newest).contains("future");
      assertThat(server.getText("/live/ws?since=" + newest).statusCode())
          .as("the newest itself is fine: past the checks, told to upgrade")
          .isEqualTo(426);
    }
  }

  /**
   * Clients reconnect with the version of the last message a reference client got while three
   * forces move continuously (writes grouped and not): after its catch-up each gets exactly the
   * reference's messages newer than the catch-up, and catch-up plus live give the final positions.
   */
  @Test
  void catchUpAndLiveMeetWithoutAGapOrARepeatWhileWritesGoOn() throws Exception {
    try (TestServer server = TestServer.startWithStore(TestDatasets.tiny(), Map.of());
        LiveClient reference = LiveClient.connect(server, "?layers=forces", null)) {
      assertThat(reference.next().getString("type")).isEqualTo("subscribed");
      List<Writer.Written> written = new CopyOnWriteArrayList<>();
      Map<Long, double[]> last = new HashMap<>();
      Thread writes =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < 120; i++) {
                    List<CompletableFuture<Writer.Written>> round = new ArrayList<>();
                    for (long id = 1; id <= 3; id++) {
                      double[] p = at(106.02 + id * 0.01 + i * 1e-5, 29.02 + i * 1e-5);
                      last.put(id, p);
                      round.add(LiveClient.submit(server, Map.of(id, p)));
                    }
                    for (CompletableFuture<Writer.Written> f : round) {
                      written.add(f.get(30, TimeUnit.SECONDS));
                    }
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      writes.start();
      List<JsonObject> seen = new ArrayList<>();
      List<LiveClient> reconnected = new ArrayList<>();
      List<Long> sinces = new ArrayList<>();
      while (reconnected.size() < 6) {
        seen.add(reference.next());
        if (seen.size() % 10 == 0) {
          // half of them from the newest version seen, half from an older one
          long since =
              seen.get(reconnected.size() % 2 == 0 ? seen.size() - 1 : seen.size() / 2)
                  .getLong("version");
          sinces.add(since);
          reconnected.add(LiveClient.connect(server, "?layers=forces&since=" + since, null));
        }
      }
      writes.join(60_000);
      assertThat(written).hasSize(360);
      long newest = written.stream().mapToLong(Writer.Written::seq).max().orElseThrow();
      seen.addAll(reference.until(newest));
      Map<Long, JsonObject> byVersion = new HashMap<>();
      seen.forEach(m -> byVersion.put(m.getLong("version"), m));

      for (int k = 0; k < reconnected.size(); k++) {
        LiveClient c = reconnected.get(k);
        long since = sinces.get(k);
        JsonObject hello = c.next();
        assertThat(hello.getString("type")).isEqualTo("subscribed");
        JsonObject catchUp = c.next();
        assertThat(catchUp.getBoolean("catch_up")).isTrue();
        long v = catchUp.getLong("version");
        assertThat(v).isEqualTo(hello.getLong("version")).isGreaterThanOrEqualTo(since);
        // every force written after since and up to the catch-up's version is in it
        List<Long> expected =
            written.stream()
                .filter(w -> w.seq() > since && w.seq() <= v)
                .map(w -> w.change().replacements().get(0).id())
                .distinct()
                .toList();
        assertThat(ids(catchUp)).containsAll(expected);

        List<JsonObject> live = c.until(newest);
        List<Long> versions = live.stream().map(m -> m.getLong("version")).toList();
        List<Long> referenceAfter =
            seen.stream().map(m -> m.getLong("version")).filter(x -> x > v).toList();
        assertThat(versions)
            .as(
                "client %d (since %d, caught up to %d): the reference's messages after it",
                k, since, v)
            .isEqualTo(referenceAfter);
        for (JsonObject m : live) {
          assertThat(m).isEqualTo(byVersion.get(m.getLong("version")));
        }

        Map<Long, List<Double>> state = new HashMap<>();
        List<JsonObject> all = new ArrayList<>(List.of(catchUp));
        all.addAll(live);
        for (JsonObject m : all) {
          JsonArray fs = m.getJsonArray("features");
          for (int i = 0; i < fs.size(); i++) {
            state.put(fs.getJsonObject(i).getLong("id"), coordinates(fs.getJsonObject(i)));
          }
        }
        for (long id = 1; id <= 3; id++) {
          assertThat(state.get(id))
              .as("force %d on client %d", id, k)
              .containsExactly(last.get(id)[0], last.get(id)[1]);
        }
        assertThat(c.messages.poll(200, TimeUnit.MILLISECONDS)).isNull();
        c.close();
      }
    }
  }
}
