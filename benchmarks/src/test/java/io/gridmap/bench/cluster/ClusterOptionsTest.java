package io.gridmap.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClusterOptionsTest {
  private static final String[] BASE = {
    "--writer", "http://127.0.0.1:1",
    "--other", "http://127.0.0.1:2",
    "--store", "postgresql://postgres@127.0.0.1:5432/postgres?schema=s",
    "--token-file", "token"
  };

  private static String[] with(String... more) {
    String[] all = new String[BASE.length + more.length];
    System.arraycopy(BASE, 0, all, 0, BASE.length);
    System.arraycopy(more, 0, all, BASE.length, more.length);
    return all;
  }

  @Test
  void theDefaultsAreTheFullRun() {
    ClusterOptions o = ClusterOptions.parse(BASE);

    assertThat(o.clients()).containsExactly(1, 2);
    assertThat(o.writes()).isEqualTo(2000);
    assertThat(o.propagation()).isEqualTo(2000);
    assertThat(o.external()).isEqualTo(2000);
    assertThat(o.maxSeconds()).isEqualTo(120);
  }

  @Test
  void theTinyRunsArguments() {
    ClusterOptions o =
        ClusterOptions.parse(
            with(
                "--writes",
                "12",
                "--warmup",
                "3",
                "--propagation",
                "10",
                "--propagation-gap-ms",
                "50",
                "--external",
                "10",
                "--external-gap-ms",
                "50",
                "--max-seconds",
                "20",
                "--clients",
                "1, 2"));

    assertThat(o.writes()).isEqualTo(12);
    assertThat(o.warmup()).isEqualTo(3);
    assertThat(o.propagationGapMs()).isEqualTo(50);
    assertThat(o.externalGapMs()).isEqualTo(50);
    assertThat(o.clients()).containsExactly(1, 2);
  }

  @Test
  void bothNodesTheStoreAndATokenAreNeeded() {
    assertThatThrownBy(() -> ClusterOptions.parse(new String[] {"--writer", "http://a"}))
        .hasMessageContaining("--writer, --other, --store and --token-file are needed");
    assertThatThrownBy(() -> ClusterOptions.parse(with("--writes", "0")))
        .hasMessageContaining("at least 1");
    assertThatThrownBy(() -> ClusterOptions.parse(with("--nodes")))
        .hasMessageContaining("--nodes needs a value");
  }
}
