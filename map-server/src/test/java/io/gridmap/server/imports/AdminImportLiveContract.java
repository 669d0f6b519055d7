package io.gridmap.server.imports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridmap.importer.geo.FixedGrid;
import io.gridmap.layers.geo.WebMercator;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Feature;
import io.gridmap.server.security.Role;
import io.gridmap.server.testing.TestServer;
import io.gridmap.tiler.geo.TileCoord;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.io.geojson.GeoJsonWriter;
import org.locationtech.jts.operation.overlayng.OverlayNG;

/**
 * {@code POST /imports} into an admin layer of a running server, for each store: the file becomes
 * changes through the one writer, served at once (items, locate, counts, tiles) without a restart,
 * audited, and only the tiles it touches are drawn again; a hierarchy that would not hold is a 422
 * with every problem and nothing written; a dry run writes nothing; a planner outside the village
 * is 403.
 */
abstract class AdminImportLiveContract {
  static final ObjectMapper JSON = new ObjectMapper();

  TestServer server;
  String admin;

  /** A server on a fresh store holding the small test city. */
  abstract TestServer start() throws Exception;

  @BeforeEach
  void up() throws Exception {
    server = start();
    admin = server.bearer(Role.ADMIN, "");
  }

  @AfterEach
  void down() throws Exception {
    server.close();
  }

  LayerIndex layer(String name) {
    return server.server().content().index().layer(name);
  }

  /** The grids of one village, by code, as the server holds them. */
  Map<String, Geometry> gridsOf(String village) {
    LayerIndex grids = layer("grids");
    int code = grids.def().requireField("code");
    Map<String, Geometry> out = new LinkedHashMap<>();
    for (Feature f : grids.features()) {
      if (f.string(code).startsWith(village)) {
        out.put(f.string(code), f.geometry());
      }
    }
    return out;
  }

  /**
   * A village of 500103 with two grids that share a boundary of at least one long segment: {code of
   * the village, code of grid A, code of grid B}.
   */
  String[] neighbours() {
    LayerIndex villages = layer("villages");
    int code = villages.def().requireField("code");
    for (Feature v : villages.features()) {
      Map<String, Geometry> grids = gridsOf(v.string(code));
      List<String> codes = new ArrayList<>(grids.keySet());
      for (int i = 0; i < codes.size(); i++) {
        for (int j = i + 1; j < codes.size(); j++) {
          Geometry shared = grids.get(codes.get(i)).intersection(grids.get(codes.get(j)));
          if (shared.getDimension() == 1 && shared.getLength() > 0.002) {
            return new String[] {v.string(code), codes.get(i), codes.get(j)};
          }
        }
      }
    }
    throw new AssertionError("the test city has no village with two neighbouring grids");
  }

  /** A small box around the middle of the longest segment A and B share, inside A ∪ B. */
  static Geometry pieceAcross(Geometry a, Geometry b) {
    Geometry shared = a.intersection(b);
    Coordinate p = null;
    Coordinate q = null;
    double best = 0;
    for (int g = 0; g < shared.getNumGeometries(); g++) {
      if (!(shared.getGeometryN(g) instanceof LineString line)) {
        continue;
      }
      Coordinate[] cs = line.getCoordinates();
      for (int i = 1; i < cs.length; i++) {
        if (cs[i - 1].distance(cs[i]) > best) {
          best = cs[i - 1].distance(cs[i]);
          p = cs[i - 1];
          q = cs[i];
        }
      }
    }
    Coordinate m = new Coordinate((p.x + q.x) / 2, (p.y + q.y) / 2);
    double h = best / 8;
    Envelope box = new Envelope(m.x - h, m.x + h, m.y - h, m.y + h);
    return FixedGrid.FACTORY.toGeometry(box);
  }

  static Geometry round(Geometry g) {
    return OverlayNG.overlay(
        g, g.getFactory().createPolygon(), OverlayNG.UNION, FixedGrid.PRECISION);
  }

  /** A GeoJSON FeatureCollection of units: code -> outline, with extra properties. */
  static String file(Map<String, Geometry> units, Map<String, Map<String, String>> extra) {
    GeoJsonWriter w = new GeoJsonWriter(9);
    w.setEncodeCRS(false);
    List<String> features = new ArrayList<>();
    units.forEach(
        (code, g) -> {
          StringBuilder props = new StringBuilder("\"code\":\"" + code + "\"");
          extra
              .getOrDefault(code, Map.of())
              .forEach(
                  (k, v) -> props.append(",\"").append(k).append("\":\"").append(v).append('"'));
          features.add(
              "{\"type\":\"Feature\",\"properties\":{"
                  + props
                  + "},\"geometry\":"
                  + w.write(g)
                  + "}");
        });
    return "{\"type\":\"FeatureCollection\",\"features\":[" + String.join(",", features) + "]}";
  }

