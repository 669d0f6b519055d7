package io.gridmap.server.edit.schedule;

import static io.gridmap.server.edit.schedule.ScheduledEditTest.etag;
import static io.gridmap.server.edit.schedule.ScheduledEditTest.grid;
import static io.gridmap.server.edit.schedule.ScheduledEditTest.in;
import static io.gridmap.server.edit.schedule.ScheduledEditTest.name;
import static io.gridmap.server.edit.schedule.ScheduledEditTest.planner;
import static io.gridmap.server.edit.schedule.ScheduledEditTest.rename;
import static io.gridmap.server.edit.schedule.ScheduledEditTest.settled;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridmap.layers.edit.FeatureVersion;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.Stores;
import io.gridmap.layers.testing.TestPostgis;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A scheduled edit on a PostGIS store (table scheduled_edits, V12): the node that holds the writer
 * turn applies it at its instant (fails, never skips, without a PostGIS to reach).
 */
class ScheduledEditOnPostgisTest {

  @Test
  void theWriterNodeAppliesAScheduledRenameAtItsInstant() throws Exception {
    String schema = TestPostgis.newSchema();
    String url = TestPostgis.storeUrl(schema);
    try {
      try (FeatureStore s = Stores.open(url)) {
        s.write(TestCity.small());
      }
      try (TestServer server =
          TestServer.startOnStore(url, Map.of("scheduled_edits_poll_ms", "100"))) {
        long id = grid(server, 0).id();
        HttpResponse<String> res =
            rename(server, id, "一号起", "?effective=" + in(1_500), etag(server, id), planner(server));
        assertThat(res.statusCode()).as(res.body()).isEqualTo(202);
        assertThat(name(server, id)).isNotEqualTo("一号起");
        JsonNode done = settled(server, res.headers().firstValue("Location").orElseThrow());
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("applied");
        assertThat(name(server, id)).isEqualTo("一号起");
        List<FeatureVersion> versions =
            server.server().content().store().orElseThrow().history("grids", id);
        assertThat(done.get("seq").asLong()).isEqualTo(versions.get(versions.size() - 1).seq());
      }
    } finally {
      TestPostgis.drop(schema);
    }
  }
}
