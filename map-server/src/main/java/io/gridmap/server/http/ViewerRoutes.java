package io.gridmap.server.http;

import io.gridmap.layers.geo.WebMercator;
import io.gridmap.layers.index.AdminLevel;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.index.LabelIndex;
import io.gridmap.layers.index.LabelPoint;
import io.gridmap.styles.Legend;
import io.gridmap.styles.Theme;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.locationtech.jts.geom.Envelope;

/**
 * The web viewer at {@code /viewer/}: its static files from the classpath ({@code viewer/**},
 * MapLibre GL JS under {@code viewer/vendor/}, copied there from npm by the build), the legend
 * ({@code /viewer/legend.json}) and the search box's backend ({@code /viewer/search?q=}).
 *
 * <p>Static files are read once, on the worker pool, and kept in memory with a strong ETag and, for
 * text, a gzipped copy (MapLibre's 1.1 MB module is 0.3 MB gzipped; the server itself does not
 * compress). The viewer's own files are sent with {@code Cache-Control: no-cache} so a new release
 * shows at once (revalidation costs a 304); the vendored library is cached for an hour.
 */
final class ViewerRoutes {
  /** Classpath folder of the viewer's files. */
  static final String ROOT = "viewer/";

  /** Relative paths only: no empty segment, no segment starting with a dot (so no "..") */
  private static final Pattern SAFE_PATH =
      Pattern.compile("([A-Za-z0-9_][A-Za-z0-9._-]*/)*([A-Za-z0-9_][A-Za-z0-9._-]*)?");

  private static final int MAX_QUERY_CHARS = 64;
  private static final int DEFAULT_LIMIT = 20;
  private static final int MAX_LIMIT = 100;

  private final MapServer server;
  private final Map<String, Future<Optional<Asset>>> assets = new ConcurrentHashMap<>();
  private volatile Future<UnitSearch> search;

  /**
   * The label indexes the search was built from: a rename or redraw replaces one, a position never
   * does.
   */
  private volatile List<LabelIndex> searchLabels;

  private ViewerRoutes(MapServer server) {
    this.server = server;
  }

  static void mount(Router router, MapServer server) {
    ViewerRoutes routes = new ViewerRoutes(server);
    // a regex: a plain "/viewer" route would also match "/viewer/" (Vert.x ignores a trailing
    // slash)
    router.getWithRegex("/viewer").setName("/viewer").handler(ctx -> redirect(ctx, "/viewer/"));
    router.get("/viewer/search").setName("/viewer/search").handler(routes::search);
    router.get("/viewer/legend.json").setName("/viewer/legend.json").handler(routes::legend);
    router.getWithRegex("/viewer/(.*)").setName("/viewer/{file}").handler(routes::file);
    // build the name index as soon as the content is in memory, so the first search is quick
    server.ready().onSuccess(routes::searchIndex);
  }

  private static void redirect(RoutingContext ctx, String to) {
    String query = ctx.request().query();
    ctx.response()
        .setStatusCode(301)
        .putHeader("Location", query == null ? to : to + "?" + query)
        .end();
  }

  // ---- static files --------------------------------------------------------------------------

  private void file(RoutingContext ctx) {
    String path = ctx.pathParam("param0");
    if (path.isEmpty() || path.endsWith("/")) {
      path = path + "index.html";
    }
    if (!SAFE_PATH.matcher(path).matches()) {
      ctx.fail(ApiException.notFound("no viewer file '" + path + "'"));
      return;
    }
    String file = path;
    assets
        .computeIfAbsent(
            file, f -> server.renderPool().executeBlocking(() -> Asset.load(ROOT + f), false))
        .onSuccess(
            asset -> {
              if (asset.isEmpty()) {
                assets.remove(file); // do not remember every wrong path a client tries
                ctx.fail(
                    ApiException.notFound(
                        "no viewer file '" + file + "'; the viewer is at /viewer/"));
              } else {
                send(
                    ctx,
                    asset.get(),
                    file.startsWith("vendor/") ? "public, max-age=3600" : "no-cache");
              }
            })
        .onFailure(
            e -> {
              assets.remove(file);
              ctx.fail(e);
            });
  }