  HttpResponse<String> post(String query, String body, String auth) throws Exception {
    return server.send(
        "POST",
        "/imports?" + query,
        body,
        "Authorization",
        auth,
        "Content-Type",
        "application/geo+json");
  }

  long locate(Coordinate c) throws Exception {
    HttpResponse<String> res =
        server.getText(String.format(Locale.ROOT, "/query/locate?lon=%.7f&lat=%.7f", c.x, c.y));
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return JSON.readTree(res.body()).get("grid").get("id").asLong();
  }

  String etag(Coordinate c, int z) throws Exception {
    TileCoord t = TileCoord.containing(WebMercator.x(c.x), WebMercator.y(c.y), z);
    HttpResponse<byte[]> res = server.get("/tiles/cq/" + z + "/" + t.x() + "/" + t.y() + ".mvt");
    assertThat(res.statusCode()).isEqualTo(200);
    return res.headers().firstValue("ETag").orElseThrow();
  }

  /** A point far from 500103: inside Rongchang (500153). */
  Coordinate far() {
    LayerIndex districts = layer("districts");
    int code = districts.def().requireField("code");
    for (Feature f : districts.features()) {
      if (f.string(code).equals("500153")) {
        return f.geometry().getInteriorPoint().getCoordinate();
      }
    }
    throw new AssertionError("no 500153");
  }

  JsonNode item(String layer, long id) throws Exception {
    HttpResponse<String> res =
        server.getText("/collections/" + layer + "/items/" + id, "Authorization", admin);
    return res.statusCode() == 404 ? null : JSON.readTree(res.body());
  }

  @Test
  void aVillagesGridsRedrawnAreServedAtOnceAndOnlyTheirTilesChange() throws Exception {
    String[] n = neighbours();
    Map<String, Geometry> grids = gridsOf(n[0]);
    Geometry a = grids.get(n[1]);
    Geometry b = grids.get(n[2]);
    Geometry piece =
        OverlayNG.overlay(b, pieceAcross(a, b), OverlayNG.INTERSECTION, FixedGrid.PRECISION);
    Coordinate probe = piece.getInteriorPoint().getCoordinate();
    assertThat(locate(probe)).isEqualTo(Long.parseLong(n[2]));
    String overTag = etag(probe, 14);
    Coordinate far = far();
    String farTag = etag(far, 14);
    long versionBefore = server.server().content().index().layer("grids").size();

    Map<String, Geometry> redrawn = new LinkedHashMap<>(grids);
    redrawn.put(n[1], OverlayNG.overlay(a, piece, OverlayNG.UNION, FixedGrid.PRECISION));
    redrawn.put(n[2], OverlayNG.overlay(b, piece, OverlayNG.DIFFERENCE, FixedGrid.PRECISION));
    HttpResponse<String> res = post("layer=grids", file(redrawn, Map.of()), admin);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(201);
    JsonNode summary = JSON.readTree(res.body());
    assertThat(summary.get("written").asBoolean()).isTrue();
    assertThat(summary.get("changed").asInt()).isEqualTo(2);
    assertThat(summary.get("added").asInt()).isZero();
    assertThat(summary.get("retired").asInt()).isZero();
    assertThat(summary.get("changes").get("grids").get("changed").asInt()).isEqualTo(2);
    assertThat(res.headers().firstValue("Location").orElseThrow()).endsWith("/collections/grids");

    // served at once: locate, items, counts, and the tile over the moved boundary
    assertThat(locate(probe)).isEqualTo(Long.parseLong(n[1]));
    assertThat(layer("grids").size()).isEqualTo(versionBefore);
    assertThat(etag(probe, 14)).isNotEqualTo(overTag);
    assertThat(etag(far, 14)).isEqualTo(farTag);
    JsonNode itemA = item("grids", Long.parseLong(n[1]));
    assertThat(itemA).isNotNull();
    // audited as layer.import
    HttpResponse<String> audit =
        server.getText("/admin/audit?action=layer.import", "Authorization", admin);
    JsonNode entries = JSON.readTree(audit.body()).get("entries");
    assertThat(entries.findValuesAsText("target")).contains("grids");
  }

