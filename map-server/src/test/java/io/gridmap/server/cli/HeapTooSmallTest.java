package io.gridmap.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.Stores;
import io.gridmap.server.testing.ServerProcess;
import io.gridmap.server.testing.TestCity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} in a JVM whose heap cannot hold the store and the tile cache stops at once, before
 * listening and before reading the store, with one line that says what to pass in
 * MAPSERVER_JAVA_OPTS.
 */
class HeapTooSmallTest {
  @TempDir Path dir;

  @Test
  void aHeapTooSmallForTheStoreStopsServeWithTheOptionsToStartWith() throws Exception {
    Path store = dir.resolve("city.gpkg");
    try (FeatureStore s = Stores.open(store.toString())) {
      s.write(TestCity.small());
    }
    Path config = ServerProcess.config(dir);
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx96m",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "serve",
                "--store",
                store.toString(),
                "--port",
                "0",
                "--config",
                config.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(out).isTrue();

    assertThat(p.exitValue()).as(out).isEqualTo(2);
    assertThat(out)
        .contains("mapserver: cannot serve " + store)
        .contains("this JVM may use 0.1 GiB")
        .contains("MAPSERVER_JAVA_OPTS=\"-Xms1g -Xmx1g")
        .doesNotContain("listening on")
        .doesNotContain("Exception");
    List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
    assertThat(lines).as(out).hasSize(1);
  }
}
