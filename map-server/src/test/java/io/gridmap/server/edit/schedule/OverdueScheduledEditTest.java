package io.gridmap.server.edit.schedule;

import static io.gridmap.server.edit.schedule.ScheduledEditTest.JSON;
import static io.gridmap.server.edit.schedule.ScheduledEditTest.grid;
import static io.gridmap.server.edit.schedule.ScheduledEditTest.in;
import static io.gridmap.server.edit.schedule.ScheduledEditTest.name;
import static io.gridmap.server.edit.schedule.ScheduledEditTest.planner;
import static io.gridmap.server.edit.schedule.ScheduledEditTest.settled;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Edits whose instant passed while the server was down are applied when it starts again, oldest
 * instant first, from the GeoPackage store they were kept in.
 */
class OverdueScheduledEditTest {

  private static HttpResponse<String> rename(TestServer s, long id, String name, long inMs)
      throws Exception {
    return s.send(
        "PATCH",
        "/collections/grids/items/" + id + "?effective=" + in(inMs),
        "{\"properties\":{\"name\":\"" + name + "\"}}",
        "Content-Type",
        "application/merge-patch+json",
        "Authorization",
        planner(s));
  }

  @Test
  void editsDueWhileTheServerWasDownAreAppliedAtStartInEffectiveOrder() throws Exception {
    Path store;
    long id;
    String first;
    String second;
    Instant latest;
    // a scheduler that looks once at start and then not for a minute: nothing is applied here
    try (TestServer before =
        TestServer.startWithStore(TestCity.small(), Map.of("scheduled_edits_poll_ms", "60000"))) {
      store = before.storeFile();
      id = grid(before, 0).id();
      // sent first, due second
      HttpResponse<String> later = rename(before, id, "后来", 1_200);
      HttpResponse<String> sooner = rename(before, id, "先", 800);
      assertThat(later.statusCode()).as(later.body()).isEqualTo(202);
      assertThat(sooner.statusCode()).as(sooner.body()).isEqualTo(202);
      second = later.headers().firstValue("Location").orElseThrow();
      latest =
          Instant.parse(JSON.readTree(later.body()).get("effective").asText())
                  .isAfter(Instant.parse(JSON.readTree(sooner.body()).get("effective").asText()))
              ? Instant.parse(JSON.readTree(later.body()).get("effective").asText())
              : Instant.parse(JSON.readTree(sooner.body()).get("effective").asText());
      first = sooner.headers().firstValue("Location").orElseThrow();
    }
    // both instants pass while no server runs
    Thread.sleep(Math.max(0, Duration.between(Instant.now(), latest).toMillis() + 100));

    try (TestServer after =
        TestServer.startOnStore(store, Map.of("scheduled_edits_poll_ms", "100"))) {
      JsonNode a = settled(after, first);
      JsonNode b = settled(after, second);
      assertThat(a.get("status").asText()).as(a.toString()).isEqualTo("applied");
      assertThat(b.get("status").asText()).as(b.toString()).isEqualTo("applied");
      // the instants as stored (a slow machine may have sent the second later than planned)
      boolean aFirst =
          Instant.parse(a.get("effective").asText())
              .isBefore(Instant.parse(b.get("effective").asText()));
      JsonNode sooner = aFirst ? a : b;
      JsonNode later = aFirst ? b : a;
      assertThat(sooner.get("seq").asLong())
          .as("the sooner instant first")
          .isLessThan(later.get("seq").asLong());
      String last = aFirst ? "后来" : "先";
      assertThat(name(after, id)).isEqualTo(last);
      assertThat(
              JSON.readTree(after.getText("/collections/grids/items/" + id).body())
                  .at("/properties/name")
                  .asText())
          .isEqualTo(last);
    }
  }
}