  @Test
  void aFileThatRetiresTwoGridsAndAddsTwoNewOnesMapsTheirForcesWithOldCode() throws Exception {
    String[] n = neighbours();
    Map<String, Geometry> grids = gridsOf(n[0]);
    Geometry a = grids.get(n[1]);
    Geometry b = grids.get(n[2]);
    Geometry piece =
        OverlayNG.overlay(b, pieceAcross(a, b), OverlayNG.INTERSECTION, FixedGrid.PRECISION);
    Coordinate probe = piece.getInteriorPoint().getCoordinate();
    String codeA = n[0] + "901";
    String codeB = n[0] + "902";
    Map<String, Geometry> file = new LinkedHashMap<>(grids);
    file.remove(n[1]);
    file.remove(n[2]);
    file.put(codeA, OverlayNG.overlay(a, piece, OverlayNG.UNION, FixedGrid.PRECISION));
    file.put(codeB, OverlayNG.overlay(b, piece, OverlayNG.DIFFERENCE, FixedGrid.PRECISION));
    List<Long> forcesOfA = forcesServing(n[1]);
    assertThat(forcesOfA).isNotEmpty();

    HttpResponse<String> res =
        post(
            "layer=grids",
            file(file, Map.of(codeA, Map.of("old_code", n[1]), codeB, Map.of("old_code", n[2]))),
            admin);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(201);
    JsonNode summary = JSON.readTree(res.body());
    assertThat(summary.get("added").asInt()).isEqualTo(2);
    assertThat(summary.get("retired").asInt()).isEqualTo(2);
    assertThat(summary.get("forces_moved").asInt()).isGreaterThanOrEqualTo(forcesOfA.size());

    assertThat(locate(probe)).isEqualTo(Long.parseLong(codeA));
    assertThat(item("grids", Long.parseLong(n[1]))).isNull();
    assertThat(item("grids", Long.parseLong(codeA))).isNotNull();
    assertThat(forcesServing(codeA)).containsAll(forcesOfA);
    assertThat(forcesServing(n[1])).isEmpty();
    // counts by grid answer the new codes at once, and no longer the old ones
    HttpResponse<String> counts =
        server.getText("/query/counts?collection=forces&by=grid", "Authorization", admin);
    assertThat(counts.statusCode()).as(counts.body()).isEqualTo(200);
    Map<String, Long> byGrid = new LinkedHashMap<>();
    JSON.readTree(counts.body())
        .get("groups")
        .forEach(g -> byGrid.put(g.get("key").asText(), g.get("count").asLong()));
    assertThat(byGrid).containsEntry(codeA, (long) forcesServing(codeA).size());
    assertThat(byGrid).doesNotContainKeys(n[1], n[2]);
    // the new grid's worker is the old one's
    LayerIndex gi = layer("grids");
    Feature newA = gi.byId(Long.parseLong(codeA)).orElseThrow();
    assertThat(forcesOfA).contains((Long) newA.value(gi.def().requireField("worker_id")));
  }

  @Test
  void aStreetsVillagesWithNewValuesAreServedAtOnceAndTheirSumsGoUpTheHierarchy() throws Exception {
    String village = neighbours()[0];
    String street = village.substring(0, 9);
    LayerIndex villages = layer("villages");
    int code = villages.def().requireField("code");
    Map<String, Geometry> mine = new LinkedHashMap<>();
    Map<String, Map<String, String>> values = new LinkedHashMap<>();
    for (Feature v : villages.features()) {
      if (v.string(code).startsWith(street)) {
        mine.put(v.string(code), v.geometry());
        values.put(v.string(code), Map.of("population", "1000"));
      }
    }
    values.put(village, Map.of("population", "1000", "name", "Renamed community"));
    HttpResponse<String> res = post("layer=villages", file(mine, values), admin);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(201);
    JsonNode summary = JSON.readTree(res.body());
    assertThat(summary.get("retired").asInt()).isZero();
    assertThat(summary.get("changes").has("streets")).as(res.body()).isTrue();

    JsonNode renamed = item("villages", Long.parseLong(village));
    assertThat(renamed.get("properties").get("name").asText()).isEqualTo("Renamed community");
    JsonNode s = item("streets", Long.parseLong(street));
    assertThat(s.get("properties").get("population").asLong()).isEqualTo(1000L * mine.size());
  }

  List<Long> forcesServing(String grid) {
    LayerIndex forces = layer("forces");
    int g = forces.def().requireField("grid_code");
    List<Long> out = new ArrayList<>();
    for (Feature f : forces.features()) {
      if (grid.equals(f.string(g))) {
        out.add(f.id());
      }
    }
    return out;
  }

