package io.gridmap.bench.edits;

import io.gridmap.layers.edit.GridOperations;
import io.gridmap.layers.generalise.CoverageGeneraliser;
import io.gridmap.layers.geo.WebMercator;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.Stores;
import io.gridmap.tiler.geo.TileCoord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.Polygon;

/**
 * Issue 13, point 9: the time from an edit request to the new tile being served, per operation,
 * against a running server on a copy of the city, with the present full re-generalisation of the
 * grid layer as the baseline in the same run.
 *
 * <p>For each round and operation: the z14 tile where the edit lands is fetched (cached), the edit
 * is sent, and once it is answered the same tile is fetched again; the figure is from sending the
 * edit to having the new tile's bytes, and the tile must have a new ETag (else the round fails: a
 * tile served from before the edit is no figure). Operations: a rename (PATCH), a boundary slid
 * inside a village (POST /edits/grids), a boundary slid between two villages (both villages'
 * outlines follow), those two villages' outlines put back as they were with their grids following
 * (POST /edits/villages), the revert of the village redraw, a grid split by a line (POST
 * /edits/grids/{fid}/split), its two parts merged again (POST /edits/grids/merge), and a grid
 * created by a redraw with one more. Candidates are read from the server itself: a district's
 * grids, and a vertex two grids share (and no other grid) moved a few metres.
 *
 * <p>Usage: {@code EditBenchmark URL TOKEN_FILE STORE ROUNDS}; STORE is the city before the edits
 * (read for the baseline only), the server serves a copy of it.
 */
