package io.gridmap.server.edit;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.edit.Change;
import io.gridmap.layers.edit.FeatureVersion;
import io.gridmap.layers.geo.WebMercator;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.index.GeneralisedIndex;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Feature;
import io.gridmap.server.security.Principal;
import io.gridmap.server.security.Role;
import io.gridmap.server.testing.MvtFeatures;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import io.gridmap.server.write.Writer;
import io.gridmap.tiler.geo.TileCoord;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.WebSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;

/**
 * A grid retired and another with the same outline and a new code added in one write (what a split
 * or merge will do), through the writer of a real server on a GeoPackage store: items, locate, the
 * z14 tile, the history, the audit entry and the live stream all follow.
 */
class GridRetireTest {
  private static final Principal PLANNER =
      new Principal("planner-500103", Role.PLANNER, "500103", "test");

  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.startWithStore(TestCity.small(), Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  /** A WebSocket client that queues every text message it receives. */
  static final class Client implements WebSocket.Listener {
    final BlockingQueue<JsonObject> messages = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    WebSocket socket;

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        messages.add(new JsonObject(partial.toString()));
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    JsonObject next() throws InterruptedException {
      JsonObject m = messages.poll(10, TimeUnit.SECONDS);
      assertThat(m).as("a message within 10 s").isNotNull();
      return m;
    }

    static Client connect(TestServer server, String query, String authorization) throws Exception {
      Client c = new Client();
      c.socket =
          server
              .client()
              .newWebSocketBuilder()
              .header("Authorization", authorization)
              .buildAsync(
                  URI.create("ws://127.0.0.1:" + server.server().port() + "/live/ws" + query), c)
              .get(10, TimeUnit.SECONDS);
      assertThat(c.next().getString("type")).isEqualTo("subscribed");
      return c;
    }
  }

  /** The first grid of district 500103, in id order. */
  static Feature firstGrid(TestServer node) {
    return node.server().content().index().layer("grids").features().stream()
        .filter(f -> Long.toString(f.id()).startsWith("500103"))
        .min((a, b) -> Long.compare(a.id(), b.id()))
        .orElseThrow();
  }

  /** A code of the grid's village that no grid has. */
  static long freeCode(LayerIndex grids, Feature grid) {
    for (long id = grid.id() / 1000 * 1000 + 999; ; id--) {
      if (grids.byId(id).isEmpty()) {
        return id;
      }
    }
  }

  /**
   * Retires {@code old} and adds {@code successorId} with its outline, attributes and every zoom's
   * generalised polygon: one change, planned against the index current when it is written.
   */
  static Writer.Write retireAndReplace(long old, long successorId) {
    return new Writer.Write(
        PLANNER,
        "grids.retire",
        "grids/" + old + "," + successorId,
        current -> {
          Feature grid = current.layer("grids").byId(old).orElseThrow();
          Object[] v = grid.values().clone();
          v[current.layer("grids").def().requireField("code")] = Long.toString(successorId);
          Feature successor = new Feature(successorId, grid.geometry(), v, grid.personal());
          Map<Integer, Map<Long, Geometry>> generalised = new HashMap<>();
          for (int z = 0; z <= 30; z++) {
            GeneralisedIndex gi = current.generalised("grids", z).orElse(null);
            if (gi != null && !gi.fallback() && gi.ordinalOf(old) >= 0) {
              generalised.put(z, Map.of(successorId, gi.geometry(gi.ordinalOf(old))));
            }
          }
          return new Change(
              "grids",
              List.of(Change.Replacement.retired(grid), Change.Replacement.added(successor)),
              generalised);
        });
  }

  static long locate(TestServer node, Coordinate c) throws Exception {
    var res = node.getText(String.format(Locale.ROOT, "/query/locate?lon=%.7f&lat=%.7f", c.x, c.y));
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return new JsonObject(res.body()).getJsonObject("grid").getLong("id");
  }

  static MvtFeatures tile(TestServer node, Coordinate c, int z) throws Exception {
    TileCoord t = TileCoord.containing(WebMercator.x(c.x), WebMercator.y(c.y), z);
    var res =
        node.get(
            "/tiles/cq/" + t.z() + "/" + t.x() + "/" + t.y() + ".mvt", "Accept-Encoding", "gzip");
    assertThat(res.statusCode()).isEqualTo(200);
    return MvtFeatures.of(res.body());
  }

  @Test
  void aGridRetiredAndReplacedUnderANewCodeIsGoneEverywhereAndTheNewOneAnswers() throws Exception {
    Feature old = firstGrid(server);
    long successor = freeCode(server.server().content().index().layer("grids"), old);
    Coordinate inside = old.geometry().getInteriorPoint().getCoordinate();
    assertThat(locate(server, inside)).isEqualTo(old.id());
    assertThat(tile(server, inside, 14).ids("grids"))
        .as("cached before the change")
        .contains(old.id());
    String street = Long.toString(old.id()).substring(0, 9);
    Client live =
        Client.connect(
            server, "?layers=forces&unit=" + street, server.bearer(Role.COMMANDER, street));

    Writer.Written written =
        server
            .server()
            .writer()
            .submit(retireAndReplace(old.id(), successor))
            .get(10, TimeUnit.SECONDS);

    assertThat(server.getText("/collections/grids/items/" + old.id()).statusCode()).isEqualTo(404);
    assertThat(server.getText("/collections/grids/items/" + successor).statusCode()).isEqualTo(200);
    assertThat(locate(server, inside)).isEqualTo(successor);
    MvtFeatures z14 = tile(server, inside, 14);
    assertThat(z14.ids("grids")).doesNotContain(old.id()).contains(successor);

    JsonObject edit = live.next();
    assertThat(edit.getString("type")).isEqualTo("edit");
    assertThat(edit.getLong("version")).isEqualTo(written.seq());
    assertThat(edit.getJsonArray("ids").getList()).containsExactlyInAnyOrder(old.id(), successor);
    live.socket.abort();

    List<FeatureVersion> history =
        server.server().content().store().orElseThrow().history("grids", old.id());
    assertThat(history.get(history.size() - 1).retired()).isTrue();
    assertThat(history.get(history.size() - 1).seq()).isEqualTo(written.seq());
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> audited =
        (List<Map<String, Object>>) written.audited().get("features");
    assertThat(audited.get(0)).containsEntry("id", old.id()).containsEntry("retired", true);
    assertThat(audited.get(1)).containsEntry("id", successor).containsEntry("added", true);
    var versions = server.getText("/history/grids/" + old.id(), "Authorization", server.analyst());
    assertThat(versions.statusCode()).as(versions.body()).isEqualTo(200);
    assertThat(versions.body()).contains("\"retired\":true");

    CityIndex index = server.server().content().index();
    for (int z = 12; z <= 14; z++) {
      assertThat(index.generalised("grids", z).orElseThrow().ordinalOf(old.id()))
          .as("z%d", z)
          .isLessThan(0);
    }
  }
}
