package io.gridmap.server.query;

import io.gridmap.layers.geo.WebMercator;
import io.gridmap.layers.index.AdminLevel;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.index.LabelIndex;
import io.gridmap.layers.index.LabelPoint;
import io.gridmap.server.web.ApiException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.locationtech.jts.geom.Envelope;

/**
 * Districts, streets, villages and grids by name or code. Built once from the label points (about
 * 77k units for the full city: a few MB of strings); a query scans them on the worker pool in a
 * couple of milliseconds, never on the event loop.
 */
final class UnitSearch {
  private static final int MAX_QUERY_CHARS = 64;
  private static final int DEFAULT_LIMIT = 20;
  private static final int MAX_LIMIT = 100;
  private static final Pattern DIGITS = Pattern.compile("\\d+");
  private final Unit[] units;
  private final Map<String, String> namesByCode;

  /** One unit: level, code, name (and its lower-case form), label point and bbox in lon/lat. */
  record Unit(
      AdminLevel level,
      String code,
      String name,
      String folded,
      double lon,
      double lat,
      Envelope bbox) {}

  /**
   * A validated query.
   *
   * @param text trimmed query text
   * @param folded lower-case form without spaces, for matching
   * @param level only this level, or null for all
   * @param limit results at most
   */
  record Query(String text, String folded, AdminLevel level, int limit) {
    static Query parse(String q, String level, String limit) {
      if (q == null || q.isBlank()) {
        throw ApiException.badRequest(
            "query parameter q is required: a name or part of one (e.g. 解放碑) or the start of a code (e.g. 500103)");
      }
      String text = q.strip();
      if (text.codePointCount(0, text.length()) > MAX_QUERY_CHARS) {
        throw ApiException.badRequest(
            "q is "
                + text.codePointCount(0, text.length())
                + " characters long; expected at most "
                + MAX_QUERY_CHARS);
      }
      AdminLevel lvl = null;
      if (level != null && !level.isEmpty()) {
        lvl =
            Arrays.stream(AdminLevel.values())
                .filter(l -> l.code().equals(level))
                .findFirst()
                .orElseThrow(
                    () ->
                        ApiException.badRequest(
                            "level '"
                                + level
                                + "' is not known; expected one of district, street, village, grid"));
      }
      int n = DEFAULT_LIMIT;
      if (limit != null && !limit.isEmpty()) {
        n = limit.matches("\\d{1,4}") ? Integer.parseInt(limit) : -1;
        if (n < 1 || n > MAX_LIMIT) {
          throw ApiException.badRequest(
              "limit '" + limit + "' is not valid; expected an integer from 1 to " + MAX_LIMIT);
        }
      }
      return new Query(text, fold(text), lvl, n);
    }
  }

  private UnitSearch(Unit[] units) {
    this.units = units;
    this.namesByCode = new HashMap<>();
    for (Unit u : units) {
      if (u.level() != AdminLevel.GRID) {
        namesByCode.put(u.code(), u.name());
      }
    }
  }

  static UnitSearch build(CityIndex index) {
    List<Unit> out = new ArrayList<>();
    for (AdminLevel level : AdminLevel.values()) {
      LabelIndex labels = index.labels(level);
      for (int i = 0; i < labels.size(); i++) {
        LabelPoint p = labels.point(i);
        if (p.code() == null || p.name() == null) {
          continue;
        }
        out.add(
            new Unit(
                level,
                p.code(),
                p.name(),
                fold(p.name()),
                WebMercator.lon(p.x()),
                WebMercator.lat(p.y()),
                p.feature().geometry().getEnvelopeInternal()));
      }
    }
    return new UnitSearch(out.toArray(Unit[]::new));
  }

  static String fold(String s) {
    return s.toLowerCase(Locale.ROOT).replaceAll("\\s+", "");
  }

  /** Up to {@code limit} units, best first, as the JSON the viewer reads. */
  JsonObject find(Query q) {
    boolean code = DIGITS.matcher(q.folded()).matches();
    record Hit(int rank, Unit unit) {}
    List<Hit> hits = new ArrayList<>();
    for (Unit u : units) {
      if (q.level() != null && u.level() != q.level()) {
        continue;
      }
      int r = code ? codeRank(u, q.folded()) : nameRank(u, q.folded());
      if (r >= 0) {
        hits.add(new Hit(r, u));
      }
    }
    hits.sort(
        Comparator.comparingInt(Hit::rank)
            .thenComparing(h -> h.unit().level())
            .thenComparing(h -> h.unit().code()));
    JsonArray results = new JsonArray();
    for (Hit h : hits.subList(0, Math.min(q.limit(), hits.size()))) {
      results.add(json(h.unit()));
    }
    return new JsonObject()
        .put("query", q.text())
        .put("total", hits.size())
        .put("results", results);
  }

  /** Exact code 0, else code prefix 1; -1 for no match. */
  private static int codeRank(Unit u, String digits) {
    if (u.code().equals(digits)) {
      return 0;
    }
    return u.code().startsWith(digits) ? 1 : -1;
  }

  /** Exact name 0, name prefix 1, name contains 2; -1 for no match. */
  private static int nameRank(Unit u, String folded) {
    if (u.folded().equals(folded)) {
      return 0;
    }
    if (u.folded().startsWith(folded)) {
      return 1;
    }
    return u.folded().contains(folded) ? 2 : -1;
  }

  private JsonObject json(Unit u) {
    Envelope e = u.bbox();
    return new JsonObject()
        .put("level", u.level().code())
        .put("code", u.code())
        .put("name", u.name())
        .put("path", path(u))
        .put("center", new JsonArray().add(round(u.lon())).add(round(u.lat())))
        .put(
            "bbox",
            new JsonArray()
                .add(round(e.getMinX()))
                .add(round(e.getMinY()))
                .add(round(e.getMaxX()))
                .add(round(e.getMaxY())));
  }

  /** Names of the unit's ancestors, from its code (6, 9, 12 digits), top down. */
  private String path(Unit u) {
    List<String> names = new ArrayList<>();
    for (int len = 6; len < u.code().length(); len += 3) {
      String name = namesByCode.get(u.code().substring(0, len));
      if (name != null) {
        names.add(name);
      }
    }
    return String.join(" / ", names);
  }

  private static double round(double v) {
    return Math.round(v * 1e6) / 1e6;
  }
}
