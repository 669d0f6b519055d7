package io.gridmap.server.edit.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridmap.server.config.ConfigException;
import io.gridmap.server.config.ServerConfig;
import io.gridmap.server.web.ApiException;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code effective} parameter's bounds, and what a replay keeps of the query. */
class EffectiveTest {
  private static final Instant NOW = Instant.parse("2026-12-05T00:00:00Z");

  @Test
  void anInstantWithAnOffsetAfterNowIsTakenInUtc() {
    assertThat(Effective.parse("2027-01-01T00:00:00+08:00", NOW))
        .isEqualTo(Instant.parse("2026-12-31T16:00:00Z"));
    assertThat(Effective.parse("2026-12-05T00:00:00.001Z", NOW)).isEqualTo(NOW.plusMillis(1));
  }

  @Test
  void nowThePastAnInstantWithoutOffsetAndMoreThanAYearAheadAre400() {
    for (String bad :
        new String[] {
          "2026-12-05T00:00:00Z", // now
          "2026-12-04T23:59:59Z",
          "2027-01-01T00:00:00", // no offset
          "2027-01-01",
          "",
          NOW.plus(Effective.MAX_AHEAD).plusMillis(1).toString()
        }) {
      assertThatThrownBy(() -> Effective.parse(bad, NOW))
          .as(bad)
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.getMessage()).contains("effective");
              });
    }
    assertThat(Effective.parse(NOW.plus(Effective.MAX_AHEAD).toString(), NOW))
        .isEqualTo(NOW.plus(Effective.MAX_AHEAD));
  }

  @Test
  void theReplayKeepsEveryParameterButEffective() {
    assertThat(Scheduling.withoutEffective("effective=2027-01-01T00%3A00%3A00%2B08%3A00"))
        .isEmpty();
    assertThat(Scheduling.withoutEffective("a=1&effective=x&b=%20&effectiveness=2"))
        .isEqualTo("a=1&b=%20&effectiveness=2");
    assertThat(Scheduling.withoutEffective(null)).isEmpty();
  }

  @Test
  void thePollPeriodIsASettingWithBounds() {
    assertThat(ServerConfig.defaults().scheduledEditsPoll().toMillis()).isEqualTo(1000);
    assertThat(ServerConfig.of(Map.of("scheduled_edits_poll_ms", "100")).scheduledEditsPoll())
        .hasMillis(100);
    assertThatThrownBy(() -> ServerConfig.of(Map.of("scheduled_edits_poll_ms", "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("scheduled_edits_poll_ms");
  }
}
