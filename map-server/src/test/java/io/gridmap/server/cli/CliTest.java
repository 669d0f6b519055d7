package io.gridmap.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: help, generate, serve, errors as one line, graceful SIGTERM. */
class CliTest {
  @TempDir Path dir;

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void everyCommandHasHelp() {
    for (String cmd :
        List.of("generate", "serve", "demo", "export-tiles", "import", "config", "token")) {
      CliRun r = run(cmd, "--help");
      assertThat(r.code()).as(cmd).isZero();
      assertThat(r.out()).as(cmd).contains("Usage: mapserver " + cmd).contains("--help");
    }
    assertThat(run("generate", "--help").out())
        .contains("--store", "--seed", "--scale", "--districts");
    assertThat(run("serve", "--help").out()).contains("--store", "--port", "--config");
    // the formats read here, and the converter for the rest, as issue 12 asks --help to say
    assertThat(run("import", "--help").out())
        .contains("GeoJSON", "Shapefile", "GeoPackage", "CSV", "ogr2ogr", "gdal-bin")
        .contains("--layer", "--crs", "--map", "--dry-run", "--visibility", "--personal");
    CliRun top = run("--help");
    assertThat(top.out()).contains("demo", "generate", "serve");
  }

  @Test
  void tokenCommandIssuesATokenTheServerAcceptsAndAuditsIt() throws Exception {
    Path conf = dir.resolve("server.conf");
    Files.writeString(
        conf,
        "token_secret_file = "
            + dir.resolve("token.secret")
            + "\napi_keys_file = "
            + dir.resolve("api_keys")
            + "\naudit_log = "
            + dir.resolve("audit.jsonl")
            + "\n");
    CliRun r =
        run(
            "token",
            "--role",
            "commander",
            "--scope",
            "500103001",
            "--subject",
            "zhang",
            "--ttl",
            "2h",
            "--config",
            conf.toString());
    assertThat(r.code()).as(r.err()).isZero();
    String token = r.out().strip();
    assertThat(token.split("\\.")).hasSize(3);
    io.vertx.core.Vertx vx = io.vertx.core.Vertx.vertx();
    try {
      var tokens =
          new io.gridmap.server.security.Tokens(
              vx, Files.readString(dir.resolve("token.secret")).strip());
      var p =
          tokens.verify(token).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(p.role()).isEqualTo(io.gridmap.server.security.Role.COMMANDER);
      assertThat(p.scope()).isEqualTo("500103001");
      assertThat(p.subject()).isEqualTo("zhang");
    } finally {
      vx.close();
    }
    CliRun key =
        run(
            "token",
            "--role",
            "analyst",
            "--api-key",
            "--subject",
            "hotline",
            "--config",
            conf.toString());
    assertThat(key.code()).isZero();
    assertThat(key.out().strip()).startsWith("gm_");
    assertThat(Files.readString(dir.resolve("audit.jsonl")))
        .contains(
            "\"action\":\"token.issue\"",
            "\"target\":\"zhang\"",
            "\"action\":\"api_key.create\"",
            "\"target\":\"hotline\"");

    CliRun badRole = run("token", "--role", "public", "--config", conf.toString());
    assertThat(badRole.code()).isEqualTo(2);
    assertThat(badRole.err()).contains("--role must be one of");
    CliRun badScope =
        run("token", "--role", "planner", "--scope", "5001", "--config", conf.toString());
    assertThat(badScope.code()).isEqualTo(2);
    assertThat(badScope.err()).contains("'5001'");
    CliRun badTtl =
        run("token", "--role", "planner", "--ttl", "forever", "--config", conf.toString());
    assertThat(badTtl.code()).isEqualTo(2);
    assertThat(badTtl.err()).contains("--ttl", "'forever'");
  }

  @Test
  void configPrintsEveryDocumentedKey() {
    CliRun r = run("config");
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains(
            "# store = data/chongqing.gpkg",
            "# port = 8080",
            "# tile_cache_mb = 512",
            "# max_query_area_km2 = 250000");
    for (var key : io.gridmap.server.config.ConfigKey.ALL) {
      assertThat(r.out()).contains("# " + key.name() + " = " + key.defaultValue());
    }
  }

