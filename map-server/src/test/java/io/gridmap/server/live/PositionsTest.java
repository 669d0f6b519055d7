package io.gridmap.server.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridmap.layers.edit.FeatureVersion;
import io.gridmap.layers.geo.WebMercator;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.Stores;
import io.gridmap.server.security.Role;
import io.gridmap.server.testing.MvtFeatures;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import io.gridmap.tiler.geo.TileCoord;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Point;

/**
 * {@code POST /live/positions} end to end, on a server over a real GeoPackage: who may post what,
 * what readers see afterwards (items, tiles), what the audit log and the store's history keep, and
 * that bad batches are 4xx and write nothing.
 */
class PositionsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> SETTINGS =
      Map.of("rate_limit_per_s", "100000", "rate_limit_burst", "100000");
  private static final int ON_DUTY = Catalogue.FORCES.fieldIndex("on_duty");
  private static final int GRID_CODE = Catalogue.FORCES.fieldIndex("grid_code");
  private static TestServer server;

  /** Forces by district, each handed to one test only, so tests do not see each other's moves. */
  private static final Map<String, Iterator<Feature>> unused = new HashMap<>();

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.startWithStore(TestCity.small(), SETTINGS);
    for (String d : TestCity.SMALL_DISTRICTS) {
      unused.put(
          d,
          TestCity.small().layer("forces").features().stream()
              .filter(f -> f.string(GRID_CODE).startsWith(d))
              .iterator());
    }
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static Feature fresh(String district) {
    return unused.get(district).next();
  }

  private static Coordinate at(Feature f) {
    return ((Point) f.geometry()).getCoordinate();
  }

  static String position(long id, double lon, double lat, String properties) {
    return "{\"type\":\"Feature\",\"id\":"
        + id
        + ",\"geometry\":{\"type\":\"Point\",\"coordinates\":["
        + lon
        + ","
        + lat
        + "]}"
        + (properties == null ? "" : ",\"properties\":" + properties)
        + "}";
  }

  static String batch(List<String> features) {
    return "{\"type\":\"FeatureCollection\",\"features\":[" + String.join(",", features) + "]}";
  }

  static String batch(String... features) {
    return batch(List.of(features));
  }

  private static HttpResponse<String> post(String authorization, String body) throws Exception {
    return authorization == null
        ? server.send("POST", PositionRoutes.PATH, body, "Content-Type", "application/geo+json")
        : server.send(
            "POST",
            PositionRoutes.PATH,
            body,
            "Content-Type",
            "application/geo+json",
            "Authorization",
            authorization);
  }

  private static String worker(Feature f) {
    return server.bearer(Long.toString(f.id()), Role.GRID_WORKER, f.string(GRID_CODE));
  }

  private static String admin() {
    return server.bearer("root", Role.ADMIN, "");
  }

  /** The force as a commander of the whole city reads it. */
  private static JsonNode item(long id) throws Exception {
    var res =
        server.getText(
            "/collections/forces/items/" + id,
            "Authorization",
            server.bearer("watch", Role.COMMANDER, ""));
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return JSON.readTree(res.body());
  }

  private static double[] lonLat(JsonNode item) {
    JsonNode c = item.at("/geometry/coordinates");
    return new double[] {c.get(0).asDouble(), c.get(1).asDouble()};
  }

  private static List<JsonNode> audit(String actor) throws Exception {
    var res =
        server.getText(
            "/admin/audit?action=positions&limit=10000" + (actor == null ? "" : "&actor=" + actor),
            "Authorization",
            admin());
    assertThat(res.statusCode()).isEqualTo(200);
    List<JsonNode> out = new ArrayList<>();
    JSON.readTree(res.body()).get("entries").forEach(out::add);
    return out;
  }

  private static String tilePath(double lon, double lat) {
    TileCoord t = TileCoord.containing(WebMercator.x(lon), WebMercator.y(lat), 14);
    return "/tiles/cq/14/" + t.x() + "/" + t.y() + ".mvt";
  }

  /**
   * The forces of a z14 tile, id -> position in tile units (0..4096, y down), by an independent
   * decoder.
   */
  private static Map<Long, Coordinate> forcesInTile(String path, String... headers)
      throws Exception {
    String[] h = new String[headers.length + 2];
    h[0] = "Accept-Encoding";
    h[1] = "gzip";
    System.arraycopy(headers, 0, h, 2, headers.length);
    var res = server.get(path, h);
    assertThat(res.statusCode()).isIn(200, 204);
    Map<Long, Coordinate> out = new HashMap<>();
    if (res.body().length == 0) {
      return out;
    }
    out.putAll(MvtFeatures.of(res.body()).positions("forces"));
    return out;
  }

  /** Where a point falls in its z14 tile, in tile units (y down). */
  private static Coordinate tileUnits(double lon, double lat) {
    double x = WebMercator.x(lon);
    double y = WebMercator.y(lat);
    TileCoord t = TileCoord.containing(x, y, 14);
    double size = TileCoord.size(14);
    return new Coordinate((x - t.minX()) / size * 4096, (t.maxY() - y) / size * 4096);
  }

  private static void problem(HttpResponse<String> res, int status, String... detail)
      throws Exception {
    assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
    assertThat(res.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(JSON.readTree(res.body()).get("detail").asText()).contains(detail);
  }

  @Test
  void aGridWorkerMovesThemselfAndItemsAndTilesShowTheNewPlace() throws Exception {
    Feature me = fresh("500103");
    Coordinate from = at(me);
    Coordinate there = at(fresh("500105")); // another district: surely another z14 tile
    double lon = Math.round((there.x + 0.0001) * 1e7) / 1e7;
    double lat = Math.round((there.y + 0.0001) * 1e7) / 1e7;
    String oldTile = tilePath(from.x, from.y);
    String newTile = tilePath(lon, lat);
    assertThat(newTile).isNotEqualTo(oldTile);
    String staff = server.bearer("watch", Role.COMMANDER, "");
    // both classes of tiles cached before the move: the move must reach them, not a cold cache
    assertThat(forcesInTile(oldTile)).containsKey(me.id());
    assertThat(forcesInTile(oldTile, "Authorization", staff)).containsKey(me.id());
    assertThat(forcesInTile(newTile)).doesNotContainKey(me.id());
    assertThat(forcesInTile(newTile, "Authorization", staff)).doesNotContainKey(me.id());

    boolean duty = !(Boolean) me.value(ON_DUTY);
    Instant when = Instant.now().minusSeconds(5).truncatedTo(ChronoUnit.MILLIS);
    String time = OffsetDateTime.ofInstant(when, ZoneOffset.ofHours(8)).toString();
    var res =
        post(
            worker(me),
            batch(
                position(
                    me.id(), lon, lat, "{\"on_duty\":" + duty + ",\"time\":\"" + time + "\"}")));
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    JsonNode summary = JSON.readTree(res.body());
    assertThat(summary.get("accepted").asInt()).isEqualTo(1);
    assertThat(summary.get("ignored")).isEmpty();

    JsonNode item = item(me.id());
    assertThat(lonLat(item)[0]).isEqualTo(lon, offset(1e-9));
    assertThat(lonLat(item)[1]).isEqualTo(lat, offset(1e-9));
    assertThat(item.at("/properties/updated_at").asText()).isEqualTo(when.toString());
    assertThat(item.at("/properties/on_duty").asBoolean()).isEqualTo(duty);
    assertThat(item.at("/properties/grid_code").asText())
        .as("the rest of the force is kept")
        .isEqualTo(me.string(GRID_CODE));

    Coordinate expected = tileUnits(lon, lat);
    for (String[] who : new String[][] {{}, {"Authorization", staff}}) {
      Map<Long, Coordinate> now = forcesInTile(newTile, who);
      assertThat(now).as("the new place's tile").containsKey(me.id());
      assertThat(now.get(me.id()).x).isEqualTo(expected.x, offset(1.0));
      assertThat(now.get(me.id()).y).isEqualTo(expected.y, offset(1.0));
      assertThat(forcesInTile(oldTile, who)).as("the old place's tile").doesNotContainKey(me.id());
    }
  }

  @Test
  void aGridWorkerPostingAnotherForceIs403AndNothingIsWritten() throws Exception {
    Feature me = fresh("500103");
    Feature other = fresh("500103");
    JsonNode mine = item(me.id());
    JsonNode theirs = item(other.id());
    int entries = audit(null).size();
    var res =
        post(
            worker(me),
            batch(
                position(me.id(), at(me).x + 0.001, at(me).y, null),
                position(other.id(), at(me).x, at(me).y, null)));
    problem(res, 403, "features[1]", "force " + other.id(), "own position");
    assertThat(item(me.id()))
        .as("not even the worker's own position of the refused batch")
        .isEqualTo(mine);
    assertThat(item(other.id())).isEqualTo(theirs);
    assertThat(audit(null)).hasSize(entries);
  }

  @Test
  void aCommanderMovesForcesInTheirScopeOnly() throws Exception {
    Feature f = fresh("500103");
    JsonNode before = item(f.id());
    var outside =
        post(
            server.bearer("cc-jiangbei", Role.COMMANDER, "500105"),
            batch(position(f.id(), at(f).x + 0.001, at(f).y, null)));
    problem(outside, 403, "force " + f.id(), f.string(GRID_CODE), "outside the scope 500105");
    assertThat(item(f.id())).isEqualTo(before);

    var inside =
        post(
            server.bearer("cc-yuzhong", Role.COMMANDER, f.string(GRID_CODE).substring(0, 9)),
            batch(position(f.id(), at(f).x + 0.001, at(f).y, null)));
    assertThat(inside.statusCode()).as(inside.body()).isEqualTo(200);
    assertThat(lonLat(item(f.id()))[0]).isEqualTo(at(f).x + 0.001, offset(1e-7));
  }

  @Test
  void thePublicIs401AndRolesThatDoNotPostPositionsAre403() throws Exception {
    Feature f = fresh("500103");
    String body = batch(position(f.id(), at(f).x, at(f).y, null));
    var anonymous = post(null, body);
    problem(anonymous, 401, "needs credentials");
    assertThat(anonymous.headers().firstValue("WWW-Authenticate")).isPresent();
    for (Role r : List.of(Role.ANALYST, Role.PLANNER)) {
      problem(post(server.bearer(r, ""), body), 403, "role " + r.code());
    }
    var get = server.getText(PositionRoutes.PATH, "Authorization", admin());
    // issue 9: a method the resource does not answer is a 405 naming the one it does (was a 404)
    assertThat(get.statusCode()).as("only POST has a route").isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).hasValue("OPTIONS, POST");
  }

  @Test
  void malformedBatchesAre4xxProblemsAndWriteNothing() throws Exception {
    Feature good = fresh("500153");
    JsonNode before = item(good.id());
    int entries = audit(null).size();
    String ok = position(good.id(), at(good).x + 0.001, at(good).y, null);
    Map<String, String[]> cases = new java.util.LinkedHashMap<>();
    cases.put("not json", new String[] {"400", "not JSON"});
    cases.put(
        batch(
            ok,
            "{\"type\":\"Feature\",\"id\":1,\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[106,29],[106.1,29],[106,29.1],[106,29]]]}}"),
        new String[] {"400", "features[1].geometry", "Point"});
    cases.put(
        batch(ok).replace("[" + (at(good).x + 0.001), "[NaN"), new String[] {"400", "not JSON"});
    cases.put(
        batch(ok, position(good.id(), 1e300 * 10, 29.5, null).replace("Infinity", "1e999")),
        new String[] {"400", "features[1].geometry.coordinates", "outside the city"});
    cases.put(
        batch(ok, position(good.id(), 200, 29.5, null)),
        new String[] {
          "400", "features[1].geometry.coordinates='[200.0,29.5]'", "outside the city"
        });
    cases.put(
        batch(ok, position(good.id(), 0, 0, null)),
        new String[] {
          "400",
          "features[1].geometry.coordinates='[0.0,0.0]'",
          "within lon 105.240039..106.944531, lat 29.201953..29.738477"
        }); // the districts' box and 0.05°, as docs/live.md shows
    cases.put(
        batch(
            ok,
            "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[106.5,29.5]}}"),
        new String[] {"400", "features[1] has no force id"});
    cases.put(
        batch(ok, position(99, at(good).x, at(good).y, null)),
        new String[] {"400", "features[1].id=99", "not a known force"});
    cases.put(
        batch(
            ok,
            position(
                good.id(),
                at(good).x,
                at(good).y,
                "{\"time\":\"" + Instant.now().plusSeconds(3600) + "\"}")),
        new String[] {"400", "features[1].properties.time", "future"});
    List<String> many = new ArrayList<>();
    for (int i = 0; i <= PositionBatch.MAX_POSITIONS; i++) {
      many.add(ok);
    }
    cases.put(batch(many), new String[] {"413", "5001", "5000"});
    String big =
        batch(
            position(
                good.id(),
                at(good).x,
                at(good).y,
                "{\"pad\":\"" + "x".repeat(1100 * 1024) + "\"}"));
    cases.put(big, new String[] {"413", "max_body_kb=1024"});
    for (var c : cases.entrySet()) {
      String[] want = c.getValue();
      problem(
          post(admin(), c.getKey()),
          Integer.parseInt(want[0]),
          java.util.Arrays.copyOfRange(want, 1, want.length));
    }
    problem(
        server.send(
            "POST",
            PositionRoutes.PATH,
            batch(ok),
            "Content-Type",
            "text/plain",
            "Authorization",
            admin()),
        415,
        "Content-Type='text/plain'");
    problem(
        server.send(
            "POST",
            PositionRoutes.PATH,
            "",
            "Content-Type",
            "application/json",
            "Authorization",
            admin()),
        400,
        "empty");

    assertThat(item(good.id()))
        .as("the valid first position of each bad batch was not written")
        .isEqualTo(before);
    assertThat(audit(null)).hasSize(entries);
  }

  @Test
  void eachBatchIsOneAuditEntryWithTheActorTheRoleAndTheChanges() throws Exception {
    Feature a = fresh("500105");
    Feature b = fresh("500105");
    String actor = "cc-audit";
    var res =
        post(
            server.bearer(actor, Role.COMMANDER, "500105"),
            batch(
                position(
                    a.id(),
                    at(a).x + 0.001,
                    at(a).y,
                    "{\"on_duty\":" + !(Boolean) a.value(ON_DUTY) + "}"),
                position(b.id(), at(b).x, at(b).y + 0.001, null)));
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    List<JsonNode> entries = audit(actor);
    assertThat(entries).hasSize(1);
    JsonNode e = entries.get(0);
    assertThat(e.get("role").asText()).isEqualTo("commander");
    assertThat(e.get("scope").asText()).isEqualTo("500105");
    assertThat(e.get("target").asText()).isEqualTo("forces");
    assertThat(e.at("/changes/layer").asText()).isEqualTo("forces");
    JsonNode features = e.at("/changes/features");
    assertThat(features).hasSize(2);
    assertThat(features.get(0).get("id").asLong()).isEqualTo(a.id());
    assertThat(features.get(0).at("/position/0/0").asDouble()).isEqualTo(at(a).x);
    assertThat(features.get(0).at("/position/1/0").asDouble())
        .isEqualTo(at(a).x + 0.001, offset(1e-7));
    assertThat(features.get(0).at("/fields/on_duty/1").asBoolean())
        .isEqualTo(!(Boolean) a.value(ON_DUTY));
    assertThat(features.get(0).at("/fields/updated_at/1").asText()).isNotBlank();
    assertThat(features.get(1).get("id").asLong()).isEqualTo(b.id());
    assertThat(features.get(1).at("/fields").has("on_duty"))
        .as("absent on_duty keeps the flag")
        .isFalse();
  }

  @Test
  void positionsNotNewerThanTheForcesAreIgnoredAndSaidSo() throws Exception {
    Feature f = fresh("500153");
    JsonNode before = item(f.id());
    Instant known = Instant.parse(before.at("/properties/updated_at").asText());
    String gateway = server.bearer("gateway-rongchang", Role.ADMIN, "");
    var stale =
        post(
            gateway,
            batch(
                position(
                    f.id(),
                    at(f).x + 0.002,
                    at(f).y,
                    "{\"time\":\"" + known.minusSeconds(60) + "\"}")));
    assertThat(stale.statusCode()).as(stale.body()).isEqualTo(200);
    JsonNode s = JSON.readTree(stale.body());
    assertThat(s.get("accepted").asInt()).isZero();
    assertThat(s.at("/ignored/0/feature").asInt()).isZero();
    assertThat(s.at("/ignored/0/id").asLong()).isEqualTo(f.id());
    assertThat(s.at("/ignored/0/reason").asText()).contains("not newer", known.toString());
    assertThat(item(f.id())).isEqualTo(before);

    // a fresh batch goes in; the same batch again (a gateway's retry) changes nothing
    String body =
        batch(
            position(
                f.id(),
                at(f).x + 0.002,
                at(f).y,
                "{\"time\":\"" + Instant.now().minusSeconds(1) + "\"}"));
    assertThat(JSON.readTree(post(gateway, body).body()).get("accepted").asInt()).isEqualTo(1);
    JsonNode moved = item(f.id());
    var again = JSON.readTree(post(gateway, body).body());
    assertThat(again.get("accepted").asInt()).isZero();
    assertThat(again.get("ignored")).hasSize(1);
    assertThat(item(f.id())).isEqualTo(moved);
    // every batch is audited, those that moved nothing with no features (newest first)
    assertThat(audit("gateway-rongchang"))
        .extracting(e -> e.at("/changes/features").size())
        .containsExactly(0, 1, 0);
  }

  @Test
  void aThousandPositionsFromAnAdminGoThroughInOneBatch() throws Exception {
    List<Feature> forces = new ArrayList<>();
    for (String d : TestCity.SMALL_DISTRICTS) {
      for (int i = 0; i < 334 && forces.size() < 1000; i++) {
        forces.add(fresh(d));
      }
    }
    List<String> features = new ArrayList<>();
    for (Feature f : forces) {
      features.add(position(f.id(), at(f).x + 0.0003, at(f).y - 0.0003, "{\"on_duty\":true}"));
    }
    String body = batch(features);
    long start = System.nanoTime();
    var res = post(admin(), body);
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    assertThat(JSON.readTree(res.body()).get("accepted").asInt()).isEqualTo(1000);
    System.out.printf(
        "[positions] a batch of 1,000 positions (%d KB) answered in %d ms end to end (parse, plan, audit, store, swap)%n",
        body.length() / 1024, ms);
    for (Feature f : List.of(forces.get(0), forces.get(333), forces.get(999))) {
      JsonNode item = item(f.id());
      assertThat(lonLat(item)[0]).isEqualTo(at(f).x + 0.0003, offset(1e-7));
      assertThat(item.at("/properties/on_duty").asBoolean()).isTrue();
    }
    assertThat(audit("root").get(0).at("/changes/features")).hasSize(1000);
  }

  @Test
  void manyWorkersPostingAtOnceAreAllWritten() throws Exception {
    List<Feature> workers = new ArrayList<>();
    for (int i = 0; i < 48; i++) {
      workers.add(fresh(TestCity.SMALL_DISTRICTS.get(i % 3)));
    }
    List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
    long start = System.nanoTime();
    for (Feature w : workers) {
      HttpRequest req =
          HttpRequest.newBuilder(URI.create(server.baseUrl() + PositionRoutes.PATH))
              .header("Content-Type", "application/json")
              .header("Authorization", worker(w))
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      batch(position(w.id(), at(w).x - 0.0004, at(w).y, null))))
              .build();
      sent.add(server.client().sendAsync(req, HttpResponse.BodyHandlers.ofString()));
    }
    for (var s : sent) {
      HttpResponse<String> res = s.get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    }
    System.out.printf(
        "[positions] %d workers posting at once: all answered in %d ms%n",
        workers.size(), (System.nanoTime() - start) / 1_000_000);
    for (Feature w : workers) {
      assertThat(lonLat(item(w.id()))[0]).isEqualTo(at(w).x - 0.0004, offset(1e-7));
    }
  }

  /** Seeded mutations of a valid batch: every answer is 2xx or a 4xx problem, never a 5xx. */
  @Test
  void mutatedBatchesNeverGetA5xx() throws Exception {
    Feature a = fresh("500153");
    Feature b = fresh("500153");
    String valid =
        batch(
            position(
                a.id(),
                at(a).x,
                at(a).y,
                "{\"on_duty\":true,\"time\":\"" + Instant.now().minusSeconds(30) + "\"}"),
            position(b.id(), at(b).x, at(b).y, null));
    String alphabet = "{}[]\",:0123456789.-eE tfnulNaIy\\\u0000\u00e9";
    String[] splices = {
      "1e999",
      "-0",
      "99999999999999999999999",
      "null",
      "true",
      "\"\"",
      "[]",
      "{}",
      "\"Point\"",
      "\"LineString\"",
      "NaN",
      "\"2026-13-45T99:00:00Z\""
    };
    Random rng = new Random(20261124);
    Map<Integer, Integer> statuses = new java.util.TreeMap<>();
    for (int i = 0; i < 400; i++) {
      StringBuilder s = new StringBuilder(valid);
      int edits = 1 + rng.nextInt(3);
      for (int k = 0; k < edits && s.length() > 0; k++) {
        int p = rng.nextInt(s.length());
        switch (rng.nextInt(4)) {
          case 0 -> s.setCharAt(p, alphabet.charAt(rng.nextInt(alphabet.length())));
          case 1 -> s.deleteCharAt(p);
          case 2 -> s.insert(p, splices[rng.nextInt(splices.length)]);
          default -> s.setLength(p);
        }
      }
      var res = post(admin(), s.toString());
      statuses.merge(res.statusCode(), 1, Integer::sum);
      assertThat(res.statusCode()).as(s.toString()).isLessThan(500);
      if (res.statusCode() >= 400) {
        assertThat(res.headers().firstValue("Content-Type"))
            .as(s.toString())
            .hasValue("application/problem+json");
      }
    }
    System.out.printf("[positions] 400 mutated batches: statuses %s%n", statuses);
    assertThat(statuses)
        .as("mutations reach the parser and some still parse")
        .containsKeys(200, 400);
  }

  @Test
  void aPostedPositionReachesAWebSocketSubscriberOfItsArea() throws Exception {
    Feature me = fresh("500105");
    double lon = at(me).x + 0.0007;
    double lat = at(me).y + 0.0007;
    java.util.concurrent.BlockingQueue<String> messages =
        new java.util.concurrent.LinkedBlockingQueue<>();
    java.net.http.WebSocket.Listener listener =
        new io.gridmap.server.testing.WholeMessages(messages);
    String bbox = (lon - 0.001) + "," + (lat - 0.001) + "," + (lon + 0.001) + "," + (lat + 0.001);
    java.net.http.WebSocket ws =
        server
            .client()
            .newWebSocketBuilder()
            .header("Authorization", server.bearer("watch", Role.COMMANDER, ""))
            .buildAsync(
                URI.create(
                    "ws://127.0.0.1:"
                        + server.server().port()
                        + "/live/ws?layers=forces&bbox="
                        + bbox),
                listener)
            .get(10, java.util.concurrent.TimeUnit.SECONDS);
    try {
      assertThat(
              JSON.readTree(messages.poll(10, java.util.concurrent.TimeUnit.SECONDS))
                  .get("type")
                  .asText())
          .isEqualTo("subscribed");
      var res = post(worker(me), batch(position(me.id(), lon, lat, null)));
      assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
      JsonNode mine = null;
      for (String m;
          mine == null
              && (m = messages.poll(10, java.util.concurrent.TimeUnit.SECONDS)) != null; ) {
        for (JsonNode f : JSON.readTree(m).path("features")) {
          if (f.get("id").asLong() == me.id()) {
            mine = f;
          }
        }
      }
      assertThat(mine).as("the moved force within 10 s").isNotNull();
      assertThat(mine.at("/geometry/coordinates/0").asDouble()).isEqualTo(lon, offset(1e-7));
      assertThat(mine.at("/geometry/coordinates/1").asDouble()).isEqualTo(lat, offset(1e-7));
    } finally {
      ws.abort();
    }
  }

  @Test
  void aServerWithoutAStoreRefusesPositionsWith409() throws Exception {
    Feature f = TestCity.small().layer("forces").features().get(3);
    try (TestServer readOnly = TestServer.start(TestCity.small(), SETTINGS)) {
      var res =
          readOnly.send(
              "POST",
              PositionRoutes.PATH,
              batch(position(f.id(), at(f).x, at(f).y, null)),
              "Content-Type",
              "application/json",
              "Authorization",
              readOnly.bearer("root", Role.ADMIN, ""));
      problem(res, 409, "--store");
    }
  }

  @Test
  void aPositionSurvivesARestartAndTheStoreKeepsBothVersions() throws Exception {
    Feature f = TestCity.small().layer("forces").features().get(7);
    double lon = Math.round((at(f).x + 0.0005) * 1e7) / 1e7;
    double lat = Math.round((at(f).y + 0.0005) * 1e7) / 1e7;
    Path file;
    try (TestServer first = TestServer.startWithStore(TestCity.small(), SETTINGS)) {
      file = first.storeFile();
      var res =
          first.send(
              "POST",
              PositionRoutes.PATH,
              batch(position(f.id(), lon, lat, null)),
              "Content-Type",
              "application/json",
              "Authorization",
              first.bearer(Long.toString(f.id()), Role.GRID_WORKER, f.string(GRID_CODE)));
      assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    }
    try (TestServer second = TestServer.startOnStore(file, SETTINGS)) {
      var res =
          second.getText(
              "/collections/forces/items/" + f.id(),
              "Authorization",
              second.bearer(Role.COMMANDER, ""));
      assertThat(lonLat(JSON.readTree(res.body()))).containsExactly(lon, lat);
    }
    try (FeatureStore store = Stores.open(file.toString())) {
      List<FeatureVersion> history = store.history("forces", f.id());
      assertThat(history).extracting(FeatureVersion::version).containsExactly(1, 2);
      assertThat(at(history.get(0).feature()).x).isEqualTo(at(f).x);
      assertThat(at(history.get(1).feature()).x).isEqualTo(lon);
      assertThat(history.get(1).provenance().actor()).isEqualTo(Long.toString(f.id()));
      assertThat(history.get(1).provenance().action()).isEqualTo("positions");
    }
  }
}