  @Test
  void anOverlapIsA422ListingEachProblemWithItsGeometryAndNothingIsWritten() throws Exception {
    String[] n = neighbours();
    Map<String, Geometry> grids = gridsOf(n[0]);
    Geometry a = grids.get(n[1]);
    Geometry b = grids.get(n[2]);
    Geometry piece =
        OverlayNG.overlay(b, pieceAcross(a, b), OverlayNG.INTERSECTION, FixedGrid.PRECISION);
    Map<String, Geometry> file = new LinkedHashMap<>(grids);
    file.put(n[1], OverlayNG.overlay(a, piece, OverlayNG.UNION, FixedGrid.PRECISION)); // B keeps it
    Coordinate probe = piece.getInteriorPoint().getCoordinate();
    String tag = etag(probe, 14);

    HttpResponse<String> res = post("layer=grids", file(file, Map.of()), admin);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(422);
    assertThat(res.headers().firstValue("Content-Type").orElse("")).contains("problem+json");
    JsonNode problem = JSON.readTree(res.body());
    assertThat(problem.get("violations").findValuesAsText("rule")).contains("overlap");
    JsonNode overlap = problem.get("violations").get(0);
    assertThat(overlap.get("geometry").get("type").asText()).contains("Polygon");
    assertThat(problem.get("detail").asText()).contains("repair=true");
    assertThat(locate(probe)).isEqualTo(Long.parseLong(n[2]));
    assertThat(etag(probe, 14)).isEqualTo(tag);
    assertThat(layer("grids").byId(Long.parseLong(n[1])).orElseThrow().geometry().equalsExact(a))
        .isTrue();
  }

  @Test
  void aDryRunAnswersTheSummaryAndWritesNothing() throws Exception {
    String[] n = neighbours();
    Map<String, Geometry> grids = gridsOf(n[0]);
    Geometry a = grids.get(n[1]);
    Geometry b = grids.get(n[2]);
    Geometry piece =
        OverlayNG.overlay(b, pieceAcross(a, b), OverlayNG.INTERSECTION, FixedGrid.PRECISION);
    Map<String, Geometry> redrawn = new LinkedHashMap<>(grids);
    redrawn.put(n[1], OverlayNG.overlay(a, piece, OverlayNG.UNION, FixedGrid.PRECISION));
    redrawn.put(n[2], OverlayNG.overlay(b, piece, OverlayNG.DIFFERENCE, FixedGrid.PRECISION));
    Coordinate probe = piece.getInteriorPoint().getCoordinate();
    String tag = etag(probe, 14);

    HttpResponse<String> res = post("layer=grids&dryRun=true", file(redrawn, Map.of()), admin);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    JsonNode summary = JSON.readTree(res.body());
    assertThat(summary.get("written").asBoolean()).isFalse();
    assertThat(summary.get("changed").asInt()).isEqualTo(2);
    assertThat(summary.get("problems").size()).isZero();
    assertThat(locate(probe)).isEqualTo(Long.parseLong(n[2]));
    assertThat(etag(probe, 14)).isEqualTo(tag);
    HttpResponse<String> audit =
        server.getText("/admin/audit?action=layer.import", "Authorization", admin);
    assertThat(JSON.readTree(audit.body()).get("entries").size()).isZero();
  }

  @Test
  void aPlannerOfAnotherVillageIs403AndOneOfTheVillageImports() throws Exception {
    String[] n = neighbours();
    Map<String, Geometry> grids = gridsOf(n[0]);
    Geometry a = grids.get(n[1]);
    Geometry b = grids.get(n[2]);
    Geometry piece =
        OverlayNG.overlay(b, pieceAcross(a, b), OverlayNG.INTERSECTION, FixedGrid.PRECISION);
    Map<String, Geometry> redrawn = new LinkedHashMap<>(grids);
    redrawn.put(n[1], OverlayNG.overlay(a, piece, OverlayNG.UNION, FixedGrid.PRECISION));
    redrawn.put(n[2], OverlayNG.overlay(b, piece, OverlayNG.DIFFERENCE, FixedGrid.PRECISION));
    LayerIndex villages = layer("villages");
    int code = villages.def().requireField("code");
    String other = null;
    for (Feature v : villages.features()) {
      if (!v.string(code).equals(n[0])) {
        other = v.string(code);
        break;
      }
    }
    HttpResponse<String> refused =
        post("layer=grids", file(redrawn, Map.of()), server.bearer(Role.PLANNER, other));
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
    assertThat(JSON.readTree(refused.body()).get("detail").asText())
        .contains("outside scope " + other);
    Coordinate probe = piece.getInteriorPoint().getCoordinate();
    assertThat(locate(probe)).isEqualTo(Long.parseLong(n[2]));

    HttpResponse<String> ok =
        post("layer=grids", file(redrawn, Map.of()), server.bearer(Role.PLANNER, n[0]));
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
    assertThat(locate(probe)).isEqualTo(Long.parseLong(n[1]));
  }
}
