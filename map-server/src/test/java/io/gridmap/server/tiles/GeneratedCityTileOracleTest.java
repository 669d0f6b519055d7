package io.gridmap.server.tiles;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridmap.importer.clean.DistrictCleaner;
import io.gridmap.layers.geo.WebMercator;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Layer;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import io.gridmap.tiler.geo.TileCoord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.operation.union.CascadedPolygonUnion;

/**
 * Issue 2, point 8: z14 tiles of the generated city, served over HTTP and decoded by an independent
 * decoder ({@code @mapbox/vector-tile} in Node), hold exactly the grids that a brute force scan of
 * every grid finds against the tile plus its buffer; their polygons are valid in tile coordinates
 * with MVT 2.1 winding; and their attributes carry the grid codes.
 *
 * <p>The tiles are picked from the data, not hard-coded: the urban core (渝中), rural 荣昌, the 渝中/江北
 * border, and 荣昌's stretch of the city's outer edge; every one holds at least five grids. The brute
 * force scans the z14 generalised grids of the dataset (the geometry tiles draw), one by one, never
 * through the server's index.
 */
@Tag("slow")
class GeneratedCityTileOracleTest {
  private static final int Z = 14;
  private static final int EXTENT = 4096;
  private static final int BUFFER = 64;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final GeometryFactory GF = new GeometryFactory();

  private static Dataset city;
  private static TestServer server;
  private static Map<Long, Geometry> gridsZ14;