public final class EditBenchmark {
  private static final GeometryFactory GEOMETRY = new GeometryFactory();
  private final String base;
  private final String token;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private EditBenchmark(String base, String token) {
    this.base = base;
    this.token = token;
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println("usage: EditBenchmark URL TOKEN_FILE STORE ROUNDS");
      System.exit(2);
    }
    EditBenchmark b = new EditBenchmark(args[0], Files.readString(Path.of(args[1])).strip());
    int rounds = Integer.parseInt(args[3]);
    Map<String, List<double[]>> times = new LinkedHashMap<>();
    for (String op :
        List.of(
            "rename",
            "redraw",
            "redraw-two-villages",
            "village-outlines",
            "revert",
            "split",
            "merge",
            "create")) {
      times.put(op, new ArrayList<>());
    }
    List<String> districts = b.districts();
    int done = 0;
    for (int r = 0; done < rounds && r < rounds * 4 + districts.size(); r++) {
      String district = districts.get(r % districts.size());
      List<Grid> grids = b.grids(district);
      if (grids.isEmpty()) {
        continue; // a district of the outline layer that the (tiny) city has no grids in
      }
      Slide inVillage = Slide.find(grids, false, r);
      Slide across = null;
      for (int seed = r; seed < r + 5 && inVillage != null; seed++) {
        Slide s = Slide.find(grids, true, seed);
        // disjoint from the village redraw, which is reverted after it
        if (s != null
            && s.a().id() != inVillage.a().id()
            && s.a().id() != inVillage.b().id()
            && s.b().id() != inVillage.a().id()
            && s.b().id() != inVillage.b().id()) {
          across = s;
          break;
        }
      }
      if (inVillage == null || across == null) {
        continue;
      }
      times.get("rename").add(b.rename(inVillage.a(), "编辑基准" + r));
      double[] redraw = b.redraw(inVillage);
      if (redraw == null) {
        continue;
      }
      times.get("redraw").add(redraw);
      Map<String, String> villagesBefore = b.villages(across.a().village(), across.b().village());
      double[] two = b.redraw(across);
      if (two != null) {
        times.get("redraw-two-villages").add(two);
        // the two villages' outlines put back as they were, their grids following
        times.get("village-outlines").add(b.villageRedraw(villagesBefore, across.to()));
      }
      times.get("revert").add(b.revert(inVillage));
      // split a grid the slides left alone, merge its two parts again, create a grid in another
      java.util.Set<Long> taken =
          java.util.Set.of(
              inVillage.a().id(), inVillage.b().id(), across.a().id(), across.b().id());
      List<Grid> free = grids.stream().filter(g -> !taken.contains(g.id())).toList();
      double[][] splitMerge = b.splitAndMerge(free, r);
      if (splitMerge != null) {
        times.get("split").add(splitMerge[0]);
        times.get("merge").add(splitMerge[1]);
      }
      double[] created = b.create(free, r + 7);
      if (created != null) {
        times.get("create").add(created);
      }
      done++;
    }
    if (done == 0) {
      throw new IllegalStateException("no district had grids to slide a boundary between");
    }
    for (Map.Entry<String, List<double[]>> e : times.entrySet()) {
      report(e.getKey(), e.getValue());
    }
    baseline(args[2]);
  }

  /** One grid as the server answers it. */
  record Grid(long id, String village, Coordinate[][] rings, Coordinate label) {}

  private List<String> districts() throws IOException, InterruptedException {
    JsonObject fc = new JsonObject(get("/collections/districts/items?limit=100").body());
    List<String> out = new ArrayList<>();
    for (Object f : fc.getJsonArray("features")) {
      out.add(((JsonObject) f).getJsonObject("properties").getString("code"));
    }
    out.sort(null);
    return out;
  }

  private List<Grid> grids(String district) throws IOException, InterruptedException {
    String filter = URLEncoder.encode("district_code='" + district + "'", StandardCharsets.UTF_8);
    JsonObject fc =
        new JsonObject(get("/collections/grids/items?limit=10000&filter=" + filter).body());
    List<Grid> out = new ArrayList<>();
    for (Object o : fc.getJsonArray("features")) {
      JsonObject f = (JsonObject) o;
      JsonObject g = f.getJsonObject("geometry");
      JsonArray polygon =
          "MultiPolygon".equals(g.getString("type"))
              ? g.getJsonArray("coordinates").getJsonArray(0)
              : g.getJsonArray("coordinates");
      Coordinate[][] rings = new Coordinate[polygon.size()][];
      for (int i = 0; i < rings.length; i++) {
        JsonArray ring = polygon.getJsonArray(i);
        rings[i] = new Coordinate[ring.size()];
        for (int j = 0; j < ring.size(); j++) {
          JsonArray p = ring.getJsonArray(j);
          rings[i][j] = new Coordinate(p.getDouble(0), p.getDouble(1));
        }
      }
      Coordinate label = rings[0][0];
      out.add(
          new Grid(
              f.getLong("id"),
              f.getJsonObject("properties").getString("village_code"),
              rings,
              label));
    }
    return out;
  }

  /** {sent to answered, sent to new tile} in ms, for a PATCH of a grid's name. */
  private double[] rename(Grid g, String name) throws IOException, InterruptedException {
    String tile = tilePath(g.rings()[0][0]);
    String before = get(tile).headers().firstValue("ETag").orElse("");
    long t0 = System.nanoTime();
    HttpResponse<String> r =
        send(
            "PATCH",
            "/collections/grids/items/" + g.id(),
            "{\"properties\":{\"name\":\"" + name + "\"}}",
            "application/merge-patch+json");
    expect(r, "PATCH of grid " + g.id());
    return toTile(t0, tile, before);
  }

  /** The same for a redraw; null when the server refuses the slide (not a figure). */
  private double[] redraw(Slide s) throws IOException, InterruptedException {
    String tile = tilePath(s.to());
    String before = get(tile).headers().firstValue("ETag").orElse("");
    long t0 = System.nanoTime();
    HttpResponse<String> r = send("POST", "/edits/grids", s.body(), "application/geo+json");
    if (r.statusCode() == 422) {
      System.err.println("EditBenchmark: a slide refused, skipped: " + r.body());
      return null;
    }
    expect(r, "redraw of grids " + s.a().id() + " and " + s.b().id());
    return toTile(t0, tile, before);
  }

  /** The revert of the redraw that last changed grid a. */
  private double[] revert(Slide s) throws IOException, InterruptedException {
    JsonArray versions =
        new JsonObject(get("/history/grids/" + s.a().id()).body()).getJsonArray("versions");
    long seq = -1;
    for (Object o : versions) {
      JsonObject v = (JsonObject) o;
      if ("grids.redraw".equals(v.getString("action"))) {
        seq = v.getLong("seq");
      }
    }
    String tile = tilePath(s.to());
    String before = get(tile).headers().firstValue("ETag").orElse("");
    long t0 = System.nanoTime();
    HttpResponse<String> r = send("POST", "/edits/" + seq + "/revert", "", "application/json");
    expect(r, "revert of edit " + seq);
    return toTile(t0, tile, before);
  }

  /** Village code -> its outline as GeoJSON, as the server answers it now. */
  private Map<String, String> villages(String... codes) throws IOException, InterruptedException {
    Map<String, String> out = new LinkedHashMap<>();
    for (String code : codes) {
      HttpResponse<String> r = get("/collections/villages/items/" + code);
      expect(r, "village " + code);
      out.put(code, new JsonObject(r.body()).getJsonObject("geometry").encode());
    }
    return out;
  }

  /** {sent to answered, sent to new tile} for POST /edits/villages with the given outlines. */
  private double[] villageRedraw(Map<String, String> outlines, Coordinate at)
      throws IOException, InterruptedException {
    List<String> features = new ArrayList<>();
    outlines.forEach(
        (code, g) ->
            features.add("{\"type\":\"Feature\",\"id\":\"" + code + "\",\"geometry\":" + g + "}"));
    String body =
        "{\"type\":\"FeatureCollection\",\"features\":[" + String.join(",", features) + "]}";
    String tile = tilePath(at);
    String before = get(tile).headers().firstValue("ETag").orElse("");
    long t0 = System.nanoTime();
    HttpResponse<String> r = send("POST", "/edits/villages", body, "application/geo+json");
    expect(r, "village redraw of " + outlines.keySet());
    return toTile(t0, tile, before);
  }

  /** A west-east line across the middle of a grid's outline, from outside it to outside it. */
  private static LineString across(Grid g) {
    Polygon p = polygon(g);
    Envelope e = p.getEnvelopeInternal();
    return GEOMETRY.createLineString(
        new Coordinate[] {
          new Coordinate(e.getMinX() - 0.0005, e.centre().y),
          new Coordinate(e.getMaxX() + 0.0005, e.centre().y)
        });
  }

  private static Polygon polygon(Grid g) {
    org.locationtech.jts.geom.LinearRing[] holes =
        new org.locationtech.jts.geom.LinearRing[g.rings().length - 1];
    for (int i = 1; i < g.rings().length; i++) {
      holes[i - 1] = GEOMETRY.createLinearRing(g.rings()[i]);
    }
    return GEOMETRY.createPolygon(GEOMETRY.createLinearRing(g.rings()[0]), holes);
  }

  private static String geojson(org.locationtech.jts.geom.Geometry g) {
    org.locationtech.jts.io.geojson.GeoJsonWriter w =
        new org.locationtech.jts.io.geojson.GeoJsonWriter(7);
    w.setEncodeCRS(false);
    return w.write(g);
  }

  /**
   * {split, merge}: the first of a few grids whose middle line the server's dry run accepts is
   * split, then its two parts merged again; null when none is accepted.
   */
  private double[][] splitAndMerge(List<Grid> free, int seed)
      throws IOException, InterruptedException {
    for (int k = 0; k < Math.min(8, free.size()); k++) {
      Grid g = free.get((seed * 31 + k) % free.size());
      String body = "{\"line\":" + geojson(across(g)) + "}";
      String path = "/edits/grids/" + g.id() + "/split";
      if (send("POST", path + "?dryRun=true", body, "application/json").statusCode() != 200) {
        continue;
      }
      String tile = tilePath(g.rings()[0][0]);
      String before = get(tile).headers().firstValue("ETag").orElse("");
      long t0 = System.nanoTime();
      HttpResponse<String> r = send("POST", path, body, "application/json");
      expect(r, "split of grid " + g.id());
      double[] split = toTile(t0, tile, before);
      JsonArray parts = new JsonObject(r.body()).getJsonArray("features");
      String merge =
          "{\"grids\":[\""
              + parts.getJsonObject(0).getLong("id")
              + "\",\""
              + parts.getJsonObject(1).getLong("id")
              + "\"]}";
      before = get(tile).headers().firstValue("ETag").orElse("");
      t0 = System.nanoTime();
      HttpResponse<String> m = send("POST", "/edits/grids/merge", merge, "application/json");
      expect(m, "merge of " + merge);
      return new double[][] {split, toTile(t0, tile, before)};
    }
    return null;
  }

  /**
   * A grid created: a grid's outline redrawn as the part of it north of its middle line, the part
   * south of it a new grid, in one POST /edits/grids; null when no candidate is accepted.
   */
  private double[] create(List<Grid> free, int seed) throws IOException, InterruptedException {
    for (int k = 0; k < Math.min(8, free.size()); k++) {
      Grid g = free.get((seed * 17 + k) % free.size());
      List<Polygon> parts = GridOperations.cut(polygon(g), across(g));
      if (parts.size() != 2) {
        continue;
      }
      String body =
          "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"id\":"
              + g.id()
              + ",\"geometry\":"
              + geojson(parts.get(0))
              + "},{\"type\":\"Feature\",\"geometry\":"
              + geojson(parts.get(1))
              + "}]}";
      if (send("POST", "/edits/grids?dryRun=true", body, "application/geo+json").statusCode()
          != 200) {
        continue;
      }
      String tile = tilePath(g.rings()[0][0]);
      String before = get(tile).headers().firstValue("ETag").orElse("");
      long t0 = System.nanoTime();
      HttpResponse<String> r = send("POST", "/edits/grids", body, "application/geo+json");
      expect(r, "create beside grid " + g.id());
      return toTile(t0, tile, before);
    }
    return null;
  }

  private double[] toTile(long t0, String tile, String before)
      throws IOException, InterruptedException {
    long answered = System.nanoTime();
    HttpResponse<String> after = get(tile);
    long served = System.nanoTime();
    String now = after.headers().firstValue("ETag").orElse("");
    if (after.statusCode() != 200 || now.equals(before)) {
      throw new IllegalStateException(
          "tile "
              + tile
              + " after the edit: "
              + after.statusCode()
              + ", ETag "
              + now
              + " (before "
              + before
              + ")");
    }
    return new double[] {(answered - t0) / 1e6, (served - t0) / 1e6};
  }

  static String tilePath(Coordinate lonLat) {
    TileCoord t = TileCoord.containing(WebMercator.x(lonLat.x), WebMercator.y(lonLat.y), 14);
    return "/tiles/cq/14/" + t.x() + "/" + t.y() + ".mvt";
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Authorization", "Bearer " + token)
            .timeout(Duration.ofSeconds(120))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.ISO_8859_1));
  }

  private HttpResponse<String> send(String method, String path, String body, String type)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", type)
            .timeout(Duration.ofSeconds(120))
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void expect(HttpResponse<String> r, String what) {
    if (r.statusCode() != 200) {
      throw new IllegalStateException(what + " answered " + r.statusCode() + ": " + r.body());
    }
  }

  private static void report(String op, List<double[]> t) {
    if (t.isEmpty()) {
      System.out.println("EditBenchmark " + op + ": no round");
      return;
    }
    double[] answered = t.stream().mapToDouble(x -> x[0]).sorted().toArray();
    double[] tile = t.stream().mapToDouble(x -> x[1]).sorted().toArray();
    System.out.printf(
        Locale.ROOT,
        "EditBenchmark %-20s n=%d  answered p50 %.0f ms, max %.0f ms;  new z14 tile served p50 %.0f ms, p90 %.0f ms, max %.0f ms%n",
        op,
        t.size(),
        pct(answered, 0.5),
        answered[answered.length - 1],
        pct(tile, 0.5),
        pct(tile, 0.9),
        tile[tile.length - 1]);
  }

  private static double pct(double[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
  }

  /**
   * The baseline: what an edit would cost if it regenerated the layer's tile geometry whole, as the
   * import and generate do (CoverageGeneraliser over every grid, every zoom).
   */
  private static void baseline(String store) {
    Dataset city;
    try (FeatureStore s = Stores.open(store)) {
      city = s.read();
    }
    Layer grids = city.layer("grids");
    long t0 = System.nanoTime();
    Map<Integer, ?> out = CoverageGeneraliser.generalise(grids);
    long t1 = System.nanoTime();
    System.out.printf(
        Locale.ROOT,
        "EditBenchmark baseline: the grid layer generalised whole (%d grids, zooms %s): %.0f ms%n",
        grids.features().size(),
        Arrays.toString(out.keySet().stream().sorted().toArray()),
        (t1 - t0) / 1e6);
  }
}
