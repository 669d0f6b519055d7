package io.gridmap.server.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.edit.Change;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.testing.TestDatasets;
import io.gridmap.server.security.Principal;
import io.gridmap.server.security.Role;
import io.gridmap.server.testing.TestServer;
import io.gridmap.server.write.Writer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Point;

/** Live layers over a WebSocket: changes in the subscriber's area, in its visibility class. */
class LiveStreamTest {
  private static TestServer server;
  private static final Principal GATEWAY = new Principal("gateway", Role.ADMIN, "", "test");

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.startWithStore(TestDatasets.tiny(), Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  /** A WebSocket client that queues every text message it receives. */
  private static final class Client implements WebSocket.Listener {
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
  }

  private static Client connect(String query, String authorization) throws Exception {
    Client c = new Client();
    WebSocket.Builder b = server.client().newWebSocketBuilder();
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    c.socket =
        b.buildAsync(URI.create("ws://127.0.0.1:" + server.server().port() + "/live/ws" + query), c)
            .get(10, TimeUnit.SECONDS);
    assertThat(c.next().getString("type")).isEqualTo("subscribed");
    return c;
  }

  private static void move(long forceId, double lon, double lat) throws Exception {
    server
        .server()
        .writer()
        .submit(
            new Writer.Write(
                GATEWAY,
                "positions",
                "forces",
                current -> {
                  Feature f = current.layer("forces").byId(forceId).orElseThrow();
                  Point p = f.geometry().getFactory().createPoint(new Coordinate(lon, lat));
                  return Change.of(
                      "forces",
                      List.of(
                          new Change.Replacement(
                              f, new Feature(forceId, p, f.values(), f.personal()))));
                }))
        .get(10, TimeUnit.SECONDS);
  }

  private static JsonObject onlyFeature(JsonObject collection) {
    JsonArray features = collection.getJsonArray("features");
    assertThat(features).hasSize(1);
    return features.getJsonObject(0);
  }

  @Test
  void aCommanderSeesTheNameOfAMovedWorkerAndThePublicOnlyThePosition() throws Exception {
    Client commander = connect("?layers=forces", server.bearer(Role.COMMANDER, "500103"));
    Client anonymous = connect("?layers=forces", null);

    move(1, 106.013, 29.021);

    JsonObject staff = onlyFeature(commander.next());
    assertThat(staff.getLong("id")).isEqualTo(1L);
    assertThat(staff.getJsonObject("properties").getString("name")).isEqualTo("张伟");
    assertThat(staff.getJsonObject("geometry").getJsonArray("coordinates").getList())
        .containsExactly(106.013, 29.021);
    JsonObject pub = onlyFeature(anonymous.next());
    assertThat(pub.getLong("id")).isEqualTo(1L);
    assertThat(pub.getJsonObject("properties").fieldNames())
        .doesNotContain("name")
        .contains("role", "on_duty");
    commander.socket.abort();
    anonymous.socket.abort();
  }

  private static long write(String action, java.util.function.Function<Feature, Change> change)
      throws Exception {
    return server
        .server()
        .writer()
        .submit(
            new Writer.Write(
                GATEWAY,
                action,
                "forces",
                current -> change.apply(current.layer("forces").byId(1).orElseThrow())))
        .get(10, TimeUnit.SECONDS)
        .seq();
  }

  @Test
  void aRetiredForceIsSentAsItsIdMarkedRetiredLiveAndInACatchUp() throws Exception {
    String box = "bbox=106.15,29.08,106.155,29.085";
    Client live = connect("?layers=forces&" + box, server.bearer(Role.COMMANDER, ""));
    long id = 901;
    long added =
        write(
            "forces.add",
            one ->
                Change.of(
                    "forces",
                    List.of(
                        Change.Replacement.added(
                            new Feature(
                                id, TestDatasets.point(106.152, 29.082), one.values(), false)))));
    assertThat(onlyFeature(live.next()).getBoolean("in_area")).isTrue();
    write(
        "forces.retire",
        one ->
            Change.of(
                "forces",
                List.of(
                    Change.Replacement.retired(
                        server
                            .server()
                            .content()
                            .index()
                            .layer("forces")
                            .byId(id)
                            .orElseThrow()))));

    JsonObject gone = onlyFeature(live.next());
    assertThat(gone.getLong("id")).isEqualTo(id);
    assertThat(gone.getBoolean("in_area")).isFalse();
    assertThat(gone.getBoolean("retired")).isTrue();
    assertThat(gone.getValue("geometry")).isNull();
    live.socket.abort();

    Client back =
        connect("?layers=forces&" + box + "&since=" + added, server.bearer(Role.COMMANDER, ""));
    JsonObject caughtUp = back.next();
    assertThat(caughtUp.getBoolean("catch_up")).isTrue();
    JsonObject missed = onlyFeature(caughtUp);
    assertThat(missed.getLong("id")).isEqualTo(id);
    assertThat(missed.getBoolean("retired")).isTrue();
    back.socket.abort();
  }

  @Test
  void aSubscriberHearsOnlyOfChangesInItsAreaAndIsToldWhenAFeatureLeavesIt() throws Exception {
    // force 3 is at 106.16, 29.09; force 1 near 106.01, 29.02
    Client east = connect("?bbox=106.15,29.08,106.17,29.10", server.bearer(Role.COMMANDER, ""));

    move(1, 106.014, 29.022); // outside: nothing
    move(3, 106.161, 29.091); // inside
    JsonObject in = east.next();
    assertThat(in.getString("layer")).isEqualTo("forces");
    assertThat(onlyFeature(in).getLong("id")).isEqualTo(3L);
    assertThat(onlyFeature(in).getBoolean("in_area")).isTrue();

    move(3, 106.30, 29.30); // leaves
    JsonObject out = east.next();
    assertThat(onlyFeature(out).getLong("id")).isEqualTo(3L);
    assertThat(onlyFeature(out).getBoolean("in_area")).isFalse();
    assertThat(east.messages).isEmpty();
    east.socket.abort();
  }

  @Test
  void aUnitSubscriptionFollowsTheGridCodesUnderIt() throws Exception {
    Client village = connect("?unit=500103001001", server.bearer(Role.COMMANDER, "500103001"));
    move(3, 106.162, 29.092); // force 3 has no grid: not in the unit
    move(2, 106.031, 29.031); // force 2 serves grid 500103001001002
    assertThat(onlyFeature(village.next()).getLong("id")).isEqualTo(2L);
    village.socket.abort();
  }

  @Test
  void aGridEditReachesTheCommandCentresWhoseUnitItTouchesWhateverTheirLayers() throws Exception {
    Client street =
        connect("?layers=forces&unit=500103001", server.bearer(Role.COMMANDER, "500103001"));
    Client elsewhere = connect("?unit=500153", server.bearer(Role.COMMANDER, "500153"));
    long grid = 500103001001001L;
    long seq =
        server
            .server()
            .writer()
            .submit(
                new Writer.Write(
                    GATEWAY,
                    "grid.update",
                    "grids/" + grid,
                    current -> {
                      Feature f = current.layer("grids").byId(grid).orElseThrow();
                      Object[] v = f.values().clone();
                      v[1] = "改名的网格";
                      return Change.of(
                          "grids",
                          List.of(
                              new Change.Replacement(
                                  f, new Feature(grid, f.geometry(), v, f.personal()))));
                    }))
            .get(10, TimeUnit.SECONDS)
            .seq();
    JsonObject edit = street.next();
    assertThat(edit.getString("type")).isEqualTo("edit");
    assertThat(edit.getString("layer")).isEqualTo("grids");
    assertThat(edit.getLong("version")).isEqualTo(seq);
    assertThat(edit.getJsonArray("ids").getList()).containsExactly(grid);
    assertThat(edit.getJsonArray("bbox")).hasSize(4);
    assertThat(elsewhere.messages.poll(1, TimeUnit.SECONDS))
        .as("a command centre of another district hears nothing of the edit")
        .isNull();
    street.socket.abort();
    elsewhere.socket.abort();
  }

  private static String ticket(String authorization) throws Exception {
    HttpResponse<String> r =
        server.send("POST", "/live/tickets", "", "Authorization", authorization);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    return new JsonObject(r.body()).getString("ticket");
  }

  @Test
  void aBrowserWithATicketSubscribesAsItsRoleWithoutHeaders() throws Exception {
    String t = ticket(server.bearer(Role.COMMANDER, "500103"));
    Client page = connect("?layers=forces&ticket=" + t, null);
    move(1, 106.0125, 29.0205);
    assertThat(onlyFeature(page.next()).getJsonObject("properties").getString("name"))
        .as("the staff class, by ticket")
        .isEqualTo("张伟");
    page.socket.abort();
  }

  @Test
  void aTicketIsGoodOnceAndOnlyForTheLiveStream() throws Exception {
    String t = ticket(server.bearer(Role.COMMANDER, ""));
    assertThat(server.getText("/live/ws?ticket=" + t).statusCode())
        .as("first use: past the gate, told to upgrade")
        .isEqualTo(426);
    HttpResponse<String> again = server.getText("/live/ws?ticket=" + t);
    assertThat(again.statusCode()).isEqualTo(401);
    assertThat(again.body()).contains("ticket");
    assertThat(server.getText("/live/ws?ticket=lt_made_up").statusCode()).isEqualTo(401);
    String other = ticket(server.bearer(Role.COMMANDER, ""));
    assertThat(
            server
                .getText(
                    "/live/ws?ticket=" + other, "Authorization", server.bearer(Role.ANALYST, ""))
                .statusCode())
        .as("a ticket and credentials at once")
        .isEqualTo(401);
    // elsewhere a ticket is no credential: an admin-only endpoint stays closed
    String third = ticket(server.bearer(Role.ADMIN, ""));
    assertThat(server.getText("/admin/audit?ticket=" + third).statusCode()).isEqualTo(401);
    assertThat(server.send("POST", "/live/tickets", "").statusCode())
        .as("the public needs no ticket")
        .isEqualTo(401);
  }

  @Test
  void badSubscriptionsAreRefusedBeforeTheUpgrade() throws Exception {
    HttpResponse<String> r = server.getText("/live/ws?layers=grids");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(r.body()).contains("layers").contains("forces, events");
    assertThat(server.getText("/live/ws?unit=12").statusCode()).isEqualTo(400);
    assertThat(server.getText("/live/ws?bbox=1,2,3").statusCode()).isEqualTo(400);
    assertThat(server.getText("/live/ws?colour=red").statusCode()).isEqualTo(400);
    HttpResponse<String> plain = server.getText("/live/ws");
    assertThat(plain.statusCode()).isEqualTo(426);
    assertThat(plain.body()).contains("WebSocket");
  }
}
