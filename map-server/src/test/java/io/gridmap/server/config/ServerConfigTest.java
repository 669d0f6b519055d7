package io.gridmap.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {
  @TempDir Path dir;

  @Test
  void defaultsMatchTheDocumentedKeys() {
    ServerConfig c = ServerConfig.defaults();
    assertThat(c.store()).isEqualTo("data/chongqing.gpkg");
    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.tileCacheBytes()).isEqualTo(512L * 1024 * 1024);
    assertThat(c.renderThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(ServerConfig.documentedTemplate())
        .contains("# port = 8080", "# store = data/chongqing.gpkg");
  }

  @Test
  void fileValuesOverrideDefaultsAndFlagsOverrideTheFile() throws Exception {
    Path f = dir.resolve("mapserver.conf");
    Files.writeString(f, "# comment\nport = 9000\ntile_cache_mb = 16\n\nstore = a.gpkg\n");
    ServerConfig c = ServerConfig.load(f, Map.of("store", "b.gpkg"));
    assertThat(c.port()).isEqualTo(9000);
    assertThat(c.tileCacheBytes()).isEqualTo(16L * 1024 * 1024);
    assertThat(c.store()).isEqualTo("b.gpkg");
  }

  @Test
  void unknownKeyNamesFileLineAndKnownKeys() throws Exception {
    Path f = dir.resolve("bad.conf");
    Files.writeString(f, "port = 9000\nprot = 9001\n");
    assertThatThrownBy(() -> ServerConfig.load(f, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("bad.conf:2")
        .hasMessageContaining("unknown setting 'prot'")
        .hasMessageContaining("port");
  }

  @Test
  void lineWithoutEqualsSignIsRefusedWithItsLineNumber() throws Exception {
    Path f = dir.resolve("bad.conf");
    Files.writeString(f, "port 9000\n");
    assertThatThrownBy(() -> ServerConfig.load(f, Map.of()))
        .hasMessageContaining("bad.conf:1")
        .hasMessageContaining("expected 'key = value'");
  }

  @Test
  void nonNumericPortIsRefusedNamingTheValue() {
    assertThatThrownBy(() -> ServerConfig.of(Map.of("port", "eighty")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("port must be an integer, got 'eighty'");
  }

  @Test
  void maxQueryAreaDefaultsToTheWholeCityAndMustBePositive() {
    assertThat(ServerConfig.defaults().maxQueryAreaKm2()).isEqualTo(250_000);
    assertThat(ServerConfig.of(Map.of("max_query_area_km2", "5000")).maxQueryAreaKm2())
        .isEqualTo(5000);
    assertThatThrownBy(() -> ServerConfig.of(Map.of("max_query_area_km2", "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("max_query_area_km2 must be > 0, got 0");
  }

  @Test
  void missingFileIsNamed() {
    assertThatThrownBy(() -> ServerConfig.load(dir.resolve("nope.conf"), Map.of()))
        .hasMessageContaining("nope.conf");
  }
}
