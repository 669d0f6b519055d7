package io.gridmap.server.edit;

import static io.gridmap.server.edit.GridEditTest.gridOf;
import static io.gridmap.server.edit.GridEditTest.history;
import static io.gridmap.server.edit.GridEditTest.planner;
import static io.gridmap.server.edit.GridLockingTest.detail;
import static io.gridmap.server.edit.GridLockingTest.etag;
import static io.gridmap.server.edit.GridLockingTest.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With {@code edits_require_if_match = true} a grid edit that does not name the version it changes
 * is refused with 428 Precondition Required and writes nothing; one that names it is taken.
 */
class IfMatchRequiredTest {
  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.startWithStore(TestCity.small(), Map.of("edits_require_if_match", "true"));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void aPatchWithoutIfMatchIs428AndWithItIsTaken() throws Exception {
    long id = gridOf(server, "500103", 3).id();
    String auth = planner(server, "500103");
    String body = "{\"properties\": {\"name\": \"要版本\"}}";

    var without = write(server, "PATCH", id, body, auth, null);
    assertThat(without.statusCode()).as(without.body()).isEqualTo(428);
    assertThat(detail(without)).contains("If-Match", "grid " + id, "nothing was written");
    assertThat(history(server, id)).isEmpty();

    var with = write(server, "PATCH", id, body, auth, etag(server, "grids", id));
    assertThat(with.statusCode()).as(with.body()).isEqualTo(200);
    assertThat(with.headers().firstValue("ETag")).hasValue(etag(server, "grids", id));
  }

  @Test
  void aPutWithoutIfMatchIs428() throws Exception {
    long id = gridOf(server, "500103", 5).id();
    String auth = planner(server, "500103");
    var read = server.getText("/collections/grids/items/" + id, "Authorization", auth);
    var without = write(server, "PUT", id, read.body(), auth, null);
    assertThat(without.statusCode()).as(without.body()).isEqualTo(428);
    assertThat(detail(without)).contains("If-Match");
    var with = write(server, "PUT", id, read.body(), auth, read.headers().firstValue("ETag").get());
    assertThat(with.statusCode()).as(with.body()).isEqualTo(200);
  }

  @Test
  void aRedrawWithoutAnEtagPerGridIs428() throws Exception {
    GridEditRedrawTest.Candidate c = GridEditRedrawTest.candidate(server, Set.of());
    long a = c.a().id();
    long b = c.b().id();
    var outlines = GridEditRedrawTest.outlines(a, c.move().first(), b, c.move().second());
    String auth = planner(server, "500103");

    var partly =
        server.send(
            "POST",
            "/edits/grids",
            GridLockingTest.redrawBody(outlines, Map.of(a, etag(server, "grids", a))),
            "Content-Type",
            "application/geo+json",
            "Authorization",
            auth);
    assertThat(partly.statusCode()).as(partly.body()).isEqualTo(428);
    assertThat(detail(partly)).contains(Long.toString(b), "etag").doesNotContain(a + ",");

    var all =
        server.send(
            "POST",
            "/edits/grids",
            GridLockingTest.redrawBody(
                outlines, Map.of(a, etag(server, "grids", a), b, etag(server, "grids", b))),
            "Content-Type",
            "application/geo+json",
            "Authorization",
            auth);
    assertThat(all.statusCode()).as(all.body()).isEqualTo(200);
  }
}
