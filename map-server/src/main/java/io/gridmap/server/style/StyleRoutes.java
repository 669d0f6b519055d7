package io.gridmap.server.style;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.server.content.Content;
import io.gridmap.server.security.SecurityHandler;
import io.gridmap.server.security.Visibility;
import io.gridmap.server.web.ApiException;
import io.gridmap.server.web.BaseUrl;
import io.gridmap.server.web.ConditionalResponse;
import io.gridmap.server.web.Loaded;
import io.gridmap.server.web.Representation;
import io.gridmap.server.web.RouteModule;
import io.gridmap.server.web.Routes;
import io.gridmap.styles.StyleDocument;
import io.gridmap.styles.glyphs.GlyphService;
import io.gridmap.styles.glyphs.InvalidGlyphRequestException;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;

/**
 * {@code /styles/{id}.json} (MapLibre styles over our TileJSON) and {@code
 * /fonts/{fontstack}/{start}-{end}.pbf} (SDF glyphs drawn from the server's fonts).
 */
public final class StyleRoutes implements RouteModule {
  private static final String JSON = "application/json";
  private static final String PBF = "application/x-protobuf";

  private final Loaded<Content> content;
  private final String publicUrl;
  private final GlyphService glyphs;
  private final WorkerExecutor renderPool;

  /**
   * Glyph ranges as sent, gzipped once: a CJK range is drawn once (tens of milliseconds) and then
   * served from here. Bounded by bytes; the whole CJK block of both fonts takes a few MB gzipped.
   */
  private final Cache<String, Representation> glyphRanges =
      Caffeine.newBuilder()
          .maximumWeight(32L << 20)
          .<String, Representation>weigher((k, r) -> 64 + r.gzipped().length)
          .build();

  /**
   * Styles per (id, base URL): a Host header becomes the links of the copy made for it and of no
   * other; bounded, so a client sending many Host values cannot grow it.
   */
  private final Cache<String, Optional<Representation>> styles =
      Caffeine.newBuilder().maximumSize(64).build();

  /**
   * @param content the map once loaded: its layers outside the catalogue (imported ones) get a
   *     default look in the styles
   * @param publicUrl the configured public URL, or null to take links from the request
   * @param glyphs where glyph ranges are drawn
   * @param renderPool the pool glyph ranges are drawn on
   */
  public StyleRoutes(
      Loaded<Content> content, String publicUrl, GlyphService glyphs, WorkerExecutor renderPool) {
    this.content = content;
    this.publicUrl = publicUrl;
    this.glyphs = glyphs;
    this.renderPool = renderPool;
  }

  @Override
  public void mount(Routes router) {
    StyleRoutes routes = this;
    router
        .getWithRegex("/styles/([^/]+)\\.json")
        .setName("/styles/{id}.json")
        .handler(routes::style);
    router
        .getWithRegex("/fonts/([^/]+)/([^/]+)")
        .setName("/fonts/{fontstack}/{range}.pbf")
        .handler(routes::glyphs);
  }

  private void style(RoutingContext ctx) {
    String id = ctx.pathParam("param0");
    String base = BaseUrl.of(ctx, publicUrl);
    Visibility visibility = SecurityHandler.principal(ctx).role().visibility();
    Content c = content.getOrNull();
    // per class once the map is loaded: the staff style draws staff-only layers, the public one
    // does not name them. Before, the catalogue's layers alone, and that copy is not kept.
    List<LayerDef> imported = c == null ? List.of() : imported(c, visibility);
    java.util.function.Function<String, Optional<Representation>> make =
        k ->
            StyleDocument.byId(id, base, imported)
                .map(d -> Representation.ofText(JSON, d.toString()));
    Optional<Representation> doc =
        c == null
            ? make.apply(id)
            : styles.get(id + " " + visibility + " " + c.layersVersion() + " " + base, make);
    if (doc.isEmpty()) {
      ctx.fail(
          ApiException.notFound(
              "no style '" + id + "'; styles are " + String.join(", ", StyleDocument.ids())));
      return;
    }
    String cacheControl =
        visibility == Visibility.STAFF ? "private, max-age=300" : "public, max-age=300";
    ConditionalResponse.send(ctx, doc.get(), cacheControl, Visibility.VARY);
  }

  /** The layers outside the catalogue that a class sees, in the dataset's order. */
  static List<LayerDef> imported(Content c, Visibility v) {
    return c.collections(v).stream()
        .map(LayerIndex::def)
        .filter(d -> Catalogue.byName(d.name()).isEmpty())
        .toList();
  }

  private void glyphs(RoutingContext ctx) {
    String fontstack = ctx.pathParam("param0");
    String range = ctx.pathParam("param1");
    String key = range + " " + fontstack;
    Representation hit = glyphRanges.getIfPresent(key);
    if (hit != null) {
      ConditionalResponse.send(ctx, hit, "public, max-age=86400", null);
      return;
    }
    renderPool
        .executeBlocking(
            () -> glyphRanges.get(key, k -> Representation.of(PBF, glyphs.range(fontstack, range))),
            false)
        .onSuccess(r -> ConditionalResponse.send(ctx, r, "public, max-age=86400", null))
        .onFailure(
            e -> {
              if (e instanceof InvalidGlyphRequestException bad) {
                ctx.fail(ApiException.badRequest(bad.getMessage()));
              } else {
                ctx.fail(e);
              }
            });
  }
}
