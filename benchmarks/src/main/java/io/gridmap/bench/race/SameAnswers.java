package io.gridmap.bench.race;

import io.gridmap.tiler.geo.TileCoord;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The check before any timing counts: every sampled tile fetched from both sides, decoded, and per
 * layer the feature ids compared, then per feature its geometry type and attributes; every sampled
 * point located by both and the answers' grid, village, street, district and worker compared. Any
 * difference, and any answer other than 200 or 204 (404 for a point in no grid, on both), is
 * recorded with the tile, layer and ids; the race stops after this check if there is one. The one
 * tolerance: a polygon of at most one square unit drawn by one side only (see {@link #sliver}).
 */
final class SameAnswers {
  /** Differences printed in full; the rest are counted. */
  private static final int SHOWN = 40;

  private final Side ours;
  private final Side postgis;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final List<String> differences = new ArrayList<>();
  private final List<String> slivers = new ArrayList<>();

  /** The largest polygon, in square tile units, that may be drawn by one side only. */
  static final double SLIVER_AREA = 1.0;

  /** Per "z|target|layer": tiles compared, features compared, tiles where both had none. */
  private final Map<String, long[]> tallies = new TreeMap<>();

  SameAnswers(Side ours, Side postgis) {
    this.ours = ours;
    this.postgis = postgis;
  }

  List<String> differences() {
    return differences;
  }

  /** One tile, whole-map ({@code single} null) or one layer's. */
  void tile(TileCoord t, RaceLayer single) throws IOException, InterruptedException {
    String target = single == null ? "whole" : "layer";
    String where = t + " " + (single == null ? "whole-map tile" : single.name() + " tile");
    Fetched a = get(ours, ours.tile(t, single), true);
    Fetched b = get(postgis, postgis.tile(t, single), true);
    if (!a.ok() || !b.ok()) {
      differ(where + ": " + a.describe() + "; " + b.describe());
      return;
    }
    Map<String, MvtReader.Layer> la;
    Map<String, MvtReader.Layer> lb;
    try {
      la = MvtReader.read(a.body());
      lb = MvtReader.read(b.body());
    } catch (RuntimeException e) {
      differ(where + ": a tile does not decode: " + e.getMessage());
      return;
    }
    Set<String> expected = new LinkedHashSet<>();
    for (RaceLayer l : RaceLayer.all()) {
      if (l.visibleAt(t.z()) && (single == null || l.name().equals(single.name()))) {
        expected.add(l.name());
      }
    }
    Set<String> seen = new TreeSet<>(la.keySet());
    seen.addAll(lb.keySet());
    seen.removeAll(expected);
    if (!seen.isEmpty()) {
      differ(where + ": layers " + seen + " not drawn at z" + t.z() + " by our tiler");
    }
    for (String name : expected) {
      layer(where, t.z(), target, name, la.get(name), lb.get(name));
    }
  }

  private void layer(
      String where, int z, String target, String name, MvtReader.Layer a, MvtReader.Layer b) {
    long[] tally = tallies.computeIfAbsent(z + "|" + target + "|" + name, k -> new long[3]);
    tally[0]++;
    Map<Long, MvtReader.Feature> fa = a == null ? Map.of() : a.features();
    Map<Long, MvtReader.Feature> fb = b == null ? Map.of() : b.features();
    if (fa.isEmpty() && fb.isEmpty()) {
      tally[2]++;
      return;
    }
    String at = where + ", layer " + name;
    if (a != null && b != null && a.extent() != b.extent()) {
      differ(at + ": extent " + a.extent() + " (ours) against " + b.extent() + " (postgis)");
    }
    for (MvtReader.Layer l : new MvtReader.Layer[] {a, b}) {
      if (l != null && l.count() != l.features().size()) {
        differ(at + ": " + l.count() + " features but " + l.features().size() + " distinct ids");
      }
    }
    Set<Long> onlyA = new TreeSet<>(fa.keySet());
    onlyA.removeAll(fb.keySet());
    Set<Long> onlyB = new TreeSet<>(fb.keySet());
    onlyB.removeAll(fa.keySet());
    onlyA.removeIf(id -> sliver(at, "ours", fa.get(id)));
    onlyB.removeIf(id -> sliver(at, "postgis", fb.get(id)));
    if (!onlyA.isEmpty() || !onlyB.isEmpty()) {
      differ(
          at
              + ": feature ids differ: "
              + onlyA.size()
              + " only ours "
              + first(onlyA)
              + ", "
              + onlyB.size()
              + " only postgis "
              + first(onlyB)
              + " (of "
              + fa.size()
              + " and "
              + fb.size()
              + ")");
      return;
    }
    int shown = 0;
    for (Map.Entry<Long, MvtReader.Feature> e : fa.entrySet()) {
      MvtReader.Feature x = e.getValue();
      MvtReader.Feature y = fb.get(e.getKey());
      if (y == null) {
        continue; // a sliver, listed
      }
      tally[1]++;
      if (x.type() != y.type() || !x.tags().equals(y.tags())) {
        if (shown++ < 3) {
          differ(
              at
                  + ": feature "
                  + e.getKey()
                  + ": ours type "
                  + x.type()
                  + " "
                  + new TreeMap<>(x.tags())
                  + ", postgis type "
                  + y.type()
                  + " "
                  + new TreeMap<>(y.tags()));
        }
      }
    }
  }

  /**
   * True for a polygon that one side draws and the other does not because it is a sliver: at most
   * {@value #SLIVER_AREA} square unit drawn in all (1/16,777,216 of the tile), what remains of a
   * polygon that reaches just past the buffer's edge. Our renderer rounds such a piece to a
   * one-unit triangle and keeps it; {@code ST_AsMVTGeom} drops it. Listed in the report, not
   * counted as a difference.
   */
  private boolean sliver(String at, String side, MvtReader.Feature f) {
    if (f.type() != MvtReader.POLYGON || f.area() > SLIVER_AREA) {
      return false;
    }
    slivers.add(at + ": feature " + f.id() + " only " + side + ", " + f.area() + " square units");
    return true;
  }

  List<String> slivers() {
    return slivers;
  }

  /** One point located by both. */
  void locate(double lon, double lat) throws IOException, InterruptedException {
    Fetched a = get(ours, ours.locate(lon, lat), false);
    Fetched b = get(postgis, postgis.locate(lon, lat), false);
    String where = "locate lon=" + lon + " lat=" + lat;
    long[] tally = tallies.computeIfAbsent("locate", k -> new long[3]);
    tally[0]++;
    if (a.status() == 404 && b.status() == 404) {
      tally[2]++;
      return;
    }
    if (a.status() != 200 || b.status() != 200) {
      differ(where + ": " + a.describe() + "; " + b.describe());
      return;
    }
    Map<String, Object> x = chain(new JsonObject(new String(a.body(), StandardCharsets.UTF_8)));
    Map<String, Object> y = chain(new JsonObject(new String(b.body(), StandardCharsets.UTF_8)));
    if (!x.equals(y)) {
      differ(where + ": ours " + x + ", postgis " + y);
    } else {
      tally[1]++;
    }
  }

  /** What a locate answer must agree on: the units' codes, the worker, the border flag. */
  private static Map<String, Object> chain(JsonObject o) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String unit : new String[] {"grid", "village", "street", "district"}) {
      JsonObject u = o.getJsonObject(unit);
      out.put(unit, u == null ? null : u.getString("code"));
    }
    JsonObject w = o.getJsonObject("worker");
    out.put("worker", w == null || w.getValue("id") == null ? null : w.getLong("id"));
    out.put("onBorder", o.getBoolean("onBorder"));
    return out;
  }

  /** The tallies as lines: per zoom, target and layer, what was compared. */
  List<String> summary() {
    List<String> lines = new ArrayList<>();
    lines.add("| zoom | tile | layer | tiles | features compared | tiles empty on both |");
    lines.add("|---|---|---|---|---|---|");
    tallies.entrySet().stream()
        .sorted(
            (p, q) ->
                Objects.compare(
                    sortKey(p.getKey()), sortKey(q.getKey()), java.util.Comparator.naturalOrder()))
        .forEach(
            e -> {
              String[] k = e.getKey().split("\\|");
              long[] v = e.getValue();
              lines.add(
                  k.length == 1
                      ? "| - | locate | grids | "
                          + v[0]
                          + " points | "
                          + v[1]
                          + " answers | "
                          + v[2]
                          + " in no grid |"
                      : "| " + k[0] + " | " + k[1] + " | " + k[2] + " | " + v[0] + " | " + v[1]
                          + " | " + v[2] + " |");
            });
    return lines;
  }

  private static String sortKey(String key) {
    String[] k = key.split("\\|");
    return k.length == 1 ? "99" : String.format("%02d|%s|%s", Integer.parseInt(k[0]), k[1], k[2]);
  }

  private void differ(String what) {
    differences.add(what);
    if (differences.size() <= SHOWN) {
      System.err.println("race: DIFFERENT: " + what);
    }
  }

  private static String first(Set<Long> ids) {
    return ids.stream().limit(10).toList() + (ids.size() > 10 ? "..." : "");
  }

  private Fetched get(Side side, String path, boolean gzip)
      throws IOException, InterruptedException {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create(side.base() + path)).timeout(Duration.ofSeconds(60));
    if (gzip) {
      r.header("Accept-Encoding", "gzip");
    }
    HttpResponse<byte[]> resp = http.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
    return new Fetched(side.name(), path, resp.statusCode(), resp.body());
  }

  /** One answer. */
  private record Fetched(String side, String path, int status, byte[] body) {
    boolean ok() {
      return status == 200 || status == 204;
    }

    String describe() {
      String text = new String(body, StandardCharsets.UTF_8);
      return side
          + " "
          + path
          + " answered "
          + status
          + (ok() ? "" : ": " + text.substring(0, Math.min(200, text.length())));
    }
  }
}
