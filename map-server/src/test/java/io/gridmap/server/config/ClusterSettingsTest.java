package io.gridmap.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterSettingsTest {
  @Test
  void defaultsAreOneNodeOutsideAnyClusterWithEightSecondTurns() {
    ClusterSettings c = ServerConfig.defaults().cluster();
    assertThat(c.enabled()).isFalse();
    assertThat(c.members()).isEmpty();
    assertThat(c.writerTurn().toSeconds()).isEqualTo(8);
    assertThat(c.turnRenewal().toMillis()).isEqualTo(1_600);
  }

  @Test
  void membersAreHostPortPairsSeparatedByCommas() {
    ClusterSettings c =
        ServerConfig.of(
                Map.of("cluster", "true", "cluster_members", " 10.0.0.6:5701 , 10.0.0.7:5702 "))
            .cluster();
    assertThat(c.members()).containsExactly("10.0.0.6:5701", "10.0.0.7:5702");
    assertThatThrownBy(() -> ServerConfig.of(Map.of("cluster_members", "10.0.0.6")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("host:port");
  }

  @Test
  void theNodeUrlIsTheListenAddressUnlessGiven() {
    ClusterSettings c = ServerConfig.defaults().cluster();
    assertThat(c.nodeUrl("0.0.0.0", 8080)).isEqualTo("http://127.0.0.1:8080");
    assertThat(c.nodeUrl("10.0.0.5", 8081)).isEqualTo("http://10.0.0.5:8081");
    ClusterSettings given =
        ServerConfig.of(Map.of("node_url", "http://node-a.internal:8080/")).cluster();
    assertThat(given.nodeUrl("0.0.0.0", 8080)).isEqualTo("http://node-a.internal:8080");
    assertThatThrownBy(() -> ServerConfig.of(Map.of("node_url", "node-a:8080")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("node_url");
  }

  @Test
  void turnsAndFailureDetectionAreBounded() {
    assertThatThrownBy(() -> ServerConfig.of(Map.of("writer_turn_s", "1")))
        .hasMessageContaining("writer_turn_s must be between 2 and 300");
    assertThatThrownBy(() -> ServerConfig.of(Map.of("cluster_failure_s", "0")))
        .hasMessageContaining("cluster_failure_s");
    assertThatThrownBy(() -> ServerConfig.of(Map.of("cluster", "yes")))
        .hasMessageContaining("cluster must be true or false");
  }
}
