package io.gridmap.server.ogc;

import static io.gridmap.server.ogc.OgcTesting.JSON;
import static io.gridmap.server.ogc.OgcTesting.enc;
import static io.gridmap.server.ogc.OgcTesting.json;
import static io.gridmap.server.ogc.OgcTesting.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.server.testing.PostgisOracle;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;

/**
 * OGC API - Features Part 2 (CRS) over HTTP: crs, bbox-crs, Content-Crs and axis order, checked
 * against PostGIS's ST_Transform (an independent projection implementation, PROJ) and against
 * hand-swapped axes.
 */
class OgcCrsTest {
  static final String CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
  static final String EPSG4326 = "http://www.opengis.net/def/crs/EPSG/0/4326";
  static final String EPSG4490 = "http://www.opengis.net/def/crs/EPSG/0/4490";
  static final String EPSG3857 = "http://www.opengis.net/def/crs/EPSG/0/3857";
  static TestServer server;
  static Dataset city;
  static PostgisOracle pg;

  @BeforeAll
  static void start() throws Exception {
    city = TestCity.small();
    server = TestServer.start(city);
    pg = new PostgisOracle();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    pg.close();
  }

  private static JsonNode item(String collection, long id, String crs) throws Exception {
    var res =
        server.getText(
            "/collections/"
                + collection
                + "/items/"
                + id
                + (crs == null ? "" : "?crs=" + enc(crs)));
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("Content-Crs"))
        .hasValue("<" + (crs == null ? CRS84 : crs) + ">");
    return JSON.readTree(res.body());
  }

  @Test
  void defaultIsCrs84LongitudeFirstAsStored() throws Exception {
    Feature g = city.layer("grids").features().get(3);
    JsonNode ring = item("grids", g.id(), null).at("/geometry/coordinates");
    JsonNode first =
        g.geometry().getGeometryType().equals("Polygon")
            ? ring.get(0).get(0)
            : ring.get(0).get(0).get(0);
    Coordinate c = g.geometry().getCoordinates()[0];
    assertThat(first.get(0).asDouble()).isEqualTo(c.x);
    assertThat(first.get(1).asDouble()).isEqualTo(c.y);
  }

  @Test
  void epsg4326And4490AreLatitudeFirstAndAgreeWithPostgis() throws Exception {
    Feature e = city.layer("events").features().get(11);
    Coordinate c = e.geometry().getCoordinate();
    for (String crs : new String[] {EPSG4326, EPSG4490}) {
      JsonNode p = item("events", e.id(), crs).at("/geometry/coordinates");
      assertThat(p.get(0).asDouble()).as(crs + " first axis is latitude").isEqualTo(c.y);
      assertThat(p.get(1).asDouble()).isEqualTo(c.x);
      int srid = crs.endsWith("4490") ? 4490 : 4326;
      // PostGIS keeps x = longitude internally whatever the EPSG axis order says
      double[] oracle =
          pg.xy(
              "SELECT ST_Y(t), ST_X(t) FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(?, ?), 4326), ?) AS t) q",
              c.x,
              c.y,
              srid);
      assertThat(p.get(0).asDouble()).isCloseTo(oracle[0], within(1e-9));
      assertThat(p.get(1).asDouble()).isCloseTo(oracle[1], within(1e-9));
    }
  }

  @Test
  void epsg3857AgreesWithPostgisTransformToTheMillimetre() throws Exception {
    for (int i : new int[] {0, 500, 1500}) {
      Feature g = city.layer("grids").features().get(i);
      JsonNode geom = item("grids", g.id(), EPSG3857).get("geometry");
      JsonNode ring =
          geom.get("type").asText().equals("Polygon")
              ? geom.at("/coordinates/0")
              : geom.at("/coordinates/0/0");
      Coordinate[] cs = g.geometry().getCoordinates();
      for (int k = 0; k < Math.min(5, ring.size()); k++) {
        double[] oracle =
            pg.xy(
                "SELECT ST_X(t), ST_Y(t) FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(?, ?), 4326), 3857) AS t) q",
                cs[k].x,
                cs[k].y);
        assertThat(ring.get(k).get(0).asDouble()).isCloseTo(oracle[0], within(0.001));
        assertThat(ring.get(k).get(1).asDouble()).isCloseTo(oracle[1], within(0.001));
      }
    }
  }

  private static Set<Long> ids(String path) throws Exception {
    Set<Long> out = new HashSet<>();
    json(server, path).get("features").forEach(f -> out.add(f.get("id").asLong()));
    return out;
  }

  @Test
  void bboxCrsReadsTheBoxInThatCrsAxisOrder() throws Exception {
    Set<Long> lonLat = ids("/collections/events/items?limit=10000&bbox=106.55,29.55,106.58,29.57");
    assertThat(lonLat).isNotEmpty();
    assertThat(
            ids(
                "/collections/events/items?limit=10000&bbox=29.55,106.55,29.57,106.58&bbox-crs="
                    + enc(EPSG4326)))
        .isEqualTo(lonLat);
    assertThat(
            ids(
                "/collections/events/items?limit=10000&bbox=29.55,106.55,29.57,106.58&bbox-crs="
                    + enc(EPSG4490)))
        .isEqualTo(lonLat);
    assertThat(
            ids(
                "/collections/events/items?limit=10000&bbox=106.55,29.55,106.58,29.57&bbox-crs="
                    + enc(CRS84)))
        .isEqualTo(lonLat);
    double[] lo =
        pg.xy(
            "SELECT ST_X(t), ST_Y(t) FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(106.55, 29.55), 4326), 3857) AS t) q");
    double[] hi =
        pg.xy(
            "SELECT ST_X(t), ST_Y(t) FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(106.58, 29.57), 4326), 3857) AS t) q");
    Set<Long> merc =
        ids(
            "/collections/events/items?limit=10000&bbox-crs="
                + enc(EPSG3857)
                + "&bbox="
                + lo[0]
                + ","
                + lo[1]
                + ","
                + hi[0]
                + ","
                + hi[1]);
    // the same box up to rounding of its edges: allow points within a centimetre of an edge to
    // differ
    Set<Long> diff = new HashSet<>(merc);
    diff.removeAll(lonLat);
    Set<Long> missing = new HashSet<>(lonLat);
    missing.removeAll(merc);
    assertThat(diff.size() + missing.size()).isLessThanOrEqualTo(0);
    // a lat-first box sent as CRS84 puts latitude 106 on the second axis: refused, naming the order
    problem(
        server,
        "/collections/events/items?limit=10&bbox=29.55,106.55,29.57,106.58",
        400,
        "bbox",
        "'29.55,106.55,29.57,106.58'",
        "longitude, latitude order");
  }

  @Test
  void itemsPagesCarryContentCrsAndCoordinatesInTheRequestedCrs() throws Exception {
    var res = server.getText("/collections/events/items?limit=5&crs=" + enc(EPSG4326));
    assertThat(res.headers().firstValue("Content-Crs")).hasValue("<" + EPSG4326 + ">");
    JsonNode page = JSON.readTree(res.body());
    for (JsonNode f : page.get("features")) {
      Feature e =
          city.layer("events").features().stream()
              .filter(x -> x.id() == f.get("id").asLong())
              .findFirst()
              .orElseThrow();
      assertThat(f.at("/geometry/coordinates/0").asDouble())
          .isEqualTo(e.geometry().getCoordinate().y);
    }
    var merc = server.getText("/collections/events/items?limit=1&crs=" + enc("EPSG:3857"));
    assertThat(merc.headers().firstValue("Content-Crs")).hasValue("<" + EPSG3857 + ">");
    assertThat(JSON.readTree(merc.body()).at("/features/0/geometry/coordinates/0").asDouble())
        .isGreaterThan(1e7);
  }

  @Test
  void collectionsListTheFourCrsAndCrs84AsStorage() throws Exception {
    JsonNode c = json(server, "/collections/grids");
    Set<String> crs = new HashSet<>(c.get("crs").findValuesAsText("x"));
    c.get("crs").forEach(n -> crs.add(n.asText()));
    assertThat(crs).contains(CRS84, EPSG4326, EPSG4490, EPSG3857);
    assertThat(c.get("storageCrs").asText()).isEqualTo(CRS84);
  }

  @Test
  void unknownCrsAndOutOfRangeBoxesAre400() throws Exception {
    problem(
        server,
        "/collections/grids/items?crs=" + enc("http://www.opengis.net/def/crs/EPSG/0/2000"),
        400,
        "crs",
        "EPSG/0/2000'",
        EPSG4490);
    problem(server, "/collections/grids/items/1?crs=nope", 400, "crs", "'nope'", CRS84);
    problem(
        server,
        "/collections/grids/items?bbox=106.5,29.5,106.6,29.6&bbox-crs=" + enc(EPSG4326),
        400,
        "bbox",
        "'106.5,29.5,106.6,29.6'",
        "latitude, longitude");
  }
}
