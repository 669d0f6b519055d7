package io.gridmap.server.edit;

import static io.gridmap.server.edit.GridEditTest.JSON;
import static io.gridmap.server.edit.GridEditTest.planner;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.io.geojson.GeoJsonReader;

/**
 * The map as of a past instant: after a redraw, locate and the grids' items asked {@code as-of}
 * before it answer the old boundary, and the present answers the new one.
 */
class AsOfTest {
  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.startWithStore(TestCity.small(), Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static String at(Instant t) {
    return URLEncoder.encode(t.toString().replace("Z", "+00:00"), StandardCharsets.UTF_8);
  }

  private static long locate(Coordinate c, String asOf) throws Exception {
    var res =
        server.getText(
            String.format(Locale.ROOT, "/query/locate?lon=%.7f&lat=%.7f", c.x, c.y)
                + (asOf == null ? "" : "&as-of=" + asOf));
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return JSON.readTree(res.body()).at("/grid/id").asLong();
  }

  @Test
  void locateAndItemsAsOfBeforeARedrawAnswerTheOldBoundary() throws Exception {
    GridEditRedrawTest.Candidate c = GridEditRedrawTest.candidate(server, Set.of());
    long a = c.a().id();
    Coordinate probe = c.move().probe();
    io.gridmap.tiler.geo.TileCoord near = GridEditRedrawTest.tileAt(probe, 14);
    String tilePath = GridEditRedrawTest.tilePath(near);
    var tileBefore = server.get(tilePath, "Accept-Encoding", "gzip");
    assertThat(tileBefore.statusCode()).isEqualTo(200);
    Thread.sleep(5);
    Instant before = Instant.now();
    Thread.sleep(5);
    var res =
        server.send(
            "POST",
            "/edits/grids",
            GridEditRedrawTest.body(
                GridEditRedrawTest.outlines(a, c.move().first(), c.b().id(), c.move().second())),
            "Content-Type",
            "application/geo+json",
            "Authorization",
            planner(server, "500103"));
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);

    assertThat(locate(probe, null)).as("now").isEqualTo(a);

    // the tile as of before the redraw draws the old boundary, from the polygons drawn then
    var tileNow = server.get(tilePath, "Accept-Encoding", "gzip");
    var tileThen = server.get(tilePath + "?as-of=" + at(before), "Accept-Encoding", "gzip");
    assertThat(tileThen.statusCode()).isEqualTo(200);
    io.gridmap.server.testing.MvtFeatures was0 =
        io.gridmap.server.testing.MvtFeatures.of(tileBefore.body());
    io.gridmap.server.testing.MvtFeatures now0 =
        io.gridmap.server.testing.MvtFeatures.of(tileNow.body());
    io.gridmap.server.testing.MvtFeatures then0 =
        io.gridmap.server.testing.MvtFeatures.of(tileThen.body());
    assertThat(now0.area("grids", a))
        .as("the present tile has the new boundary")
        .isGreaterThan(was0.area("grids", a));
    assertThat(then0.area("grids", a))
        .as("as of before: the old boundary")
        .isEqualTo(was0.area("grids", a));
    assertThat(then0.area("grids", c.b().id())).isEqualTo(was0.area("grids", c.b().id()));
    assertThat(
            then0
                .feature("grids", a)
                .orElseThrow()
                .equalsExact(was0.feature("grids", a).orElseThrow()))
        .as("drawn from the polygons drawn then, vertex for vertex")
        .isTrue();
    var tileAgain = server.get(tilePath, "Accept-Encoding", "gzip");
    assertThat(tileAgain.headers().firstValue("ETag"))
        .as("a past tile is never served for the present")
        .isEqualTo(tileNow.headers().firstValue("ETag"));
    assertThat(locate(probe, at(before))).as("as of before the redraw").isEqualTo(c.b().id());

    JsonNode then =
        JSON.readTree(
            server.getText("/collections/grids/items/" + a + "?as-of=" + at(before)).body());
    Geometry was = new GeoJsonReader().read(then.get("geometry").toString());
    assertThat(was.norm().equalsExact(c.a().geometry().norm(), 1e-9)).isTrue();
    JsonNode now = JSON.readTree(server.getText("/collections/grids/items/" + a).body());
    assertThat(
            new GeoJsonReader()
                .read(now.get("geometry").toString())
                .norm()
                .equalsExact(was.norm(), 1e-9))
        .isFalse();

    var env = c.a().geometry().getEnvelopeInternal();
    String bbox =
        String.format(
            Locale.ROOT,
            "%.6f,%.6f,%.6f,%.6f",
            env.getMinX(),
            env.getMinY(),
            env.getMaxX(),
            env.getMaxY());
    JsonNode page =
        JSON.readTree(
            server
                .getText("/collections/grids/items?bbox=" + bbox + "&as-of=" + at(before))
                .body());
    boolean found = false;
    for (JsonNode f : page.get("features")) {
      if (f.get("id").asLong() == a) {
        found = true;
        assertThat(
                new GeoJsonReader()
                    .read(f.get("geometry").toString())
                    .norm()
                    .equalsExact(c.a().geometry().norm(), 1e-9))
            .as("the page as of before holds the old outline")
            .isTrue();
      }
    }
    assertThat(found).isTrue();
    assertThat(locate(probe, at(Instant.now().plusSeconds(3600))))
        .as("a future instant is now")
        .isEqualTo(a);
  }