  @BeforeAll
  static void start() throws Exception {
    city = TestCity.small();
    server = TestServer.start(city);
    gridsZ14 = city.generalised().get("grids", Z);
    assertThat(gridsZ14).hasSize(city.layer("grids").size());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void z14TilesHoldExactlyTheBruteForceGridsValidWoundAndCoded() throws Exception {
    Map<String, List<TileCoord>> sample = pickTiles();
    int total = sample.values().stream().mapToInt(List::size).sum();
    assertThat(total).as("tiles picked per kind: %s", sample).isGreaterThanOrEqualTo(20);
    sample.forEach((kind, tiles) -> assertThat(tiles).as(kind).hasSizeGreaterThanOrEqualTo(5));

    Path dir = Files.createDirectories(Path.of("target", "oracle-tiles"));
    int checkedGrids = 0;
    int edgeSlivers = 0;
    for (var e : sample.entrySet()) {
      for (TileCoord t : e.getValue()) {
        String where = e.getKey() + " " + t;
        var res =
            server.get(
                "/tiles/cq/" + t.z() + "/" + t.x() + "/" + t.y() + ".mvt",
                "Accept-Encoding",
                "gzip");
        assertThat(res.statusCode()).as(where).isEqualTo(200);
        Path file = dir.resolve(t.z() + "-" + t.x() + "-" + t.y() + ".mvt.gz");
        Files.write(file, res.body());
        JsonNode grids = decodeWithNode(file).path("grids");
        assertThat(grids.path("extent").asInt()).as(where).isEqualTo(EXTENT);

        Set<Long> decoded = new HashSet<>();
        for (JsonNode f : grids.path("features")) {
          long id = f.get("id").asLong();
          assertThat(decoded.add(id)).as(where + " duplicate id " + id).isTrue();
          assertThat(f.get("type").asInt()).as(where + " geometry type of " + id).isEqualTo(3);
          assertThat(f.path("properties").path("code").asText())
              .as(where)
              .isEqualTo(Long.toString(id))
              .hasSize(15);
          checkValidWithMvtWinding(where + " grid " + id, f.get("geometry"));
        }

        Envelope buffered = t.bufferedBounds(BUFFER, EXTENT);
        double unit = TileCoord.size(Z) / EXTENT;
        Set<Long> mustHave = new HashSet<>();
        Set<Long> mayHave = new HashSet<>();
        Polygon clip = (Polygon) GF.toGeometry(buffered);
        for (var g : gridsZ14.entrySet()) {
          Geometry geom = g.getValue();
          if (!geom.getEnvelopeInternal().intersects(buffered) || !geom.intersects(clip)) {
            continue;
          }
          Geometry part = geom.intersection(clip);
          if (part.getArea() > 0) {
            mayHave.add(g.getKey());
            // a part at least one tile unit thick survives rounding to the tile grid
            if (!part.buffer(-unit / 2).isEmpty()) {
              mustHave.add(g.getKey());
            }
          }
        }
        assertThat(mustHave).as(where + " grids by brute force").hasSizeGreaterThanOrEqualTo(5);
        assertThat(decoded)
            .as(where + ": every grid drawn is one the brute force finds")
            .isSubsetOf(mayHave);
        assertThat(decoded)
            .as(where + ": every grid the brute force finds is drawn")
            .containsAll(mustHave);
        edgeSlivers += mayHave.size() - mustHave.size();
        checkedGrids += decoded.size();
      }
    }
    System.out.printf(
        "[tile oracle] %d tiles, %d grids matched; %d slivers thinner than a tile unit at buffer edges%n",
        total, checkedGrids, edgeSlivers);
  }

  /**
   * The ids of z14 points as {@code @mapbox/vector-tile} (MapLibre's decoder) reads them: each is a
   * public feature of the dataset drawn where that feature is, and {@code /items/{id}} answers it.
   * A JavaScript reader holds an id in a double, so this holds only for ids below 2^53.
   */
  @Test
  void z14PointIdsAsNodeReadsThemAreTheFeaturesDrawn() throws Exception {
    List<String> layers = List.of("key_sites", "forces", "events");
    Map<String, Map<Long, Feature>> byId = new HashMap<>();
    for (String layer : layers) {
      Map<Long, Feature> m = new HashMap<>();
      city.layer(layer).features().forEach(f -> m.put(f.id(), f));
      byId.put(layer, m);
    }
    Path dir = Files.createDirectories(Path.of("target", "oracle-tiles"));
    Map<String, Integer> checked = new TreeMap<>();
    for (TileCoord t : pickTiles().get("urban core")) {
      var res = server.get("/tiles/cq/" + t.z() + "/" + t.x() + "/" + t.y() + ".mvt");
      assertThat(res.statusCode()).as(t.toString()).isEqualTo(200);
      Path file = dir.resolve("points-" + t.z() + "-" + t.x() + "-" + t.y() + ".mvt");
      Files.write(file, res.body());
      JsonNode tile = decodeWithNode(file);
      double unit = TileCoord.size(Z) / EXTENT;
      for (String layer : layers) {
        JsonNode features = tile.path(layer).path("features");
        for (JsonNode f : features) {
          // node printed the number it holds: a rounded id prints other digits
          String seen = f.get("id").asText();
          Feature p = byId.get(layer).get(Long.parseLong(seen));
          String where = t + " " + layer + " id " + seen;
          assertThat(p).as(where + " is a feature of the dataset").isNotNull();
          assertThat(p.personal()).as(where).isFalse();
          Coordinate c = p.geometry().getCoordinate();
          double x = (WebMercator.x(c.x) - t.minX()) / unit;
          double y = (t.maxY() - WebMercator.y(c.y)) / unit;
          JsonNode drawn = f.get("geometry").get(0).get(0);
          assertThat(Math.abs(drawn.get(0).asDouble() - x)).as(where + " x").isLessThanOrEqualTo(1);
          assertThat(Math.abs(drawn.get(1).asDouble() - y)).as(where + " y").isLessThanOrEqualTo(1);
        }
        if (!features.isEmpty()) {
          String id = features.get(0).get("id").asText();
          var item = server.getText("/collections/" + layer + "/items/" + id);
          assertThat(item.statusCode()).as(t + " " + layer + " item " + id).isEqualTo(200);
          assertThat(JSON.readTree(item.body()).get("id").asText()).isEqualTo(id);
        }
        checked.merge(layer, features.size(), Integer::sum);
      }
    }
    assertThat(checked.values()).as("points checked per layer: %s", checked).allMatch(n -> n > 20);
    System.out.printf("[tile oracle] z14 point ids checked: %s%n", checked);
  }

  /** MVT 2.1: a polygon is an exterior ring of positive surveyor's area (y down) and its holes. */
  private static void checkValidWithMvtWinding(String where, JsonNode rings) {
    List<Polygon> polygons = new ArrayList<>();
    LinearRing shell = null;
    List<LinearRing> holes = new ArrayList<>();
    for (JsonNode ring : rings) {
      Coordinate[] cs = new Coordinate[ring.size()];
      for (int i = 0; i < ring.size(); i++) {
        cs[i] = new Coordinate(ring.get(i).get(0).asDouble(), ring.get(i).get(1).asDouble());
      }
      assertThat(cs.length).as(where + " ring length").isGreaterThanOrEqualTo(4);
      assertThat(cs[0]).as(where + " ring closed").isEqualTo(cs[cs.length - 1]);
      double area = surveyorArea(cs);
      assertThat(area).as(where + " ring area").isNotZero();
      LinearRing lr = GF.createLinearRing(cs);
      if (area > 0) {
        if (shell != null) {
          polygons.add(GF.createPolygon(shell, holes.toArray(LinearRing[]::new)));
        }
        shell = lr;
        holes = new ArrayList<>();
      } else {
        assertThat(shell).as(where + ": first ring must be exterior (positive area)").isNotNull();
        holes.add(lr);
      }
    }
    assertThat(shell).as(where + " has an exterior ring").isNotNull();
    polygons.add(GF.createPolygon(shell, holes.toArray(LinearRing[]::new)));
    Geometry g =
        polygons.size() == 1
            ? polygons.get(0)
            : GF.createMultiPolygon(polygons.toArray(Polygon[]::new));
    assertThat(g.isValid()).as(where + " valid in tile coordinates: " + g).isTrue();
  }

  private static double surveyorArea(Coordinate[] cs) {
    double sum = 0;
    for (int i = 0; i < cs.length - 1; i++) {
      sum += cs[i].x * cs[i + 1].y - cs[i + 1].x * cs[i].y;
    }
    return sum / 2;
  }

  /** Up to six tiles per kind, spread over the candidates, each with at least five grids. */
  private static Map<String, List<TileCoord>> pickTiles() {
    Layer districts = city.layer("districts");
    Map<String, Geometry> byCode = new HashMap<>();
    int code = districts.def().requireField("code");
    for (Feature f : districts.features()) {
      byCode.put(f.string(code), WebMercator.project(f.geometry()));
    }
    Geometry core = byCode.get("500103");
    Geometry jiangbei = byCode.get("500105");
    Geometry rongchang = byCode.get("500153");
    Geometry coreBorder = core.getBoundary().intersection(jiangbei.getBoundary());
    List<Geometry> all = new ArrayList<>();
    DistrictCleaner.chongqing().districts().forEach(d -> all.add(d.geometry()));
    Geometry cityEdge = WebMercator.project(CascadedPolygonUnion.union(all).getBoundary());
    Geometry rongchangEdge = rongchang.getBoundary().intersection(cityEdge.buffer(50));
    assertThat(coreBorder.getLength()).as("渝中 and 江北 share a border").isGreaterThan(1000);
    assertThat(rongchangEdge.getLength()).as("荣昌 lies on the city's edge").isGreaterThan(1000);

    Map<String, List<TileCoord>> out = new LinkedHashMap<>();
    out.put("urban core", pick(t -> core.contains(GF.createPoint(t.bounds().centre()))));
    out.put(
        "rural",
        pick(
            t ->
                rongchang.contains(GF.toGeometry(t.bounds()))
                    && !t.bounds().contains(centreOf(rongchang))));
    out.put("district border", pick(t -> GF.toGeometry(t.bounds()).intersects(coreBorder)));
    out.put("city edge", pick(t -> GF.toGeometry(t.bounds()).intersects(rongchangEdge)));
    return out;
  }

  private static Coordinate centreOf(Geometry g) {
    return g.getInteriorPoint().getCoordinate();
  }

  private static TreeMap<Long, Integer> gridsPerTile;

  private static List<TileCoord> pick(java.util.function.Predicate<TileCoord> kind) {
    if (gridsPerTile == null) {
      // candidate tiles: every z14 tile a grid's envelope touches, with how many grids touch it
      gridsPerTile = new TreeMap<>();
      for (Geometry g : gridsZ14.values()) {
        Envelope e = g.getEnvelopeInternal();
        TileCoord lo = TileCoord.containing(e.getMinX(), e.getMaxY(), Z);
        TileCoord hi = TileCoord.containing(e.getMaxX(), e.getMinY(), Z);
        for (int x = lo.x(); x <= hi.x(); x++) {
          for (int y = lo.y(); y <= hi.y(); y++) {
            gridsPerTile.merge(TileCoord.ofXYZ(x, y, Z).encoded(), 1, Integer::sum);
          }
        }
      }
    }
    List<TileCoord> candidates = new ArrayList<>();
    gridsPerTile.forEach(
        (k, n) -> {
          TileCoord t = TileCoord.decode(k);
          if (n >= 6 && kind.test(t)) {
            candidates.add(t);
          }
        });
    List<TileCoord> chosen = new ArrayList<>();
    int want = Math.min(6, candidates.size());
    for (int i = 0; i < want; i++) {
      chosen.add(candidates.get(i * candidates.size() / want));
    }
    return chosen;
  }

  private static JsonNode decodeWithNode(Path tile) throws IOException, InterruptedException {
    Path tool = NodeTool.decodeScript();
    Process p =
        new ProcessBuilder("node", tool.toString(), tile.toString())
            .redirectErrorStream(false)
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    String err = new String(p.getErrorStream().readAllBytes());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("node decode.js failed: " + err).isZero();
    return JSON.readTree(out);
  }
}