  @Test
  void badInputIsOneLineNamingTheValue() throws Exception {
    CliRun scale = run("generate", "--store", dir.resolve("a.gpkg").toString(), "--scale", "2");
    assertThat(scale.code()).isEqualTo(2);
    assertThat(scale.err())
        .contains("--scale must be in (0, 1], got 2.0")
        .doesNotContain("Exception");
    CliRun district =
        run("generate", "--store", dir.resolve("b.gpkg").toString(), "--districts", "999999");
    assertThat(district.code()).isEqualTo(2);
    assertThat(district.err()).contains("999999").doesNotContain("\tat ");
    CliRun missing = run("serve", "--store", dir.resolve("nope.gpkg").toString(), "--port", "0");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err())
        .contains("nope.gpkg")
        .contains("does not exist")
        .doesNotContain("\tat ");
    CliRun notGpkg = run("serve", "--store", dir.resolve("x.shp").toString());
    assertThat(notGpkg.code()).isEqualTo(2);
    assertThat(notGpkg.err()).contains("x.shp").contains(".gpkg");
    Path store = dir.resolve("empty.gpkg");
    assertThat(
            run("generate", "--store", store.toString(), "--scale", "0.02", "--districts", "500103")
                .code())
        .isZero();
    Path conf = dir.resolve("bad.conf");
    java.nio.file.Files.createDirectories(dir.resolve("secret-is-a-dir"));
    java.nio.file.Files.writeString(
        conf, "token_secret_file = " + dir.resolve("secret-is-a-dir") + "\n");
    CliRun badSecret =
        run("serve", "--store", store.toString(), "--port", "0", "--config", conf.toString());
    assertThat(badSecret.code()).isEqualTo(2);
    assertThat(badSecret.err()).contains("secret-is-a-dir").doesNotContain("\tat ");
    CliRun unknownFlag = run("serve", "--prot", "9");
    assertThat(unknownFlag.code()).isEqualTo(2);
    assertThat(unknownFlag.err()).contains("Unknown option: '--prot' (did you mean --port?)");
    // one line for one mistake: not picocli's too, which counts the value as unknown as well
    assertThat(unknownFlag.err()).doesNotContain("Unknown options").doesNotContain("'9'");
    CliRun strayArgument = run("serve", "extra");
    assertThat(strayArgument.code()).isEqualTo(2);
    assertThat(strayArgument.err()).contains("'extra'");
    // a mistyped required option: named, with the one meant, before picocli's "missing"
    CliRun mistyped = run("import", "--layr", "x", dir.resolve("f.geojson").toString());
    assertThat(mistyped.code()).isEqualTo(2);
    assertThat(mistyped.err())
        .contains("Unknown option: '--layr' (did you mean --layer?)")
        .contains("Missing required option: '--layer=NAME'");
  }

  @Test
  @Tag("slow")
  void generatedStoreIsAGeoPackageGdalReadsWithEveryLayerAndCount() throws Exception {
    Path store = dir.resolve("sub/dir/city.gpkg");
    Path conf = dir.resolve("gen.conf");
    Files.writeString(conf, "audit_log = " + dir.resolve("audit.jsonl") + "\n");
    CliRun r =
        run(
            "generate",
            "--store",
            store.toString(),
            "--scale",
            "0.1",
            "--districts",
            "500103,500153",
            "--seed",
            "7",
            "--config",
            conf.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.readString(dir.resolve("audit.jsonl")))
        .as("the import is audited in the configured log")
        .contains("\"action\":\"dataset.generate\"", "\"target\":\"" + store + "\"");
    assertThat(r.err()).contains("generate: wrote " + store);
    Map<String, Long> expected = countsFromProgress(r.err());
    assertThat(expected.keySet())
        .containsExactlyInAnyOrder(
            "districts", "streets", "villages", "grids", "key_sites", "forces", "events");

    Map<String, Long> ogr = ogrinfoCounts(store);
    for (var e : expected.entrySet()) {
      assertThat(ogr).as("ogrinfo layer " + e.getKey()).containsEntry(e.getKey(), e.getValue());
    }
    assertThat(ogr).containsKey("tile_geometries");
    assertThat(ogr.get("tile_geometries")).isPositive();

    CliRun again =
        run("generate", "--store", store.toString(), "--scale", "0.1", "--districts", "500103");
    assertThat(again.code()).isEqualTo(2);
    assertThat(again.err()).contains("already holds a city").contains("--force");
  }

  @Test
  void generateWritesACityIntoPostgisAndNeverPrintsThePassword() throws Exception {
    String schema = io.gridmap.layers.testing.TestPostgis.newSchema();
    // trust authentication on the test database takes any password: enough to see it hidden
    String url =
        io.gridmap.layers.testing.TestPostgis.storeUrl(schema).replace("?", "?password=hunter2&");
    Path conf = dir.resolve("pg.conf");
    Files.writeString(conf, "audit_log = " + dir.resolve("pg-audit.jsonl") + "\n");
    try {
      CliRun r =
          run(
              "generate",
              "--store",
              url,
              "--scale",
              "0.05",
              "--districts",
              "500103",
              "--config",
              conf.toString());
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.err()).contains("generate: wrote postgresql://").doesNotContain("hunter2");
      assertThat(Files.readString(dir.resolve("pg-audit.jsonl")))
          .contains("\"action\":\"dataset.generate\"", "password=***")
          .doesNotContain("hunter2");
      Map<String, Long> expected = countsFromProgress(r.err());
      try (io.gridmap.layers.store.FeatureStore s = io.gridmap.layers.store.Stores.open(url)) {
        Map<String, Integer> counts = s.counts();
        expected.forEach(
            (layer, n) -> assertThat(counts.get(layer).longValue()).as(layer).isEqualTo(n));
      }
      CliRun again = run("generate", "--store", url, "--scale", "0.05", "--districts", "500103");
      assertThat(again.code()).isEqualTo(2);
      assertThat(again.err()).contains("already holds a city", "--force").doesNotContain("hunter2");
    } finally {
      io.gridmap.layers.testing.TestPostgis.drop(schema);
    }
  }

  @Test
  @Tag("slow")
  void serveAnswersThenStopsGracefullyOnSigterm() throws Exception {
    Path store = dir.resolve("city.gpkg");
    assertThat(
            run("generate", "--store", store.toString(), "--scale", "0.05", "--districts", "500103")
                .code())
        .isZero();
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                javaBin,
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "serve",
                "--store",
                store.toString(),
                "--port",
                "0",
                "--host",
                "127.0.0.1")
            .redirectErrorStream(true)
            .start();
    List<String> lines = new ArrayList<>();
    String base = null;
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      Pattern url = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+)/health");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      String line;
      while (base == null && System.nanoTime() < deadline && (line = r.readLine()) != null) {
        lines.add(line);
        Matcher m = url.matcher(line);
        if (m.find()) {
          base = m.group(1);
        }
      }
      assertThat(base).as("serve printed its URLs: %s", lines).isNotNull();
      var http = java.net.http.HttpClient.newHttpClient();
      var health =
          http.send(
              java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/health")).build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      // SIGTERM, as a service manager sends it (Process.destroy would also close our pipes)
      assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor())
          .isZero();
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("stopped within 20 s of SIGTERM").isTrue();
      while ((line = r.readLine()) != null) {
        lines.add(line);
      }
    } finally {
      p.destroyForcibly();
    }
    assertThat(String.join("\n", lines)).contains("shutting down").doesNotContain("Exception");
  }

  /** The per-layer counts the generator printed on its last line. */
  private static Map<String, Long> countsFromProgress(String err) {
    Matcher m = Pattern.compile("generate: wrote .* in all: \\{([^}]*)\\}").matcher(err);
    assertThat(m.find()).as(err).isTrue();
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String kv : m.group(1).split(",\\s*")) {
      String[] p = kv.split("=");
      counts.put(p[0], Long.parseLong(p[1]));
    }
    return counts;
  }

  /** Layer -> feature count as GDAL's ogrinfo reads them (GDAL is the independent reader). */
  static Map<String, Long> ogrinfoCounts(Path store) throws IOException, InterruptedException {
    Process p;
    try {
      p =
          new ProcessBuilder("ogrinfo", "-ro", "-so", "-al", store.toString())
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      throw new AssertionError(
          "GDAL's ogrinfo is needed: apt-get install gdal-bin (./mapserver test does)", e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).doesNotContain("ERROR");
    Map<String, Long> counts = new LinkedHashMap<>();
    Matcher m = Pattern.compile("Layer name: (\\S+)[\\s\\S]*?Feature Count: (\\d+)").matcher(out);
    while (m.find()) {
      counts.put(m.group(1), Long.parseLong(m.group(2)));
    }
    return counts;
  }
}
