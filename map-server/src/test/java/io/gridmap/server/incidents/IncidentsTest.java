package io.gridmap.server.incidents;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridmap.layers.geo.ChinaCoordinates;
import io.gridmap.layers.geo.GroundMeasure;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Feature;
import io.gridmap.server.security.Role;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Point;

/**
 * Incidents over HTTP on the generated small city: reported, routed, moved through the loop,
 * guarded by If-Match, kept from the public when they concern a person at home.
 */
class IncidentsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> SETTINGS =
      Map.of("rate_limit_per_s", "100000", "rate_limit_burst", "100000");
  private static TestServer server;

  /** Grids with a full-time worker, each handed to one test only. */
  private static Iterator<Feature> grids;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.startWithStore(TestCity.small(), SETTINGS);
    int worker = Catalogue.GRIDS.fieldIndex("worker_id");
    grids =
        TestCity.small().layer("grids").features().stream()
            .filter(g -> g.value(worker) != null)
            .filter(g -> g.id() / 1_000_000_000L == 500103L) // 渝中: dense, forces nearby
            .toList()
            .iterator();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static synchronized Feature grid() {
    return grids.next();
  }

  private static Point inside(Feature grid) {
    return grid.geometry().getInteriorPoint();
  }

  private static long workerOf(Feature grid) {
    return (Long) grid.value(Catalogue.GRIDS.fieldIndex("worker_id"));
  }

  private static String gridCode(Feature grid) {
    return grid.string(Catalogue.GRIDS.fieldIndex("code"));
  }

  static String report(double lon, double lat, String category, String urgency) {
    return "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":["
        + lon
        + ","
        + lat
        + "]},\"properties\":{\"category\":\""
        + category
        + "\",\"urgency\":\""
        + urgency
        + "\",\"description\":\"井盖松动\",\"reporter\":\"李四 13800000000\","
        + "\"photos\":[\"https://img.example/1.jpg\"]}}";
  }

  private static String commander(String scope) {
    return server.bearer(Role.COMMANDER, scope);
  }

  private static String workerToken(Feature grid) {
    return server.bearer(Long.toString(workerOf(grid)), Role.GRID_WORKER, gridCode(grid));
  }

  private static HttpResponse<String> post(String auth, String path, String body, String... more)
      throws Exception {
    List<String> h = new ArrayList<>(List.of("Content-Type", "application/geo+json"));
    if (auth != null) {
      h.add("Authorization");
      h.add(auth);
    }
    h.addAll(List.of(more));
    return server.send("POST", path, body, h.toArray(String[]::new));
  }

  private static HttpResponse<String> move(
      String auth, long id, String action, String etag, String extra) throws Exception {
    String body = "{\"action\":\"" + action + "\"" + (extra == null ? "" : "," + extra) + "}";
    return etag == null
        ? post(auth, "/collections/events/items/" + id + "/transitions", body)
        : post(auth, "/collections/events/items/" + id + "/transitions", body, "If-Match", etag);
  }

  @Test
  void aWorkersReportIsRoutedToTheGridItsWorkerAndTheStreetsCommandCentreAndIsAnItem()
      throws Exception {
    Feature g = grid();
    Point p = inside(g);
    HttpResponse<String> r =
        post(
            workerToken(g),
            "/collections/events/items",
            report(p.getX(), p.getY(), "manhole_cover", "normal"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode f = JSON.readTree(r.body());
    long id = f.get("id").asLong();
    assertThat(id).isGreaterThanOrEqualTo(Incidents.FIRST_ID);
    assertThat(r.headers().firstValue("Location").orElseThrow())
        .endsWith("/collections/events/items/" + id);
    assertThat(r.headers().firstValue("ETag")).contains("\"" + id + "-1\"");
    JsonNode props = f.get("properties");
    assertThat(props.get("status").asText()).isEqualTo("reported");
    assertThat(props.get("board").asText()).isEqualTo("safety_law");
    assertThat(props.get("source").asText()).isEqualTo("worker");
    assertThat(props.get("grid_code").asText()).isEqualTo(gridCode(g));
    assertThat(props.get("assignee_id").asLong()).isEqualTo(workerOf(g));
    assertThat(props.get("reporter").asText()).isEqualTo("李四 13800000000");
    JsonNode routing = f.get("routing");
    assertThat(routing.at("/grid/code").asText()).isEqualTo(gridCode(g));
    assertThat(routing.at("/village/code").asText()).isEqualTo(gridCode(g).substring(0, 12));
    assertThat(routing.at("/street/code").asText()).isEqualTo(gridCode(g).substring(0, 9));
    assertThat(routing.at("/district/code").asText()).isEqualTo("500103");
    assertThat(routing.at("/command_centre/street_code").asText())
        .isEqualTo(gridCode(g).substring(0, 9));
    assertThat(routing.at("/assignee/id").asLong()).isEqualTo(workerOf(g));
    assertThat(routing.get("responders")).as("a normal incident sends no one").isEmpty();

    HttpResponse<String> item = server.getText("/collections/events/items/" + id);
    assertThat(item.statusCode()).isEqualTo(200);
    assertThat(item.headers().firstValue("ETag")).contains("\"" + id + "-1\"");
    JsonNode pub = JSON.readTree(item.body()).get("properties");
    assertThat(pub.get("status").asText()).isEqualTo("reported");
    assertThat(pub.has("reporter")).as("the reporter is personal").isFalse();
  }

  @Test
  void anUrgentIncidentGetsTheNearestOnDutyForcesOfItsCategorysRolesWithDistances()
      throws Exception {
    Feature g = grid();
    Point p = inside(g);
    HttpResponse<String> r =
        post(
            commander("500103"),
            "/collections/events/items",
            report(p.getX(), p.getY(), "neighbour_dispute", "urgent"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode responders = JSON.readTree(r.body()).at("/routing/responders");
    assertThat(responders).isNotEmpty();
    List<String> roles = ResponderRoles.defaults().roles("neighbour_dispute");
    double last = -1;
    int role = Catalogue.FORCES.fieldIndex("role");
    int onDuty = Catalogue.FORCES.fieldIndex("on_duty");
    for (JsonNode n : responders) {
      Feature force =
          TestCity.small().layer("forces").features().stream()
              .filter(f -> f.id() == n.get("id").asLong())
              .findFirst()
              .orElseThrow();
      assertThat(roles).contains(force.string(role));
      assertThat(force.value(onDuty)).isEqualTo(true);
      Point at = (Point) force.geometry();
      double metres = GroundMeasure.metres(p.getX(), p.getY(), at.getX(), at.getY());
      assertThat(n.get("distance_m").asDouble())
          .isCloseTo(metres, org.assertj.core.data.Offset.offset(1.0));
      assertThat(metres).isGreaterThanOrEqualTo(last);
      last = metres;
    }
    // nobody of those roles on duty is nearer than the farthest sent
    long nearer =
        TestCity.small().layer("forces").features().stream()
            .filter(f -> roles.contains(f.string(role)) && Boolean.TRUE.equals(f.value(onDuty)))
            .filter(f -> !f.personal())
            .filter(
                f -> {
                  Point at = (Point) f.geometry();
                  return GroundMeasure.metres(p.getX(), p.getY(), at.getX(), at.getY())
                      < 0.999 * responders.get(responders.size() - 1).get("distance_m").asDouble();
                })
            .count();
    assertThat(nearer).isLessThan(responders.size());
  }

  @Test
  void aReportInGcj02IsStoredWhereItIsInWgs84() throws Exception {
    Feature g = grid();
    Point p = inside(g);
    ChinaCoordinates.LonLat mars =
        ChinaCoordinates.fromWgs84(ChinaCoordinates.Datum.GCJ02, p.getX(), p.getY());
    HttpResponse<String> r =
        post(
            workerToken(g),
            "/collections/events/items",
            report(mars.lon(), mars.lat(), "garbage_pileup", "normal"),
            "Content-Crs",
            "gcj02");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode c = JSON.readTree(r.body()).at("/geometry/coordinates");
    assertThat(GroundMeasure.metres(c.get(0).asDouble(), c.get(1).asDouble(), p.getX(), p.getY()))
        .as("the GCJ-02 offset (hundreds of metres) is taken off")
        .isLessThan(0.05);
    assertThat(GroundMeasure.metres(mars.lon(), mars.lat(), p.getX(), p.getY())).isGreaterThan(100);
    HttpResponse<String> bad =
        post(
            workerToken(g),
            "/collections/events/items",
            report(p.getX(), p.getY(), "garbage_pileup", "normal"),
            "Content-Crs",
            "EPSG:3857");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("Content-Crs").contains("gcj02");
  }

  @Test
  void aRetryWithTheSameIdempotencyKeyCreatesNothingNewAndADuplicateIsLinkedToTheFirst()
      throws Exception {
    Feature g = grid();
    Point p = inside(g);
    String auth = workerToken(g);
    String body = report(p.getX(), p.getY(), "water_leak", "normal");
    HttpResponse<String> first =
        post(auth, "/collections/events/items", body, "Idempotency-Key", "k-123");
    HttpResponse<String> again =
        post(auth, "/collections/events/items", body, "Idempotency-Key", "k-123");
    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(again.statusCode()).isEqualTo(200);
    long id = JSON.readTree(first.body()).get("id").asLong();
    assertThat(JSON.readTree(again.body()).get("id").asLong()).isEqualTo(id);

    HttpResponse<String> dup =
        post(
            auth,
            "/collections/events/items",
            report(p.getX() + 0.00005, p.getY(), "water_leak", "normal"));
    assertThat(dup.statusCode()).isEqualTo(201);
    JsonNode d = JSON.readTree(dup.body());
    assertThat(d.get("id").asLong()).isNotEqualTo(id);
    assertThat(d.at("/properties/duplicate_of").asLong()).isEqualTo(id);
    assertThat(d.at("/routing/duplicate_of").asLong()).isEqualTo(id);
  }

  @Test
  void theLoopRunsFromReportToCloseWithEveryStepInTheHistory() throws Exception {
    Feature g = grid();
    Point p = inside(g);
    String street = gridCode(g).substring(0, 9);
    HttpResponse<String> r =
        post(
            workerToken(g),
            "/collections/events/items",
            report(p.getX(), p.getY(), "road_damage", "normal"));
    long id = JSON.readTree(r.body()).get("id").asLong();
    String etag = r.headers().firstValue("ETag").orElseThrow();
    String[][] steps = {
      {"dispatch", "commander", "dispatched"},
      {"accept", "worker", "accepted"},
      {"arrive", "worker", "on_site"},
      {"resolve", "worker", "resolved"},
      {"verify", "commander", "verified"},
      {"close", "commander", "closed"}
    };
    for (String[] s : steps) {
      String auth = s[1].equals("worker") ? workerToken(g) : commander(street);
      HttpResponse<String> m = move(auth, id, s[0], etag, "\"note\":\"" + s[0] + " ok\"");
      assertThat(m.statusCode()).as(s[0] + ": " + m.body()).isEqualTo(200);
      assertThat(JSON.readTree(m.body()).at("/properties/status").asText()).isEqualTo(s[2]);
      String next = m.headers().firstValue("ETag").orElseThrow();
      assertThat(next).isNotEqualTo(etag);
      etag = next;
    }
    JsonNode closed = JSON.readTree(move(commander(street), id, "pin", null, null).body());
    assertThat(closed.get("status").asInt()).as("nothing to pin once closed").isEqualTo(409);

    JsonNode history =
        JSON.readTree(
            server
                .getText(
                    "/collections/events/items/" + id + "/transitions",
                    "Authorization",
                    commander(street))
                .body());
    List<String> actions = new ArrayList<>();
    history.get("transitions").forEach(t -> actions.add(t.path("action").asText()));
    assertThat(actions)
        .containsExactly("report", "dispatch", "accept", "arrive", "resolve", "verify", "close");
    JsonNode last = history.get("transitions").get(6);
    assertThat(last.get("status").asText()).isEqualTo("closed");
    assertThat(last.get("actor").asText()).isEqualTo("test-commander");
    assertThat(last.get("note").asText()).isEqualTo("close ok");
    JsonNode pub =
        JSON.readTree(server.getText("/collections/events/items/" + id + "/transitions").body());
    assertThat(pub.get("transitions").get(6).has("actor")).isFalse();
    JsonNode item = JSON.readTree(server.getText("/collections/events/items/" + id).body());
    assertThat(item.at("/properties/closed_at").isTextual()).isTrue();
  }

  @Test
  void twoCommandersDispatchingAtOnceOneWinsTheOtherGets412AndNothingChanges() throws Exception {
    Feature g = grid();
    Point p = inside(g);
    String street = gridCode(g).substring(0, 9);
    HttpResponse<String> r =
        post(
            workerToken(g),
            "/collections/events/items",
            report(p.getX(), p.getY(), "fire_hazard", "normal"));
    long id = JSON.readTree(r.body()).get("id").asLong();
    String etag = r.headers().firstValue("ETag").orElseThrow();
    for (int round = 0; round < 1; round++) {
      List<CompletableFuture<Integer>> both = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        both.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return move(commander(street), id, "dispatch", etag, null).statusCode();
                  } catch (Exception e) {
                    throw new RuntimeException(e);
                  }
                }));
      }
      List<Integer> codes = both.stream().map(CompletableFuture::join).sorted().toList();
      assertThat(codes).containsExactly(200, 412);
    }
    HttpResponse<String> item = server.getText("/collections/events/items/" + id);
    assertThat(item.headers().firstValue("ETag")).contains("\"" + id + "-2\"");
    HttpResponse<String> stale = move(commander(street), id, "pin", etag, null);
    assertThat(stale.statusCode()).isEqualTo(412);
    assertThat(stale.headers().firstValue("Content-Type")).contains("application/problem+json");
  }

  @Test
  void actionsOutsideTheLoopOrTheCallersStandingAreRefusedNamingWhy() throws Exception {
    Feature g = grid();
    Feature other = grid();
    Point p = inside(g);
    String street = gridCode(g).substring(0, 9);
    long id =
        JSON.readTree(
                post(
                        workerToken(g),
                        "/collections/events/items",
                        report(p.getX(), p.getY(), "noise_complaint", "normal"))
                    .body())
            .get("id")
            .asLong();
    HttpResponse<String> early = move(workerToken(g), id, "resolve", null, null);
    assertThat(early.statusCode()).isEqualTo(409);
    assertThat(early.body()).contains("reported").contains("dispatch");
    assertThat(move(commander(street), id, "dispatch", null, null).statusCode()).isEqualTo(200);
    HttpResponse<String> stranger = move(workerToken(other), id, "accept", null, null);
    assertThat(stranger.statusCode()).isEqualTo(403);
    HttpResponse<String> outside = move(commander("500105"), id, "accept", null, null);
    assertThat(outside.statusCode()).isEqualTo(403);
    HttpResponse<String> noDept = move(workerToken(g), id, "escalate", null, null);
    assertThat(noDept.statusCode()).isEqualTo(400);
    assertThat(noDept.body()).contains("department");
    HttpResponse<String> up =
        move(workerToken(g), id, "escalate", null, "\"department\":\"police\"");
    assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
    assertThat(
            move(server.bearer(Role.URBAN_MANAGEMENT, street), id, "accept", null, null)
                .statusCode())
        .isEqualTo(403);
    HttpResponse<String> police =
        move(server.bearer(Role.POLICE, street), id, "accept", null, null);
    assertThat(police.statusCode()).as(police.body()).isEqualTo(200);
    assertThat(JSON.readTree(police.body()).at("/properties/department").asText())
        .isEqualTo("police");
    HttpResponse<String> bad = move(commander(street), id, "teleport", null, null);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("action").contains("dispatch");
    HttpResponse<String> ghost = move(commander(street), 99, "dispatch", null, null);
    assertThat(ghost.statusCode()).isEqualTo(404);
  }

  @Test
  void anElderlyCareRequestIsPersonalAbsentForThePublicAndFirstInTheStaffPanel() throws Exception {
    Feature g = grid();
    Point p = inside(g);
    String street = gridCode(g).substring(0, 9);
    HttpResponse<String> normal =
        post(
            workerToken(g),
            "/collections/events/items",
            report(p.getX(), p.getY(), "street_light_out", "normal"));
    HttpResponse<String> care =
        post(
            workerToken(g),
            "/collections/events/items",
            report(p.getX(), p.getY(), "elderly_care_request", "normal"));
    assertThat(care.statusCode()).isEqualTo(201);
    long id = JSON.readTree(care.body()).get("id").asLong();
    assertThat(server.getText("/collections/events/items/" + id).statusCode()).isEqualTo(404);
    assertThat(
            server
                .getText("/collections/events/items/" + id, "Authorization", commander(street))
                .statusCode())
        .isEqualTo(200);
    assertThat(server.getText("/incidents/panel?unit=" + street).statusCode()).isEqualTo(401);
    JsonNode panel =
        JSON.readTree(
            server
                .getText("/incidents/panel?unit=" + gridCode(g), "Authorization", commander(street))
                .body());
    assertThat(panel.get("items").get(0).get("id").asLong()).isEqualTo(id);
    assertThat(panel.get("items").get(0).get("key_person").asBoolean()).isTrue();
    JsonNode analyst =
        JSON.readTree(
            server
                .getText("/incidents/panel?unit=" + gridCode(g), "Authorization", server.analyst())
                .body());
    List<Long> ids = new ArrayList<>();
    analyst.get("items").forEach(i -> ids.add(i.get("id").asLong()));
    assertThat(ids).doesNotContain(id).contains(JSON.readTree(normal.body()).get("id").asLong());
    // pinned goes before the key person; acknowledged only for who acknowledged
    long other = JSON.readTree(normal.body()).get("id").asLong();
    assertThat(move(commander(street), other, "pin", null, null).statusCode()).isEqualTo(200);
    assertThat(move(commander(street), id, "acknowledge", null, null).statusCode()).isEqualTo(200);
    panel =
        JSON.readTree(
            server
                .getText("/incidents/panel?unit=" + gridCode(g), "Authorization", commander(street))
                .body());
    assertThat(panel.get("items").get(0).get("id").asLong()).isEqualTo(other);
    assertThat(panel.get("items").get(1).get("acknowledged").asBoolean()).isTrue();
    JsonNode elsewhere =
        JSON.readTree(
            server
                .getText(
                    "/incidents/panel?unit=" + gridCode(g),
                    "Authorization",
                    server.bearer("centre-2", Role.COMMANDER, street))
                .body());
    assertThat(elsewhere.get("items").get(1).get("acknowledged").asBoolean())
        .as("acknowledged on one screen, still flashing on another")
        .isFalse();
  }

  @Test
  void badReportsAre4xxNamingTheMemberAndWriteNothing() throws Exception {
    Feature g = grid();
    Point p = inside(g);
    String auth = workerToken(g);
    Map<String, String[]> cases = new ConcurrentHashMap<>();
    cases.put(
        "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":["
            + p.getX()
            + ","
            + p.getY()
            + "]},\"properties\":{}}",
        new String[] {"400", "properties.category"});
    cases.put(
        report(p.getX(), p.getY(), "alien_landing", "normal"),
        new String[] {"400", "properties.category"});
    cases.put(
        report(p.getX(), p.getY(), "road_damage", "soon"),
        new String[] {"400", "properties.urgency"});
    cases.put(
        report(p.getX(), p.getY(), "road_damage", "normal")
            .replace("https://img.example/1.jpg", "javascript:alert(1)"),
        new String[] {"400", "properties.photos[0]"});
    cases.put(report(120.0, 30.0, "road_damage", "normal"), new String[] {"422", "no grid"});
    cases.put("[1,2]", new String[] {"400", "JSON object"});
    cases.put(
        report(p.getX(), p.getY(), "road_damage", "normal").replace("\"reporter\"", "\"secret\""),
        new String[] {"400", "properties.secret"});
    int before = eventsCount();
    for (Map.Entry<String, String[]> c : cases.entrySet()) {
      HttpResponse<String> r = post(auth, "/collections/events/items", c.getKey());
      assertThat(r.statusCode())
          .as(c.getKey() + " -> " + r.body())
          .isEqualTo(Integer.parseInt(c.getValue()[0]));
      assertThat(r.body()).contains(c.getValue()[1]);
      assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
    }
    HttpResponse<String> text =
        server.send(
            "POST",
            "/collections/events/items",
            "x",
            "Content-Type",
            "text/plain",
            "Authorization",
            auth);
    assertThat(text.statusCode()).isEqualTo(415);
    assertThat(eventsCount()).isEqualTo(before);
  }

  private static int eventsCount() throws Exception {
    return JSON.readTree(server.getText("/health", "Authorization", commander("")).body())
        .at("/dataset/counts/events")
        .asInt();
  }
}
