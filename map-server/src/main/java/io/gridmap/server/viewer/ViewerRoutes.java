package io.gridmap.server.viewer;

import io.gridmap.server.web.ApiException;
import io.gridmap.server.web.ConditionalResponse;
import io.gridmap.server.web.Representation;
import io.gridmap.server.web.RouteModule;
import io.gridmap.server.web.Routes;
import io.gridmap.styles.Legend;
import io.gridmap.styles.Theme;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The web viewer at {@code /viewer/}: its static files from the classpath ({@code viewer/**},
 * MapLibre GL JS under {@code viewer/vendor/}, copied there from npm by the build), the legend
 * ({@code /viewer/legend.json}). The search box's backend ({@code /viewer/search?q=}) is a query
 * and lives with the queries ({@code query/UnitSearchHandler}); that module is mounted first.
 *
 * <p>Static files are read once, on the worker pool, and kept in memory with a strong ETag and, for
 * text, a gzipped copy (MapLibre's 1.1 MB module is 0.3 MB gzipped; the server itself does not
 * compress). The viewer's own files are sent with {@code Cache-Control: no-cache} so a new release
 * shows at once (revalidation costs a 304); the vendored library is cached for an hour.
 */
public final class ViewerRoutes implements RouteModule {
  /** Classpath folder of the viewer's files. */
  static final String ROOT = "viewer/";

  /** Relative paths only: no empty segment, no segment starting with a dot (so no "..") */
  private static final Pattern SAFE_PATH =
      Pattern.compile("([A-Za-z0-9_][A-Za-z0-9._-]*/)*([A-Za-z0-9_][A-Za-z0-9._-]*)?");

  private final WorkerExecutor files;
  private final Map<String, Future<Optional<Asset>>> assets = new ConcurrentHashMap<>();

  /**
   * @param files the pool static files are read on (once each)
   */
  public ViewerRoutes(WorkerExecutor files) {
    this.files = files;
  }

  @Override
  public void mount(Routes router) {
    ViewerRoutes routes = this;
    // a regex: a plain "/viewer" route would also match "/viewer/" (Vert.x ignores a trailing
    // slash)
    router.getWithRegex("/viewer").setName("/viewer").handler(ctx -> redirect(ctx, "/viewer/"));
    router.get("/viewer/legend.json").setName("/viewer/legend.json").handler(routes::legend);
    router.getWithRegex("/viewer/(.*)").setName("/viewer/{file}").handler(routes::file);
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
        .computeIfAbsent(file, f -> files.executeBlocking(() -> Asset.load(resource(f)), false))
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
                    file.startsWith("vendor/") || file.startsWith(FONTS)
                        ? "public, max-age=3600"
                        : "no-cache");
              }
            })
        .onFailure(
            e -> {
              assets.remove(file);
              ctx.fail(e);
            });
  }

  /**
   * The classpath resource of a viewer path. {@code fonts/} is the styles module's Noto Sans SC,
   * the fonts the map's labels are drawn from: the viewer's own text (title, panels, search) falls
   * back to them through viewer.css's {@code @font-face} on a machine without a CJK font, where it
   * would otherwise show empty boxes. A browser with a CJK font of its own never fetches them.
   */
  static String resource(String path) {
    return path.startsWith(FONTS) ? FONT_ROOT + path.substring(FONTS.length()) : ROOT + path;
  }

  static final String FONTS = "fonts/";

  /** Where the styles module ships its fonts (FontLibrary's defaults). */
  static final String FONT_ROOT = "io/gridmap/styles/fonts/";

  private static void send(RoutingContext ctx, Asset asset, String cacheControl) {
    // Vary: Origin because the CORS handler adds Access-Control-Allow-Origin only to requests
    // that carry an Origin: without it, a copy cached by the viewer (same origin, no header)
    // would be reused for an embedding page on another origin and fail its CORS check.
    ConditionalResponse.send(ctx, asset.body(), cacheControl, "Origin");
  }

  /** One static file in memory: its bytes, a gzipped copy for text, a strong ETag. */
  record Asset(Representation body) {
    private static final Map<String, String> TYPES =
        Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "mjs", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "json", "application/json",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ttf", "font/ttf",
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
      return Optional.of(new Asset(Representation.of(type, bytes)));
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
}