  @Test
  void anIncidentAsOfBeforeItsTransitionHasItsOldStatus() throws Exception {
    var events = server.server().content().index().layer("events");
    int status = events.def().requireField("status");
    io.gridmap.layers.model.Feature open =
        events.features().stream()
            .filter(f -> "reported".equals(f.string(status)) && !f.personal())
            .findFirst()
            .orElseThrow();
    Thread.sleep(5);
    Instant before = Instant.now();
    Thread.sleep(5);
    server
        .server()
        .writer()
        .submit(
            new io.gridmap.server.write.Writer.Write(
                new io.gridmap.server.security.Principal(
                    "test", io.gridmap.server.security.Role.ADMIN, "", "test"),
                "incident.accept",
                "events/" + open.id(),
                current -> {
                  io.gridmap.layers.model.Feature f =
                      current.layer("events").byId(open.id()).orElseThrow();
                  Object[] v = f.values().clone();
                  v[status] = "accepted";
                  return io.gridmap.layers.edit.Change.of(
                      "events",
                      java.util.List.of(
                          new io.gridmap.layers.edit.Change.Replacement(
                              f,
                              new io.gridmap.layers.model.Feature(
                                  f.id(), f.geometry(), v, f.personal()))));
                }))
        .get(30, java.util.concurrent.TimeUnit.SECONDS);
    String admin = server.bearer(io.gridmap.server.security.Role.ADMIN, "");
    JsonNode now =
        JSON.readTree(
            server
                .getText("/collections/events/items/" + open.id(), "Authorization", admin)
                .body());
    assertThat(now.at("/properties/status").asText()).isEqualTo("accepted");
    JsonNode then =
        JSON.readTree(
            server
                .getText(
                    "/collections/events/items/" + open.id() + "?as-of=" + at(before),
                    "Authorization",
                    admin)
                .body());
    assertThat(then.at("/properties/status").asText()).isEqualTo("reported");
  }

  @Test
  void aMalformedAsOfIs400NamingIt() throws Exception {
    for (String path :
        new String[] {
          "/query/locate?lon=106.5&lat=29.5&as-of=yesterday",
          "/collections/grids/items?as-of=2026-13-01T00:00:00Z",
          "/collections/grids/items/500103001001001?as-of=2026-12-01",
          "/tiles/cq/14/13000/6800.mvt?as-of=noon"
        }) {
      var res = server.getText(path);
      assertThat(res.statusCode()).as(path + ": " + res.body()).isEqualTo(400);
      assertThat(res.body()).contains("as-of");
    }
  }
}
