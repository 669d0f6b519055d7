package io.gridmap.server.edit;

import static io.gridmap.server.edit.GridEditTest.JSON;
import static io.gridmap.server.edit.GridEditTest.planner;
import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.edit.Change;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.IncidentState;
import io.gridmap.server.security.Principal;
import io.gridmap.server.security.Role;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import io.gridmap.server.write.Writer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Point;

/**
 * A redraw moves a key site and an open incident into the other grid: in the same write they take
 * that grid's code (and the incident the new grid's worker), while a closed incident and a force at
 * the same place keep theirs.
 */
class OwnershipFollowTest {
  private static TestServer server;
  private static final Principal SETUP = new Principal("setup", Role.ADMIN, "", "test");

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.startWithStore(TestCity.small(), Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static LayerIndex layer(String name) {
    return server.server().content().index().layer(name);
  }

  /** Puts a point feature at {@code at} with some values set, through the writer. */
  private static Feature place(String layer, long id, Coordinate at, Map<String, Object> values)
      throws Exception {
    return server
        .server()
        .writer()
        .submit(
            new Writer.Write(
                SETUP,
                "test.setup",
                layer,
                current -> {
                  LayerIndex l = current.layer(layer);
                  Feature f = l.byId(id).orElseThrow();
                  Object[] v = f.values().clone();
                  values.forEach((k, x) -> v[l.def().requireField(k)] = x);
                  Point p = f.geometry().getFactory().createPoint(at);
                  return Change.of(
                      layer,
                      List.of(new Change.Replacement(f, new Feature(id, p, v, f.personal()))));
                }))
        .get(30, TimeUnit.SECONDS)
        .change()
        .after()
        .get(0);
  }

  @Test
  void sitesAndOpenIncidentsTakeTheGridThatNowHoldsThemForcesAndClosedIncidentsKeepTheirs()
      throws Exception {
    GridEditRedrawTest.Candidate c = GridEditRedrawTest.candidate(server, Set.of());
    Coordinate probe = c.move().probe();
    String a = Long.toString(c.a().id());
    String b = Long.toString(c.b().id());
    int gridWorker = layer("grids").def().requireField("worker_id");
    long workerA = (Long) c.a().value(gridWorker);
    long workerB = (Long) c.b().value(gridWorker);

    long site = layer("key_sites").features().get(0).id();
    place("key_sites", site, probe, Map.of("grid_code", b));
    List<Feature> events = layer("events").features();
    int status = layer("events").def().requireField("status");
    long open =
        events.stream()
            .filter(f -> !IncidentState.ofCode(f.string(status)).orElseThrow().terminal())
            .findFirst()
            .orElseThrow()
            .id();
    long closed =
        events.stream()
            .filter(f -> IncidentState.ofCode(f.string(status)).orElseThrow().terminal())
            .findFirst()
            .orElseThrow()
            .id();
    Feature openBefore =
        place("events", open, probe, Map.of("grid_code", b, "assignee_id", workerB));
    place("events", closed, probe, Map.of("grid_code", b));
    long force = layer("forces").features().get(0).id();
    place("forces", force, probe, Map.of("grid_code", b));
    int revision = layer("events").def().requireField("revision");

    String body =
        GridEditRedrawTest.body(
            GridEditRedrawTest.outlines(
                c.a().id(), c.move().first(), c.b().id(), c.move().second()));
    var res =
        server.send(
            "POST",
            "/edits/grids",
            body,
            "Content-Type",
            "application/geo+json",
            "Authorization",
            planner(server, "500103"));
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);

    String admin = server.bearer(Role.ADMIN, "");
    var siteNow =
        JSON.readTree(
            server.getText("/collections/key_sites/items/" + site, "Authorization", admin).body());
    assertThat(siteNow.at("/properties/grid_code").asText()).isEqualTo(a);
    Feature openNow = layer("events").byId(open).orElseThrow();
    assertThat(openNow.string(layer("events").def().requireField("grid_code"))).isEqualTo(a);
    assertThat(openNow.value(layer("events").def().requireField("assignee_id")))
        .as("the old grid's worker had it: the new grid's takes it")
        .isEqualTo(workerA);
    assertThat((Long) openNow.value(revision)).isEqualTo((Long) openBefore.value(revision) + 1);
    assertThat(
            layer("events")
                .byId(closed)
                .orElseThrow()
                .string(layer("events").def().requireField("grid_code")))
        .as("a closed incident keeps the grid it was handled in")
        .isEqualTo(b);
    assertThat(
            layer("forces")
                .byId(force)
                .orElseThrow()
                .string(layer("forces").def().requireField("grid_code")))
        .as("a force keeps the grid it serves")
        .isEqualTo(b);

    var located =
        JSON.readTree(
            server
                .getText(
                    String.format(
                        java.util.Locale.ROOT, "/query/locate?lon=%.7f&lat=%.7f", probe.x, probe.y))
                .body());
    assertThat(located.at("/grid/id").asText()).as("locate agrees").isEqualTo(a);

    var audit =
        JSON.readTree(
                server.getText("/admin/audit?action=grids.redraw", "Authorization", admin).body())
            .get("entries")
            .get(0);
    assertThat(audit.toString()).contains("followed", "key_sites", "events");
    var store = server.server().content().store().orElseThrow();
    assertThat(
            store
                .history("key_sites", site)
                .get(store.history("key_sites", site).size() - 1)
                .provenance()
                .action())
        .as("the site's new version is the redraw's")
        .isEqualTo("grids.redraw");
  }
}
