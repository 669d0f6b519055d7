package io.gridmap.server.ogc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.Stores;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;

/**
 * GDAL as the client: Debian's GDAL 3.6 OAPIF driver (ogrinfo, ogr2ogr) against a server loaded
 * from a GeoPackage store. GDAL sends bbox and Part 1 property parameters, so those are what its
 * filters exercise; the access log shows they reach the server. Fails (never skips) without GDAL.
 */
class OgcGdalTest {
  @TempDir static Path dir;
  static TestServer server;
  static Dataset stored;
  static Path accessLog;

  @BeforeAll
  static void start() throws Exception {
    assertThat(run(List.of("ogrinfo", "--version")).exit)
        .as("GDAL's ogrinfo must be installed (apt-get install gdal-bin, or ./mapserver test)")
        .isZero();
    Path gpkg = dir.resolve("city.gpkg");
    try (FeatureStore s = Stores.open(gpkg.toString())) {
      s.write(TestCity.small());
    }
    try (FeatureStore s = Stores.open(gpkg.toString())) {
      stored = s.read();
    }
    accessLog = dir.resolve("access.log");
    server = TestServer.start(stored, Map.of("access_log", accessLog.toString()));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  record Result(int exit, String out) {}

  static Result run(List<String> cmd) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("GDAL_HTTP_TIMEOUT", "60");
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      return new Result(-1, e.getMessage());
    }
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  String oapif() {
    return "OAPIF:" + server.baseUrl() + "/";
  }

  @Test
  void ogrinfoListsEveryCollection() throws Exception {
    Result r = run(List.of("ogrinfo", "-ro", "-q", oapif()));
    assertThat(r.exit).as(r.out).isZero();
    for (LayerDef def : Catalogue.ALL) {
      assertThat(r.out).as(r.out).containsPattern("\\d+: " + def.name() + "( |$|\\n)");
    }
  }

  /** Features written by ogr2ogr as GeoJSON sequence, one JSON object a line. */
  static List<JsonNode> copy(List<String> extra, Path out) throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of("ogr2ogr", "-preserve_fid", "-f", "GeoJSONSeq", out.toString()));
    cmd.addAll(extra);
    Result r = run(cmd);
    assertThat(r.exit).as(String.join(" ", cmd) + "\n" + r.out).isZero();
    List<JsonNode> features = new ArrayList<>();
    for (String line : Files.readAllLines(out)) {
      String l = line.startsWith("\u001e") ? line.substring(1) : line;
      if (!l.isBlank()) {
        features.add(OgcTesting.JSON.readTree(l));
      }
    }
    return features;
  }

  static long id(JsonNode f) {
    if (!f.has("id") && !f.at("/properties/id").isNumber()) {
      throw new AssertionError("no id in " + f);
    }
    return f.has("id") ? f.get("id").asLong() : f.at("/properties/id").asLong();
  }

  @Test
  void ogr2ogrCopiesAWholeCollectionThroughPagingWithTheStoresCount() throws Exception {
    long storeCount = stored.layer("events").features().stream().filter(f -> !f.personal()).count();
    List<JsonNode> copied =
        copy(List.of(oapif(), "events", "-oo", "PAGE_SIZE=1000"), dir.resolve("events.geojsons"));
    assertThat(copied).hasSize((int) storeCount);
    assertThat(copied.stream().map(OgcGdalTest::id).collect(Collectors.toSet()))
        .hasSize((int) storeCount);
    assertThat(log())
        .anyMatch(l -> l.contains("/collections/events/items?") && l.contains("offset=" + 5000));
    // personal key sites stay out of a GDAL copy too
    long publicSites =
        stored.layer("key_sites").features().stream().filter(f -> !f.personal()).count();
    assertThat(copy(List.of(oapif(), "key_sites"), dir.resolve("sites.geojsons")))
        .hasSize((int) publicSites);
  }

  @Test
  void attributeFilterReachesTheServerAsAPropertyParameter() throws Exception {
    Set<Long> expected =
        stored.layer("events").features().stream()
            .filter(f -> !f.personal() && "manhole_cover".equals(f.value(0)))
            .map(Feature::id)
            .collect(Collectors.toSet());
    List<JsonNode> got =
        copy(
            List.of(oapif(), "events", "-where", "category = 'manhole_cover'"),
            dir.resolve("manhole.geojsons"));
    assertThat(got.stream().map(OgcGdalTest::id).collect(Collectors.toSet())).isEqualTo(expected);
    assertThat(log())
        .anyMatch(
            l ->
                l.contains("/collections/events/items?")
                    && l.contains("category=manhole_cover")
                    && l.contains(" 200 "));
  }

  @Test
  void spatialFilterReachesTheServerAsBbox() throws Exception {
    Envelope box = new Envelope(106.55, 106.58, 29.55, 29.57);
    Set<Long> expected =
        stored.layer("key_sites").features().stream()
            .filter(f -> !f.personal() && box.covers(f.geometry().getCoordinate()))
            .map(Feature::id)
            .collect(Collectors.toSet());
    assertThat(expected).isNotEmpty();
    List<JsonNode> got =
        copy(
            List.of(oapif(), "key_sites", "-spat", "106.55", "29.55", "106.58", "29.57"),
            dir.resolve("box.geojsons"));
    Set<Long> ids = new HashSet<>();
    for (JsonNode f : got) {
      ids.add(id(f));
      JsonNode c = f.at("/geometry/coordinates");
      assertThat(box.covers(new Coordinate(c.get(0).asDouble(), c.get(1).asDouble()))).isTrue();
    }
    assertThat(ids).isEqualTo(expected);
    assertThat(log())
        .anyMatch(
            l ->
                l.contains("/collections/key_sites/items?")
                    && l.contains("bbox=106.5499999")
                    && l.contains(",29.57")
                    && l.contains(" 200 "));
  }

  /** The access log's lines; the log writes through a queue, so wait for it. */
  static List<String> log() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    List<String> lines = List.of();
    while (System.nanoTime() < deadline) {
      lines = Files.exists(accessLog) ? Files.readAllLines(accessLog) : List.of();
      if (!lines.isEmpty()) {
        Thread.sleep(300);
        return Files.readAllLines(accessLog);
      }
      Thread.sleep(100);
    }
    return lines;
  }
}
