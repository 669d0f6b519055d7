package io.gridmap.server.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Feature;
import io.gridmap.server.security.Role;
import io.gridmap.server.testing.MvtFeatures;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.operation.polygonize.Polygonizer;

/**
 * Editing grids in headless Chromium ({@code tools/browser-test/planner-test.mjs}; issue 13, point
 * 8): a planner signs in, opens 编辑网格 (Edit grids), clicks a grid, draws a split line across it with
 * mouse clicks on the map's canvas (at positions projected from the grid's outline), sees the dry
 * run's two grids and confirms; a line that cuts off a sliver is refused by the dry run, its
 * violations listed and drawn in red, nothing written. Both go to the real split endpoint ({@code
 * POST /edits/grids/{code}/split}) of a server with a store. Afterwards this test checks over HTTP
 * that the old grid is gone, the two new ones exist and cover it, a tile holds the new boundary,
 * and the refused grid's ETag did not change. Screenshots are in {@code
 * map-server/target/browser-test/planner/}.
 */
@Tag("slow")
class PlannerBrowserTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DISTRICT = "500103";
  private static final GeometryFactory GF = new GeometryFactory();
  private static final double METRES_PER_DEGREE = 111_320;

  @TestFactory
  List<DynamicTest> aPlannerSplitsAGridOnTheMap() throws Exception {
    Path tools = BrowserTools.ready();
    Path out = Path.of("target", "browser-test", "planner").toAbsolutePath();
    Files.createDirectories(out);
    Files.deleteIfExists(out.resolve("report.json"));
    List<DynamicTest> tests = new ArrayList<>();
    BrowserTools.Result run;
    try (TestServer server =
        TestServer.startWithStore(
            TestCity.small(), Map.of("rate_limit_per_s", "100000", "rate_limit_burst", "100000"))) {
      LayerIndex grids = server.server().content().index().layer("grids");
      int district = grids.def().requireField("district_code");
      int village = grids.def().requireField("village_code");
      int street = grids.def().requireField("street_code");
      List<Feature> all =
          grids.features().stream().filter(f -> f.string(district).equals(DISTRICT)).toList();
      // grids whose neighbours are all of their street: where a split line meets the outline the
      // neighbour gets that point, and a grid of another street may not be changed (one-village)
      List<Feature> mine =
          all.stream()
              .filter(f -> f.geometry() instanceof Polygon p && p.getNumInteriorRing() == 0)
              .filter(
                  f ->
                      grids.features().stream()
                          .filter(n -> n != f)
                          .filter(
                              n ->
                                  n.geometry()
                                      .getEnvelopeInternal()
                                      .intersects(f.geometry().getEnvelopeInternal()))
                          .filter(n -> n.geometry().intersects(f.geometry()))
                          .allMatch(n -> n.string(street).equals(f.string(street))))
              .sorted(Comparator.comparingLong(Feature::id))
              .toList();
      Split split =
          mine.stream()
              .map(PlannerBrowserTest::halves)
              .flatMap(Optional::stream)
              .findFirst()
              .orElseThrow(() -> new AssertionError("no grid of " + DISTRICT + " to cut in two"));
      Sliver sliver =
          mine.stream()
              .filter(f -> !f.string(village).equals(split.grid().string(village)))
              .map(PlannerBrowserTest::sliver)
              .flatMap(Optional::stream)
              .findFirst()
              .orElseThrow(() -> new AssertionError("no grid of " + DISTRICT + " with a corner"));
      String planner = server.bearer("planner-" + DISTRICT, Role.PLANNER, DISTRICT);
      String splitEtag = etag(server, split.grid().id());
      String sliverEtag = etag(server, sliver.grid().id());

      ObjectNode c = JSON.createObjectNode();
      c.put("base", server.baseUrl());
      c.put("out", out.toString());
      c.put("token", planner.substring("Bearer ".length()));
      ObjectNode s = c.putObject("split");
      s.put("code", String.valueOf(split.grid().id()));
      s.put("etag", splitEtag);
      s.set("pick", point(split.grid().geometry().getInteriorPoint().getCoordinate()));
      s.set("line", coordinates(split.line()));
      ObjectNode v = c.putObject("sliver");
      v.put("code", String.valueOf(sliver.grid().id()));
      v.put("etag", sliverEtag);
      v.set("pick", point(sliver.pick()));
      v.set("line", coordinates(sliver.line()));
      v.put("sliverSquareMetres", sliver.area());
      Path config = out.resolve("config.json");
      Files.writeString(config, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(c));
      run = BrowserTools.run(tools, 300, "node", "planner-test.mjs", config.toString());

      JsonNode report =
          Files.isRegularFile(out.resolve("report.json"))
              ? JSON.readTree(out.resolve("report.json").toFile())
              : null;
      if (report == null) {
        throw new AssertionError(
            "the browser test wrote no report (exit " + run.exitCode() + "):\n" + run.output());
      }
      for (JsonNode check : report.get("checks")) {
        String name = check.get("name").asText();
        boolean ok = check.get("ok").asBoolean();
        String detail = check.get("detail").asText();
        tests.add(
            DynamicTest.dynamicTest(
                name, () -> assertThat(ok).as("%s: %s", name, detail).isTrue()));
      }
      // over HTTP, on the server the browser used: what the confirmed split wrote
      long old = split.grid().id();
      List<Long> codes = new ArrayList<>();
      report.path("result").path("codes").forEach(n -> codes.add(Long.parseLong(n.asText())));
      HttpResponse<String> gone = server.getText("/collections/grids/items/" + old);
      tests.add(
          DynamicTest.dynamicTest(
              "over HTTP the split grid is gone (404 or 410)",
              () -> assertThat(gone.statusCode()).as(gone.body()).isIn(404, 410)));
      List<Geometry> parts = new ArrayList<>();
      List<String> missing = new ArrayList<>();
      for (long code : codes) {
        HttpResponse<String> r = server.getText("/collections/grids/items/" + code);
        if (r.statusCode() == 200) {
          parts.add(
              new org.locationtech.jts.io.geojson.GeoJsonReader()
                  .read(JSON.readTree(r.body()).get("geometry").toString()));
        } else {
          missing.add(code + ": " + r.statusCode());
        }
      }
      tests.add(
          DynamicTest.dynamicTest(
              "over HTTP the two new grids exist and together cover the old one",
              () -> {
                assertThat(codes)
                    .as("the codes the viewer reported")
                    .hasSize(2)
                    .doesNotHaveDuplicates();
                assertThat(missing).as("new grids not found").isEmpty();
                Geometry union = parts.get(0).union(parts.get(1));
                double a = split.grid().geometry().getArea();
                assertThat(union.symDifference(split.grid().geometry()).getArea())
                    .as("area outside either the old grid or the new two")
                    .isLessThan(a * 1e-4); // the crossing points are snapped to 1e-7°
                assertThat(Math.min(parts.get(0).getArea(), parts.get(1).getArea()))
                    .as("both halves have a real size")
                    .isGreaterThan(a * 0.2);
              }));
      Coordinate at = split.grid().geometry().getInteriorPoint().getCoordinate();
      int[] xy = tile(14, at.x, at.y);
      HttpResponse<byte[]> t = server.get("/tiles/cq/14/" + xy[0] + "/" + xy[1] + ".mvt");
      tests.add(
          DynamicTest.dynamicTest(
              "a z14 tile holds the new grids and no longer the old one",
              () -> {
                assertThat(t.statusCode()).isEqualTo(200);
                var ids = MvtFeatures.of(t.body()).ids("grids");
                assertThat(ids).doesNotContain(old);
                assertThat(ids).containsAll(codes);
              }));
      String after = etag(server, sliver.grid().id());
      tests.add(
          DynamicTest.dynamicTest(
              "the refused split wrote nothing: the grid's ETag is unchanged",
              () -> assertThat(after).isEqualTo(sliverEtag)));
      JsonNode doc = report;
      tests.add(
          DynamicTest.dynamicTest(
              "the script made every check it has (none was skipped by an early failure)",
              () -> assertThat(doc.get("checks").size()).as("%s", run.output()).isGreaterThan(15)));
      tests.add(
          DynamicTest.dynamicTest(
              "the browser script exits 0",
              () ->
                  assertThat(run.exitCode())
                      .as("node planner-test.mjs output:%n%s", run.output())
                      .isZero()));
    }
    return tests;
  }

  /** A grid and a line that cuts it into two parts of at least a third of it each. */
  record Split(Feature grid, LineString line) {}

  /** A grid, a line that cuts off a corner of a few square metres, and a point inside near it. */
  record Sliver(Feature grid, LineString line, Coordinate pick, double area) {}

  /**
   * A straight line through the grid's interior point, at the angle (every 15°) that cuts it most
   * evenly, crossing its boundary twice only, its ends 15 % beyond the grid; three points (the
   * middle one on the line) so the viewer draws more than a segment.
   */
  static Optional<Split> halves(Feature grid) {
    Polygon p = (Polygon) grid.geometry();
    Coordinate c = p.getInteriorPoint().getCoordinate();
    double reach = p.getEnvelopeInternal().getDiameter() * 2;
    Split best = null;
    double bestShare = 0.4;
    for (int deg = 0; deg < 180; deg += 15) {
      double a = Math.toRadians(deg);
      LineString through =
          GF.createLineString(
              new Coordinate[] {
                new Coordinate(c.x - reach * Math.cos(a), c.y - reach * Math.sin(a)),
                new Coordinate(c.x + reach * Math.cos(a), c.y + reach * Math.sin(a))
              });
      Geometry inside = p.intersection(through);
      if (!(inside instanceof LineString seg) || seg.getNumPoints() != 2) {
        continue;
      }
      List<Polygon> parts = parts(p, seg);
      if (parts.size() != 2) {
        continue;
      }
      double share = Math.min(parts.get(0).getArea(), parts.get(1).getArea()) / p.getArea();
      if (share > bestShare) {
        Coordinate s0 = seg.getCoordinateN(0);
        Coordinate s1 = seg.getCoordinateN(1);
        double dx = (s1.x - s0.x) * 0.15;
        double dy = (s1.y - s0.y) * 0.15;
        LineString line =
            GF.createLineString(
                new Coordinate[] {
                  new Coordinate(s0.x - dx, s0.y - dy),
                  new Coordinate((s0.x + s1.x) / 2 + dx * 0.1, (s0.y + s1.y) / 2 + dy * 0.1),
                  new Coordinate(s1.x + dx, s1.y + dy)
                });
        if (p.intersection(line).getNumGeometries() == 1) {
          best = new Split(grid, line);
          bestShare = share;
        }
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * The sharpest convex corner of the grid (interior angle at most 120°): a line across it 4 m from
   * the corner, perpendicular to its bisector, cuts off a triangle of a few square metres.
   */
  static Optional<Sliver> sliver(Feature grid) {
    Polygon p = (Polygon) grid.geometry();
    Coordinate[] ring = p.getExteriorRing().getCoordinates();
    double k = Math.cos(Math.toRadians(ring[0].y));
    int n = ring.length - 1;
    Sliver best = null;
    double bestAngle = Math.toRadians(120);
    for (int i = 0; i < n; i++) {
      Coordinate v = ring[i];
      Coordinate prev = ring[(i + n - 1) % n];
      Coordinate next = ring[(i + 1) % n];
      // in metres, east and north of the corner
      double ax = (prev.x - v.x) * k * METRES_PER_DEGREE;
      double ay = (prev.y - v.y) * METRES_PER_DEGREE;
      double bx = (next.x - v.x) * k * METRES_PER_DEGREE;
      double by = (next.y - v.y) * METRES_PER_DEGREE;
      double la = Math.hypot(ax, ay);
      double lb = Math.hypot(bx, by);
      if (la < 20 || lb < 20) {
        continue; // short edges: the line would reach beyond them
      }
      double angle = Math.acos((ax * bx + ay * by) / (la * lb));
      if (angle >= bestAngle || angle < Math.toRadians(30)) {
        continue;
      }
      double ux = ax / la + bx / lb;
      double uy = ay / la + by / lb;
      double ul = Math.hypot(ux, uy);
      ux /= ul;
      uy /= ul;
      double depth = 4;
      double half = depth * Math.tan(angle / 2) * 2 + 3;
      Coordinate mid = at(v, ux * depth, uy * depth, k);
      Coordinate pick = at(v, ux * 15, uy * 15, k);
      LineString line =
          GF.createLineString(
              new Coordinate[] {
                at(mid, -uy * half, ux * half, k), at(mid, uy * half, -ux * half, k)
              });
      Geometry inside = p.intersection(line);
      if (!p.intersects(GF.createPoint(line.getStartPoint().getCoordinate()))
          && !p.intersects(GF.createPoint(line.getEndPoint().getCoordinate()))
          && inside instanceof LineString seg
          && seg.getNumPoints() == 2
          && p.contains(GF.createPoint(pick))) {
        List<Polygon> parts = parts(p, seg);
        if (parts.size() == 2) {
          double small = Math.min(parts.get(0).getArea(), parts.get(1).getArea());
          double m2 = small * k * METRES_PER_DEGREE * METRES_PER_DEGREE;
          best = new Sliver(grid, line, pick, m2);
          bestAngle = angle;
        }
      }
    }
    return Optional.ofNullable(best);
  }

  private static Coordinate at(Coordinate from, double east, double north, double k) {
    return new Coordinate(
        from.x + east / (k * METRES_PER_DEGREE), from.y + north / METRES_PER_DEGREE);
  }

  /** The polygon cut by a segment inside it: the pieces of its boundary noded with the segment. */
  @SuppressWarnings("unchecked")
  private static List<Polygon> parts(Polygon p, LineString seg) {
    Polygonizer polygonizer = new Polygonizer();
    polygonizer.add(p.getExteriorRing().union(seg));
    List<Polygon> out = new ArrayList<>();
    for (Polygon piece : (java.util.Collection<Polygon>) polygonizer.getPolygons()) {
      if (p.contains(piece.getInteriorPoint())) {
        out.add(piece);
      }
    }
    return out;
  }

  private static String etag(TestServer server, long id) throws Exception {
    HttpResponse<String> r = server.getText("/collections/grids/items/" + id);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.headers().firstValue("ETag").orElseThrow();
  }

  private static ArrayNode point(Coordinate c) {
    return JSON.createArrayNode().add(c.x).add(c.y);
  }

  private static ArrayNode coordinates(LineString line) {
    ArrayNode a = JSON.createArrayNode();
    for (Coordinate c : line.getCoordinates()) {
      a.add(point(c));
    }
    return a;
  }

  /** The Web Mercator tile (x, y) at zoom z that holds a lon/lat. */
  private static int[] tile(int z, double lon, double lat) {
    double n = 1 << z;
    int x = (int) Math.floor((lon + 180) / 360 * n);
    double r = Math.toRadians(lat);
    int y = (int) Math.floor((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2 * n);
    return new int[] {x, y};
  }
}