  private static void send(RoutingContext ctx, Asset asset, String cacheControl) {
    HttpServerResponse res = ctx.response();
    // Vary: Origin because the CORS handler adds Access-Control-Allow-Origin only to requests
    // that carry an Origin: without it, a copy cached by the viewer (same origin, no header)
    // would be reused for an embedding page on another origin and fail its CORS check.
    res.putHeader("ETag", asset.etag())
        .putHeader("Cache-Control", cacheControl)
        .putHeader("Vary", asset.gzipped() != null ? "Accept-Encoding, Origin" : "Origin");
    String inm = ctx.request().getHeader("If-None-Match");
    if (inm != null && (inm.equals(asset.etag()) || inm.equals("*"))) {
      res.setStatusCode(304).end();
      return;
    }
    res.putHeader("Content-Type", asset.contentType());
    String accept = ctx.request().getHeader("Accept-Encoding");
    if (asset.gzipped() != null
        && accept != null
        && accept.toLowerCase(Locale.ROOT).contains("gzip")) {
      res.putHeader("Content-Encoding", "gzip").end(Buffer.buffer(asset.gzipped()));
    } else {
      res.end(Buffer.buffer(asset.bytes()));
    }
  }

  /** One static file in memory: its bytes, a gzipped copy for text, a strong ETag. */
  record Asset(byte[] bytes, byte[] gzipped, String etag, String contentType) {
    private static final Map<String, String> TYPES =
        Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "mjs", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "json", "application/json",
            "svg", "image/svg+xml",
            "png", "image/png",
            "txt", "text/plain; charset=utf-8");

    static Optional<Asset> load(String resource) throws IOException {
      byte[] bytes;
      try (InputStream in = ViewerRoutes.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          return Optional.empty();
        }
        bytes = in.readAllBytes();
      }
      String ext = resource.substring(resource.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
      String type = TYPES.getOrDefault(ext, "application/octet-stream");
      boolean text =
          type.startsWith("text/")
              || type.equals("application/json")
              || type.equals("image/svg+xml");
      byte[] gz = text && bytes.length > 1024 ? gzip(bytes) : null;
      return Optional.of(new Asset(bytes, gz, etag(bytes), type));
    }

    private static String etag(byte[] bytes) {
      try {
        byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
        StringBuilder sb = new StringBuilder("\"v");
        for (int i = 0; i < 8; i++) {
          sb.append(String.format("%02x", d[i]));
        }
        return sb.append('"').toString();
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
      }
    }

    private static byte[] gzip(byte[] raw) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 3 + 64);
      try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
        gz.write(raw);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return out.toByteArray();
    }
  }

  // ---- legend --------------------------------------------------------------------------------

  private void legend(RoutingContext ctx) {
    String id = ctx.request().getParam("theme", "default");
    Optional<Theme> theme = Theme.byId(id);
    if (theme.isEmpty()) {
      String ids = Theme.ALL.stream().map(Theme::id).collect(Collectors.joining(", "));
      ctx.fail(ApiException.badRequest("theme '" + id + "' is not known; expected one of " + ids));
      return;
    }
    ctx.response()
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "public, max-age=300")
        .end(Legend.of(theme.get()).toJson().toString());
  }

  // ---- search --------------------------------------------------------------------------------

  private void search(RoutingContext ctx) {
    Content content = server.content();
    if (content == null) {
      ctx.fail(ApiException.unavailable("the map is still loading; /health says when it is ready"));
      return;
    }
    UnitSearch.Query query;
    try {
      query =
          UnitSearch.Query.parse(
              ctx.request().getParam("q"),
              ctx.request().getParam("level"),
              ctx.request().getParam("limit"));
    } catch (ApiException e) {
      ctx.fail(e);
      return;
    }
    searchIndex(content)
        .compose(index -> server.renderPool().executeBlocking(() -> index.find(query), false))
        .onSuccess(
            json ->
                ctx.response()
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Cache-Control", "public, max-age=60")
                    .end(json.encode()))
        .onFailure(ctx::fail);
  }

  /**
   * The name index of the current units, built on the worker pool once per version of the labels.
   */
  private synchronized Future<UnitSearch> searchIndex(Content content) {
    CityIndex index = content.index();
    List<LabelIndex> labels =
        java.util.Arrays.stream(AdminLevel.values()).map(index::labels).toList();
    if (search == null || !labels.equals(searchLabels)) { // LabelIndex equality is identity
      searchLabels = labels;
      search = server.renderPool().executeBlocking(() -> UnitSearch.build(index), false);
    }
    return search;
  }

  /**
   * Districts, streets, villages and grids by name or code. Built once from the label points (about
   * 77k units for the full city: a few MB of strings); a query scans them on the worker pool in a
   * couple of milliseconds, never on the event loop.
   */
  static final class UnitSearch {
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
}
