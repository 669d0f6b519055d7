package io.gridmap.server.incidents;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Feature;
import io.gridmap.server.security.Role;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Point;

/**
 * An urgent report goes out on the live stream to every staff subscriber of its street, with who
 * was sent; the public stream carries the incident without them, and never a personal one.
 */
class IncidentLiveTest {
  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server =
        TestServer.startWithStore(
            TestCity.small(), Map.of("rate_limit_per_s", "100000", "rate_limit_burst", "100000"));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static final class Client implements WebSocket.Listener {
    final BlockingQueue<JsonObject> messages = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();

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

    /**
     * The first of {@code ids} the stream tells of, or -1: the stream keeps the order of writes, so
     * an incident written before another and not told of before it never will be.
     */
    long firstOf(long... ids) throws InterruptedException {
      long end = System.currentTimeMillis() + 10_000;
      while (System.currentTimeMillis() < end) {
        JsonObject m = messages.poll(200, TimeUnit.MILLISECONDS);
        if (m != null && m.getJsonArray("features") != null) {
          for (Object f : m.getJsonArray("features")) {
            long seen = ((JsonObject) f).getLong("id");
            for (long id : ids) {
              if (seen == id) {
                return id;
              }
            }
          }
        }
      }
      return -1;
    }

    /** The next message about incident {@code id}, skipping others (positions, other tests). */
    JsonObject about(long id) throws InterruptedException {
      long end = System.currentTimeMillis() + 10_000;
      while (System.currentTimeMillis() < end) {
        JsonObject m = messages.poll(200, TimeUnit.MILLISECONDS);
        if (m != null && m.getJsonArray("features") != null) {
          for (Object f : m.getJsonArray("features")) {
            if (((JsonObject) f).getLong("id") == id) {
              return (JsonObject) f;
            }
          }
        }
      }
      return null;
    }
  }

  private static Client connect(String query, String authorization) throws Exception {
    Client c = new Client();
    WebSocket.Builder b = server.client().newWebSocketBuilder();
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    b.buildAsync(URI.create("ws://127.0.0.1:" + server.server().port() + "/live/ws" + query), c)
        .get(10, TimeUnit.SECONDS);
    return c;
  }

  private static long report(Point p, String category) throws Exception {
    HttpResponse<String> r =
        server.send(
            "POST",
            "/collections/events/items",
            IncidentsTest.report(p.getX(), p.getY(), category, "urgent"),
            "Content-Type",
            "application/geo+json",
            "Authorization",
            server.bearer(Role.ADMIN, ""));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return new JsonObject(r.body()).getLong("id");
  }

  @Test
  void theStreetsStaffReceiveAnUrgentIncidentWithItsRespondersAndThePublicWithoutThem()
      throws Exception {
    Feature grid =
        TestCity.small().layer("grids").features().stream()
            .filter(g -> g.id() / 1_000_000_000L == 500103L)
            .skip(3)
            .findFirst()
            .orElseThrow();
    String street = grid.string(Catalogue.GRIDS.fieldIndex("code")).substring(0, 9);
    Client staff = connect("?layers=events&unit=" + street, server.bearer(Role.COMMANDER, street));
    Client otherStreet =
        connect("?layers=events&unit=500105001", server.bearer(Role.COMMANDER, "500105001"));
    Client pub = connect("?layers=events&unit=" + street, null);
    Point p = grid.geometry().getInteriorPoint();

    long id = report(p, "neighbour_dispute");
    JsonObject seen = staff.about(id);
    assertThat(seen).as("the street's command centre hears of it").isNotNull();
    assertThat(seen.getJsonObject("properties").getString("status")).isEqualTo("reported");
    assertThat(seen.getJsonObject("properties").getString("responders"))
        .as("who was sent, force_id:metres")
        .matches("\\d+:\\d+( \\d+:\\d+)*");
    JsonObject outside = pub.about(id);
    assertThat(outside).isNotNull();
    assertThat(outside.getJsonObject("properties").containsKey("responders")).isFalse();
    Point there =
        TestCity.small().layer("grids").features().stream()
            .filter(g -> g.string(Catalogue.GRIDS.fieldIndex("code")).startsWith("500105001"))
            .findFirst()
            .orElseThrow()
            .geometry()
            .getInteriorPoint();
    long marker = report(there, "road_damage");
    assertThat(otherStreet.firstOf(id, marker))
        .as("another street's screen is not told, only of its own")
        .isEqualTo(marker);

    long care = report(p, "elderly_care_request");
    long after = report(p, "garbage_pileup");
    assertThat(staff.firstOf(care, after)).isEqualTo(care);
    assertThat(pub.firstOf(care, after)).as("a person at home: staff only").isEqualTo(after);
  }
}
