package io.gridmap.server.edit.schedule;

import static io.gridmap.server.edit.schedule.ScheduledEditTest.etag;
import static io.gridmap.server.edit.schedule.ScheduledEditTest.grid;
import static io.gridmap.server.edit.schedule.ScheduledEditTest.in;
import static io.gridmap.server.edit.schedule.ScheduledEditTest.planner;
import static io.gridmap.server.edit.schedule.ScheduledEditTest.rename;
import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** A server over a dataset in memory has nowhere to keep a scheduled edit: it says so, no 500. */
class ScheduledEditWithoutStoreTest {

  @Test
  void schedulingIs501AndTheListIs404() throws Exception {
    try (TestServer server = TestServer.start(TestCity.small())) {
      long id = grid(server, 0).id();
      HttpResponse<String> res =
          rename(server, id, "x", "?effective=" + in(3_600_000), etag(server, id), planner(server));
      assertThat(res.statusCode()).as(res.body()).isEqualTo(501);
      assertThat(res.body()).contains("effective");
      HttpResponse<String> list =
          server.getText("/edits/scheduled", "Authorization", planner(server));
      assertThat(list.statusCode()).as(list.body()).isEqualTo(404);
      assertThat(list.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }
  }
}
