package io.gridmap.server.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import io.gridmap.tiler.pack.ExportArea;
import io.gridmap.tiler.pack.PackageFormat;
import io.gridmap.tiler.pack.TileExport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.locationtech.jts.geom.Envelope;

/**
 * The viewer's offline mode in headless Chromium ({@code
 * tools/browser-test/offline-viewer-test.mjs}): {@code /viewer/?pmtiles=URL} draws the tiles of a
 * package that {@code export-tiles} wrote (渝中, z10-z14), read by range requests from a second
 * origin, and asks the server for no tile. The screenshot is in {@code
 * map-server/target/browser-test-offline/}.
 */
@Tag("slow")
class OfflineViewerBrowserTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TestFactory
  List<DynamicTest> theViewerDrawsAPmtilesPackage() throws Exception {
    Path tools = BrowserTools.ready();
    Path out = Path.of("target", "browser-test-offline").toAbsolutePath();
    Files.createDirectories(out);
    Files.deleteIfExists(out.resolve("report.json"));
    BrowserTools.Result run;
    try (TestServer server = TestServer.start(TestCity.small())) {
      var content = server.server().content();
      ExportArea yuzhong = ExportArea.parse("500103", content.index());
      Path pkg = out.resolve("yuzhong.pmtiles");
      TileExport.toFile(
          content.tiles(), yuzhong, 10, 14, PackageFormat.PMTILES, pkg, 2, Map.of(), null);
      Envelope e = yuzhong.lonLatBounds();
      ObjectNode config = JSON.createObjectNode();
      config.put("base", server.baseUrl());
      config.put("out", out.toString());
      config.put("file", pkg.toString());
      config.putArray("view").add(e.centre().x).add(e.centre().y);
      Path configFile = out.resolve("config.json");
      Files.writeString(configFile, JSON.writeValueAsString(config));
      run = BrowserTools.run(tools, 180, "node", "offline-viewer-test.mjs", configFile.toString());
    }
    Path report = out.resolve("report.json");
    if (!Files.isRegularFile(report)) {
      throw new AssertionError(
          "the browser test wrote no report (exit " + run.exitCode() + "):\n" + run.output());
    }
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode check : JSON.readTree(report.toFile()).get("checks")) {
      String name = check.get("name").asText();
      boolean ok = check.get("ok").asBoolean();
      String detail = check.get("detail").asText();
      tests.add(
          DynamicTest.dynamicTest(name, () -> assertThat(ok).as("%s: %s", name, detail).isTrue()));
    }
    tests.add(
        DynamicTest.dynamicTest(
            "the browser script exits 0",
            () -> assertThat(run.exitCode()).as("output:%n%s", run.output()).isZero()));
    return tests;
  }
}
