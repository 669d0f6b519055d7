package io.gridmap.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
  void mqttIsOffByDefaultAndItsUrlIsCheckedWhenGiven() {
    MqttSettings off = ServerConfig.defaults().mqtt();
    assertThat(off.enabled()).isFalse();
    assertThat(off.clientId()).isEqualTo("gridmap");
    assertThat(off.topicPrefix()).isEqualTo("gridmap/v1");

    MqttSettings on = ServerConfig.of(Map.of("mqtt_url", "mqtt://127.0.0.1")).mqtt();
    assertThat(on.enabled()).isTrue();
    assertThat(on.host()).isEqualTo("127.0.0.1");
    assertThat(on.port()).isEqualTo(1883);
    assertThat(ServerConfig.of(Map.of("mqtt_url", "mqtt://broker.local:11883")).mqtt().port())
        .isEqualTo(11883);

    assertThatThrownBy(() -> ServerConfig.of(Map.of("mqtt_url", "tcp://127.0.0.1:1883")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("mqtt_url must be empty (off) or mqtt://host[:port]")
        .hasMessageContaining("'tcp://127.0.0.1:1883'");
    assertThatThrownBy(() -> ServerConfig.of(Map.of("mqtt_url", "mqtt://u:secret@host")))
        .hasMessageContaining("no user name or password");
    assertThatThrownBy(() -> ServerConfig.of(Map.of("mqtt_client_id", "grid map")))
        .hasMessageContaining(
            "mqtt_client_id must be 1 to 64 of A-Z a-z 0-9 . _ -, got 'grid map'");
    for (String bad : new String[] {"a/+/b", "a/#", "a/", "/a", "a//b", "$SYS/x", ""}) {
      assertThatThrownBy(() -> ServerConfig.of(Map.of("mqtt_topic_prefix", bad)))
          .as(bad)
          .hasMessageContaining("mqtt_topic_prefix must be topic levels");
    }
    assertThat(ServerConfig.of(Map.of("mqtt_topic_prefix", "city/cq/v1")).mqtt().topicPrefix())
        .isEqualTo("city/cq/v1");
  }

  @Test
  void importMaxMbDefaultsTo256AndMustBePositive() {
    assertThat(ServerConfig.defaults().importMaxMb()).isEqualTo(256);
    assertThat(ServerConfig.of(Map.of("import_max_mb", "2")).importMaxMb()).isEqualTo(2);
    assertThatThrownBy(() -> ServerConfig.of(Map.of("import_max_mb", "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("import_max_mb must be >= 1, got 0");
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
  void writeGroupPaceIsTenMillisecondsByDefaultAndIsBounded() {
    assertThat(ServerConfig.defaults().writeGroupPace()).isEqualTo(Duration.ofMillis(10));
    assertThat(ServerConfig.documentedTemplate()).contains("# write_group_ms = 10");
    assertThat(ServerConfig.of(Map.of("write_group_ms", "10")).writeGroupPace())
        .isEqualTo(Duration.ofMillis(10));
    assertThatThrownBy(() -> ServerConfig.of(Map.of("write_group_ms", "1001")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("write_group_ms must be between 0 (no gathering) and 1000, got 1001");
    assertThatThrownBy(() -> ServerConfig.of(Map.of("write_group_ms", "-1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("write_group_ms must be between 0");
  }

  @Test
  void editsRequireIfMatchIsOffByDefaultAndTakesTrueOrFalse() {
    assertThat(ServerConfig.defaults().editsRequireIfMatch()).isFalse();
    assertThat(ServerConfig.documentedTemplate()).contains("# edits_require_if_match = false");
    assertThat(ServerConfig.of(Map.of("edits_require_if_match", "true")).editsRequireIfMatch())
        .isTrue();
    assertThatThrownBy(() -> ServerConfig.of(Map.of("edits_require_if_match", "yes")))
        .hasMessage("edits_require_if_match must be true or false, got 'yes'");
  }

  @Test
  void connectionTimeoutsHaveDocumentedDefaultsAndMustBeBounded() {
    ServerConfig c = ServerConfig.defaults();
    assertThat(c.headerTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.bodyTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.wsPing()).isEqualTo(Duration.ofSeconds(25));
    assertThat(ServerConfig.documentedTemplate())
        .contains(
            "# header_timeout_s = 10",
            "# body_timeout_s = 30",
            "# idle_timeout_s = 60",
            "# ws_ping_s = 25");
    assertThat(ServerConfig.of(Map.of("idle_timeout_s", "2")).idleTimeout())
        .isEqualTo(Duration.ofSeconds(2));
    for (String key : new String[] {"header_timeout_s", "body_timeout_s", "idle_timeout_s"}) {
      assertThatThrownBy(() -> ServerConfig.of(Map.of(key, "0")))
          .isInstanceOf(ConfigException.class)
          .hasMessage(key + " must be between 1 and 86400 seconds, got 0");
    }
    assertThat(c.wsStall()).isEqualTo(Duration.ofSeconds(30));
    assertThat(ServerConfig.documentedTemplate()).contains("# ws_stall_s = 30");
    assertThatThrownBy(() -> ServerConfig.of(Map.of("ws_stall_s", "0")))
        .hasMessage("ws_stall_s must be between 1 and 86400 seconds, got 0");
    assertThatThrownBy(() -> ServerConfig.of(Map.of("ws_ping_s", "86401")))
        .hasMessage("ws_ping_s must be between 1 and 86400 seconds, got 86401");
    assertThatThrownBy(() -> ServerConfig.of(Map.of("body_timeout_s", "30s")))
        .hasMessage("body_timeout_s must be an integer, got '30s'");
  }

  @Test
  void missingFileIsNamed() {
    assertThatThrownBy(() -> ServerConfig.load(dir.resolve("nope.conf"), Map.of()))
        .hasMessageContaining("nope.conf");
  }
}
