package io.gridmap.server.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Feature;
import io.gridmap.server.live.PositionRoutes;
import io.gridmap.server.security.Role;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.locationtech.jts.geom.Point;

/**
 * The track replay in headless Chromium ({@code tools/browser-test/track-test.mjs}): a force's
 * positions are posted, a commander signs in, opens the force's track from its popup, and the time
 * slider moves the marker along the fixes. Each check of the script is one test here.
 */
@Tag("slow")
class TrackReplayBrowserTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int GRID_CODE = Catalogue.FORCES.fieldIndex("grid_code");

  @TestFactory
  List<DynamicTest> theSliderMovesTheMarkerAlongTheTrack() throws Exception {
    Path tools = BrowserTools.ready();
    Path out = Path.of("target", "browser-test", "track").toAbsolutePath();
    Files.createDirectories(out);
    Files.deleteIfExists(out.resolve("report.json"));
    BrowserTools.Result run;
    try (TestServer server =
        TestServer.startWithStore(
            TestCity.small(), Map.of("rate_limit_per_s", "100000", "rate_limit_burst", "100000"))) {
      Feature force =
          TestCity.small().layer("forces").features().stream()
              .filter(f -> f.value(GRID_CODE) instanceof String g && g.startsWith("500103"))
              .findFirst()
              .orElseThrow();
      String commander = server.bearer("cc-500103", Role.COMMANDER, "500103");
      Point at = (Point) force.geometry();
      Instant t0 = Instant.now().minusSeconds(600).truncatedTo(ChronoUnit.SECONDS);
      for (int i = 0; i < 6; i++) {
        String body =
            "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"id\":"
                + force.id()
                + ",\"geometry\":{\"type\":\"Point\",\"coordinates\":["
                + (at.getX() + i * 0.0002)
                + ","
                + (at.getY() + (i % 2) * 0.0001)
                + "]},\"properties\":{\"time\":\""
                + t0.plusSeconds(30L * i)
                + "\"}}]}";
        HttpResponse<String> r =
            server.send(
                "POST",
                PositionRoutes.PATH,
                body,
                "Content-Type",
                "application/geo+json",
                "Authorization",
                commander);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      }
      JsonNode track =
          JSON.readTree(
              server
                  .getText(
                      "/collections/forces/items/" + force.id() + "/track",
                      "Authorization",
                      commander)
                  .body());
      ObjectNode c = JSON.createObjectNode();
      c.put("base", server.baseUrl());
      c.put("out", out.toString());
      c.put("token", commander.substring("Bearer ".length()));
      ObjectNode f = c.putObject("force");
      f.put("id", force.id());
      f.set("coordinates", track.get("geometry").get("coordinates"));
      f.set("times", track.get("properties").get("times"));
      Path config = out.resolve("config.json");
      Files.writeString(config, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(c));
      run = BrowserTools.run(tools, 240, "node", "track-test.mjs", config.toString());
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
            "the script made every check it has",
            () -> assertThat(doc.get("checks").size()).as("%s", run.output()).isEqualTo(14)));
    tests.add(
        DynamicTest.dynamicTest(
            "the browser script exits 0",
            () ->
                assertThat(run.exitCode())
                    .as("node track-test.mjs output:%n%s", run.output())
                    .isZero()));
    return tests;
  }
}
