package io.gridmap.server.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridmap.layers.geo.WebMercator;
import io.gridmap.layers.index.AdminLevel;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.index.LabelIndex;
import io.gridmap.layers.index.LabelPoint;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.locationtech.jts.geom.Envelope;

/**
 * The viewer in a real browser: headless Chromium, driven by playwright-core ({@code
 * tools/browser-test/viewer-test.mjs}), against a server on the small generated city. Each check
 * the script makes is one test here, named as the script names it; the screenshots (one per zoom,
 * the popup, the search, the light theme, the embedding page) are in {@code
 * map-server/target/browser-test/}.
 */
@Tag("slow")
class ViewerBrowserTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TestFactory
  List<DynamicTest> viewerInChromium() throws Exception {
    Path tools = BrowserTools.ready();
    Path out = Path.of("target", "browser-test").toAbsolutePath();
    Files.createDirectories(out);
    Files.deleteIfExists(out.resolve("report.json"));

    BrowserTools.Result run;
    // the generated year ended on 2026-11-01: the tiles keep its closed incidents for the check
    // that "open only" hides them
    try (TestServer server = TestServer.start(TestCity.small(), Map.of("closed_days", "36500"))) {
      Path config = out.resolve("config.json");
      Files.writeString(
          config, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config(server, out)));
      run = BrowserTools.run(tools, 240, "node", "viewer-test.mjs", config.toString());
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
            "each force clicked in the viewer is, by the id the page saw, the force drawn there",
            () -> forcesClicked(doc.path("forceClicks"))));
    tests.add(
        DynamicTest.dynamicTest(
            "the browser script exits 0",
            () ->
                assertThat(run.exitCode())
                    .as("node viewer-test.mjs output:%n%s", run.output())
                    .isZero()));
    return tests;
  }

  /**
   * The script's clicks on forces against the dataset, not through the server: the id the page saw
   * is a force of the city, within 3 m of the point drawn (tile units at z14 are about 0.6 m) and
   * of the role drawn. A JavaScript number rounds a 17-digit id, which names another force or none.
   */
  private void forcesClicked(JsonNode clicks) {
    assertThat(clicks.size()).as("forces clicked: %s", clicks).isGreaterThanOrEqualTo(3);
    var forces = TestCity.small().layer("forces");
    Map<Long, io.gridmap.layers.model.Feature> byId =
        forces.features().stream()
            .collect(Collectors.toMap(io.gridmap.layers.model.Feature::id, f -> f));
    int role = forces.def().requireField("role");
    for (JsonNode c : clicks) {
      assertThat(c.path("id").isTextual()).as("the popup gave an id: %s", c).isTrue();
      var f = byId.get(Long.parseLong(c.get("id").asText()));
      assertThat(f).as("force %s", c).isNotNull();
      org.locationtech.jts.geom.Coordinate p = f.geometry().getCoordinate();
      double metres =
          Math.hypot(
              (p.x - c.get("lon").asDouble()) * 111_320 * Math.cos(Math.toRadians(p.y)),
              (p.y - c.get("lat").asDouble()) * 110_574);
      assertThat(metres)
          .as("force %s is %.2f m from the click %s", f.id(), metres, c)
          .isLessThan(3);
      assertThat(f.string(role)).as("role of %s", c).isEqualTo(c.get("role").asText());
    }
  }

  /** Where the script looks: views per zoom, a grid to click, a village to search for. */
  private static ObjectNode config(TestServer server, Path out) {
    CityIndex index = server.server().content().index();
    ObjectNode c = JSON.createObjectNode();
    c.put("base", server.baseUrl());
    c.put("out", out.toString());
    c.put("embedDoc", BrowserTools.repoRoot().resolve("docs/embedding.md").toString());

    // the grid whose label point is nearest 渝中's centre: dense, every layer drawn around it
    LabelPoint grid = nearest(index.labels(AdminLevel.GRID), 106.57, 29.555, p -> true);
    ObjectNode g = c.putObject("grid");
    g.put("code", grid.code());
    g.put("lon", WebMercator.lon(grid.x()));
    g.put("lat", WebMercator.lat(grid.y()));

    // a village in 江北 whose name no other unit has, so the search list has exactly it
    LabelIndex villages = index.labels(AdminLevel.VILLAGE);
    Map<String, Long> names =
        IntStream.range(0, villages.size())
            .mapToObj(villages::point)
            .collect(Collectors.groupingBy(LabelPoint::name, Collectors.counting()));
    LabelPoint village = nearest(villages, 106.63, 29.62, p -> names.get(p.name()) == 1);
    Envelope e = village.feature().geometry().getEnvelopeInternal();
    ObjectNode v = c.putObject("village");
    v.put("name", village.name());
    v.put("code", village.code());
    v.putArray("bbox").add(e.getMinX()).add(e.getMinY()).add(e.getMaxX()).add(e.getMaxY());

    Envelope all = index.lonLatBounds();
    ObjectNode views = c.putObject("views");
    views.putArray("8").add(all.centre().x).add(all.centre().y);
    views.putArray("11").add(106.56).add(29.56);
    views.putArray("14").add(g.get("lon").asDouble()).add(g.get("lat").asDouble());
    return c;
  }

  private static LabelPoint nearest(
      LabelIndex labels, double lon, double lat, java.util.function.Predicate<LabelPoint> ok) {
    double x = WebMercator.x(lon);
    double y = WebMercator.y(lat);
    Function<LabelPoint, Double> d = p -> Math.hypot(p.x() - x, p.y() - y);
    return IntStream.range(0, labels.size())
        .mapToObj(labels::point)
        .filter(ok)
        .min(Comparator.comparing(d))
        .orElseThrow(() -> new AssertionError("no " + labels.level() + " label in the test city"));
  }
}
