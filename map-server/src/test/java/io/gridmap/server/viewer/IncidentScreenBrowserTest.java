package io.gridmap.server.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridmap.layers.geo.GroundMeasure;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Feature;
import io.gridmap.server.security.Role;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.locationtech.jts.geom.Point;

/**
 * The incident screen in a real browser (issue #10, "the screen"): headless Chromium driven by
 * playwright-core ({@code tools/browser-test/incident-test.mjs}) against a server with a store, so
 * that incidents are reported and moved for real. Two commanders of one district sign in on two
 * pages of one browser and a public page watches with prefers-reduced-motion; a gateway raises a
 * wristband alarm, which must flash on both commanders' screens within 10 s at most three flashes a
 * second, never reach the public; the detail pane shows history, assignee and responders on the
 * map; dispatch and acknowledge go from the screen (acknowledge stops the flashing on that screen
 * only), a stale screen is shown the 412, and a close sent by another client stops the flashing
 * within 10 s. Each check the script makes is one test here; screenshots are in {@code
 * map-server/target/browser-test-incidents/}.
 *
 * <p>The alarm is raised by {@code raiseAlarm()} in the script (an HTTP report today); swapping it
 * for an MQTT publish to Mosquitto changes that one function.
 */
@Tag("slow")
class IncidentScreenBrowserTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DISTRICT = "500103"; // 渝中: dense, forces near every grid

  @TestFactory
  List<DynamicTest> incidentScreenInChromium() throws Exception {
    Path tools = BrowserTools.ready();
    Path out = Path.of("target", "browser-test-incidents").toAbsolutePath();
    Files.createDirectories(out);
    Files.deleteIfExists(out.resolve("report.json"));

    BrowserTools.Result run;
    // three pages fetch tiles at once from one address: no rate limit gets in the way
    // the alarm comes from a wristband through the real Mosquitto, on a session of its own
    String run8 = java.util.UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> settings =
        Map.of(
            "rate_limit_per_s",
            "100000",
            "rate_limit_burst",
            "100000",
            "mqtt_url",
            MQTT_URL,
            "mqtt_client_id",
            "gridmap-screen-" + run8,
            "mqtt_topic_prefix",
            "gridmap-screen/" + run8);
    try (TestServer server = TestServer.startWithStore(TestCity.small(), settings)) {
      awaitMqtt(server);
      Path config = out.resolve("config.json");
      Files.writeString(
          config, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config(server, out)));
      run = BrowserTools.run(tools, 480, "node", "incident-test.mjs", config.toString());
    }
    Path report = out.resolve("report.json");
    if (!Files.isRegularFile(report)) {
      throw new AssertionError(
          "the browser test wrote no report (exit " + run.exitCode() + "):\n" + run.output());
    }
    List<DynamicTest> tests = new ArrayList<>();
    JsonNode doc = JSON.readTree(report.toFile());
    for (JsonNode check : doc.get("checks")) {
      String name = check.get("name").asText();
      boolean ok = check.get("ok").asBoolean();
      String detail = check.get("detail").asText();
      tests.add(
          DynamicTest.dynamicTest(name, () -> assertThat(ok).as("%s: %s", name, detail).isTrue()));
    }
    tests.add(
        DynamicTest.dynamicTest(
            "the script made every check it has (none was skipped by an early failure)",
            () -> assertThat(doc.get("checks").size()).as("%s", run.output()).isGreaterThan(25)));
    tests.add(
        DynamicTest.dynamicTest(
            "the browser script exits 0",
            () ->
                assertThat(run.exitCode())
                    .as("node incident-test.mjs output:%n%s", run.output())
                    .isZero()));
    return tests;
  }

  static final String MQTT_URL =
      System.getenv().getOrDefault("GRIDMAP_TEST_MQTT_URL", "mqtt://127.0.0.1:1883");

  /**
   * Waits until the server's MQTT session is subscribed: a new session keeps nothing published
   * before; fails naming the broker when it never is.
   */
  private static void awaitMqtt(TestServer server) throws Exception {
    long end = System.currentTimeMillis() + 15_000;
    String admin = server.bearer(Role.ADMIN, "");
    while (System.currentTimeMillis() < end) {
      String m = server.getText("/metrics", "Authorization", admin).body();
      if (m.matches("(?s).*\\nmqtt_connected(\\{[^}]*\\})? 1(\\.0)?\\b.*")) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        "the server never subscribed at the MQTT broker "
            + MQTT_URL
            + ": this test needs Mosquitto (./mapserver test starts it)");
  }

  /** Tokens of the people and systems involved, the alarm's place and a public incident's. */
  private static ObjectNode config(TestServer server, Path out) {
    ObjectNode c = JSON.createObjectNode();
    c.put("base", server.baseUrl());
    c.put("out", out.toString());
    java.net.URI broker = java.net.URI.create(MQTT_URL);
    ObjectNode mqtt = c.putObject("mqtt");
    mqtt.put("host", broker.getHost());
    mqtt.put("port", broker.getPort() < 0 ? 1883 : broker.getPort());
    mqtt.put("prefix", server.server().config().mqtt().topicPrefix());
    ObjectNode tokens = c.putObject("tokens");
    tokens.put("commanderA", jwt(server.bearer("cmd-a", Role.COMMANDER, DISTRICT)));
    tokens.put("commanderB", jwt(server.bearer("cmd-b", Role.COMMANDER, DISTRICT)));
    tokens.put("ops", jwt(server.bearer("ops-desk", Role.COMMANDER, DISTRICT)));
    tokens.put("reporter", jwt(server.bearer("wristband-gateway", Role.REPORTER, DISTRICT)));

    int worker = Catalogue.GRIDS.fieldIndex("worker_id");
    int code = Catalogue.GRIDS.fieldIndex("code");
    List<Feature> grids =
        TestCity.small().layer("grids").features().stream()
            .filter(g -> g.value(worker) != null)
            .filter(g -> g.string(code).startsWith(DISTRICT))
            .toList();
    // the home with a wristband nearest 渝中's centre, so the screens centred on it draw a dense
    // map around it
    int devices = Catalogue.KEY_SITES.fieldIndex("devices");
    int siteGrid = Catalogue.KEY_SITES.fieldIndex("grid_code");
    Feature home =
        TestCity.small().layer("key_sites").features().stream()
            .filter(f -> f.value(devices) instanceof String d && d.contains("wb-"))
            .filter(f -> f.string(siteGrid).startsWith(DISTRICT))
            .filter(f -> grids.stream().anyMatch(g -> g.string(code).equals(f.string(siteGrid))))
            .min(Comparator.comparingDouble(f -> metres((Point) f.geometry(), 106.57, 29.555)))
            .orElseThrow(() -> new AssertionError("no home with a wristband in " + DISTRICT));
    Feature alarmGrid =
        grids.stream()
            .filter(g -> g.string(code).equals(home.string(siteGrid)))
            .findFirst()
            .orElseThrow();
    Point a = (Point) home.geometry();
    ObjectNode alarm = c.putObject("alarm");
    alarm.put("lon", a.getX());
    alarm.put("lat", a.getY());
    alarm.put("grid_code", alarmGrid.string(code));
    alarm.put("worker_id", (Long) alarmGrid.value(worker));
    alarm.put(
        "device",
        java.util.Arrays.stream(((String) home.value(devices)).split(" "))
            .filter(d -> d.startsWith("wb-"))
            .findFirst()
            .orElseThrow());
    // another grid 300 m to 1 km away: in the public screen's view, no duplicate of the alarm
    Feature other =
        grids.stream()
            .filter(g -> g != alarmGrid)
            .filter(
                g -> {
                  double m = metres(inside(g), a.getX(), a.getY());
                  return m > 300 && m < 1000;
                })
            .findFirst()
            .orElseThrow(() -> new AssertionError("no grid 300 m to 1 km from the alarm's"));
    Point p = inside(other);
    ObjectNode pub = c.putObject("public");
    pub.put("lon", p.getX());
    pub.put("lat", p.getY());
    return c;
  }

  private static String jwt(String bearer) {
    return bearer.substring("Bearer ".length());
  }

  private static Point inside(Feature grid) {
    return grid.geometry().getInteriorPoint();
  }

  private static double metres(Point p, double lon, double lat) {
    return GroundMeasure.metres(p.getX(), p.getY(), lon, lat);
  }
}
