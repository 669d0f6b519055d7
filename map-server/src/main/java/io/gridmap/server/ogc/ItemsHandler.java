package io.gridmap.server.ogc;

import com.fasterxml.jackson.core.JsonGenerator;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.query.crs.SupportedCrs;
import io.gridmap.layers.query.select.FeatureSelector;
import io.gridmap.server.content.Content;
import io.gridmap.server.security.SecurityHandler;
import io.gridmap.server.security.Visibility;
import io.gridmap.server.web.ApiException;
import io.gridmap.server.web.ConditionalResponse;
import io.gridmap.server.web.EntityTags;
import io.gridmap.server.web.GeoJsonWriter;
import io.gridmap.server.web.Params;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code /collections/{id}/items} and {@code /collections/{id}/items/{featureId}}: GeoJSON pages
 * with {@code numberMatched}, {@code numberReturned} and {@code next}/{@code prev} links.
 * Parameters are checked on the event loop; selection and encoding run on the query pool.
 */
public final class ItemsHandler {
  public static final String GEOJSON = "application/geo+json";

  private final OgcApi api;

  ItemsHandler(OgcApi api) {
    this.api = api;
  }

  void items(RoutingContext ctx) {
    Content c = api.content();
    LayerIndex layer = api.collection(c, ctx.pathParam("collectionId"), ctx);
    ItemsRequest req = ItemsRequest.parse(layer, ctx.queryParams());
    boolean staff = staff(ctx);
    int[] fields = fields(req, ctx.queryParams(), staff);
    String base = api.baseUrl(ctx);
    String path = ctx.request().path();
    String query = ctx.request().query();
    java.time.Instant asOf = AsOf.parse(ctx.queryParams());
    MultiMap params = ctx.queryParams();
    api.work(
            () ->
                asOf == null
                    ? page(req, staff, fields, base + path, query)
                    : page(
                        ItemsRequest.parse(
                            AsOf.index(c, asOf, java.util.List.of(layer.name()))
                                .layer(layer.name()),
                            params),
                        staff,
                        fields,
                        base + path,
                        query))
        .onSuccess(bytes -> send(ctx, req.crs(), bytes, layer.def().live(), staff))
        .onFailure(ctx::fail);
  }

  void item(RoutingContext ctx) {
    Content c = api.content();
    LayerIndex layer = api.collection(c, ctx.pathParam("collectionId"), ctx);
    String fid = ctx.pathParam("featureId");
    MultiMap q = ctx.queryParams();
    for (String name : q.names()) {
      if (!name.equals("f") && !name.equals("crs") && !name.equals(AsOf.PARAM)) {
        throw Params.bad(
            name, q.get(name), "only f, crs and " + AsOf.PARAM + " on a single feature");
      }
    }
    ItemsRequest.checkFormat(q);
    SupportedCrs crs = Params.crs(q, "crs", SupportedCrs.CRS84);
    boolean staff = staff(ctx);
    long id = id(layer, fid);
    String base = api.baseUrl(ctx);
    int[] fields = staff ? allFields(layer) : GeoJsonWriter.publicFields(layer.def());
    java.time.Instant asOf = AsOf.parse(q);
    if (asOf != null) {
      pastItem(ctx, c, layer, id, asOf, crs, base, fields, staff);
      return;
    }
    Feature f = find(layer, id, staff);
    boolean live = layer.def().live();
    String ifNoneMatch = ctx.request().getHeader("If-None-Match");
    // the tag of the stored version, which a write's If-Match names; hashing a large outline and
    // writing it are work for the query pool, and a client whose copy is current gets no body
    api.work(
            () -> {
              String etag = EntityTags.of(layer.def(), f);
              byte[] body =
                  ConditionalResponse.matches(ifNoneMatch, etag)
                      ? null
                      : single(layer, f, crs, base, fields);
              return new Tagged(etag, body);
            })
        .onSuccess(
            t -> {
              if (!ConditionalResponse.notModified(
                  ctx, t.etag(), cacheControl(live, staff), Visibility.VARY)) {
                send(ctx, crs, t.body(), live, staff);
              }
            })
        .onFailure(ctx::fail);
  }

  /**
   * A feature as it was at {@code asOf}, from its history: 404 when it did not exist then (or is
   * personal and the caller not staff). No ETag: it is no version a write could name.
   */
  private void pastItem(
      RoutingContext ctx,
      Content c,
      LayerIndex layer,
      long id,
      java.time.Instant asOf,
      SupportedCrs crs,
      String base,
      int[] fields,
      boolean staff) {
    api.work(
            () -> {
              Feature then =
                  AsOf.feature(c, layer, id, asOf)
                      .filter(f -> staff || !f.personal())
                      .orElseThrow(
                          () ->
                              ApiException.notFound(
                                  "feature "
                                      + id
                                      + " did not exist in collection "
                                      + layer.name()
                                      + " at "
                                      + asOf));
              return single(layer, then, crs, base, fields);
            })
        .onSuccess(body -> send(ctx, crs, body, layer.def().live(), staff))
        .onFailure(ctx::fail);
  }

  /** One feature's answer: its ETag, and its body unless the client's copy is current. */
  private record Tagged(String etag, byte[] body) {}

  /** True when the caller's role may see personal features and fields (the staff class). */
  private static boolean staff(RoutingContext ctx) {
    return SecurityHandler.principal(ctx).role().visibility() == Visibility.STAFF;
  }

  /**
   * The fields a response of features writes: for the staff class every field, names included,
   * unless the request chose {@code properties}; else the request's (public) properties.
   */
  public static int[] fields(ItemsRequest req, MultiMap q, boolean staff) {
    return staff && !q.contains("properties") ? allFields(req.layer()) : req.properties();
  }

  private static int[] allFields(LayerIndex layer) {
    return java.util.stream.IntStream.range(0, layer.def().fields().size()).toArray();
  }

  private static long id(LayerIndex layer, String fid) {
    try {
      return Long.parseLong(fid);
    } catch (NumberFormatException e) {
      throw ApiException.notFound(
          "feature "
              + Params.quote(fid)
              + " does not exist in collection "
              + layer.name()
              + "; feature ids are integers (the id member of each feature)");
    }
  }

  /**
   * The feature with this id, or, for a number too large to be an id (at least {@link
   * Feature#ID_LIMIT}), the one with this {@code code}: key sites and forces had their 17-digit
   * codes as ids once, and links and scripts holding those keep working. That lookup scans the
   * layer; it runs on the query pool and only for such numbers.
   */
  private static Feature find(LayerIndex layer, long id, boolean staff) {
    return (id >= Feature.ID_LIMIT ? byCode(layer, id) : layer.byId(id))
        .filter(f -> staff || !f.personal())
        .orElseThrow(
            () ->
                ApiException.notFound(
                    "feature " + id + " does not exist in collection " + layer.name()));
  }

  private static Optional<Feature> byCode(LayerIndex layer, long code) {
    int field = layer.def().fieldIndex("code");
    if (field < 0) {
      return Optional.empty();
    }
    String wanted = Long.toString(code);
    for (int o = 0; o < layer.size(); o++) {
      if (wanted.equals(layer.feature(o).value(field))) {
        return Optional.of(layer.feature(o));
      }
    }
    return Optional.empty();
  }

  private static void send(
      RoutingContext ctx, SupportedCrs crs, byte[] bytes, boolean live, boolean staff) {
    ctx.response()
        .putHeader("Content-Type", GEOJSON)
        .putHeader("Content-Crs", "<" + crs.uri() + ">")
        .putHeader("Cache-Control", cacheControl(live, staff))
        .putHeader("Vary", Visibility.VARY)
        .end(Buffer.buffer(bytes));
  }

  /** Responses differ by role: the staff class's never enter a shared cache. */
  private static String cacheControl(boolean live, boolean staff) {
    return staff
        ? (live ? "private, no-cache" : "private, max-age=60")
        : (live ? "no-cache" : "public, max-age=60");
  }

  /** Selects, then writes one page; stops early past {@link OgcApi#MAX_PAGE_BYTES}. */
  public static byte[] page(ItemsRequest req, String url, String query) {
    return page(req, false, req.properties(), url, query);
  }

  /** One page; {@code staff} selects personal features too, {@code fields} are written. */
  public static byte[] page(
      ItemsRequest req, boolean staff, int[] fields, String url, String query) {
    LayerIndex layer = req.layer();
    int[] matches =
        FeatureSelector.matches(layer, req.bbox(), req.indexHint(), req.filter(), staff);
    FeatureSelector.Page page = FeatureSelector.page(matches, req.offset(), req.limit());
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    try {
      GeoJsonWriter w = new GeoJsonWriter(out, layer.def(), req.crs(), fields);
      JsonGenerator g = w.json();
      g.writeStartObject();
      g.writeStringField("type", "FeatureCollection");
      g.writeArrayFieldStart("features");
      int returned = 0;
      for (int o : page.ordinals()) {
        w.feature(layer.feature(o), null);
        returned++;
        if (out.size() + g.getOutputBuffered() > OgcApi.MAX_PAGE_BYTES) {
          break;
        }
      }
      g.writeEndArray();
      g.writeNumberField("numberMatched", page.matched());
      g.writeNumberField("numberReturned", returned);
      g.writeStringField("timeStamp", Instant.now().toString());
      g.writeArrayFieldStart("links");
      link(
          g,
          "self",
          GEOJSON,
          url + (query == null || query.isEmpty() ? "" : "?" + query),
          "this page");
      int next = req.offset() + returned;
      if (returned > 0 && next < page.matched()) {
        link(g, "next", GEOJSON, withOffset(url, query, next, req.limit()), "next page");
      }
      if (req.offset() > 0) {
        link(
            g,
            "prev",
            GEOJSON,
            withOffset(url, query, Math.max(0, req.offset() - req.limit()), req.limit()),
            "previous page");
      }
      int items = url.lastIndexOf("/collections/");
      if (items >= 0) {
        link(
            g,
            "collection",
            "application/json",
            url.substring(0, url.lastIndexOf("/items")),
            "the collection " + layer.name());
      }
      g.writeEndArray();
      g.writeEndObject();
      g.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[] single(LayerIndex layer, Feature f, SupportedCrs crs, String base, int[] fields) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8 * 1024);
    try {
      GeoJsonWriter w = new GeoJsonWriter(out, layer.def(), crs, fields);
      String coll = base + "/collections/" + layer.name();
      w.feature(
          f,
          g -> {
            g.writeArrayFieldStart("links");
            link(g, "self", GEOJSON, coll + "/items/" + f.id(), "this feature");
            link(g, "collection", "application/json", coll, "the collection " + layer.name());
            g.writeEndArray();
          });
      w.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static void link(JsonGenerator g, String rel, String type, String href, String title)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("href", href);
    g.writeStringField("rel", rel);
    g.writeStringField("type", type);
    g.writeStringField("title", title);
    g.writeEndObject();
  }

  /**
   * The request's query with offset (and limit) replaced; other parameters keep their raw encoding.
   */
  static String withOffset(String url, String query, int offset, int limit) {
    StringBuilder sb = new StringBuilder(url).append('?');
    if (query != null) {
      for (String part : query.split("&")) {
        if (part.isEmpty()
            || part.startsWith("offset=")
            || part.equals("offset")
            || part.startsWith("limit=")) {
          continue;
        }
        sb.append(part).append('&');
      }
    }
    sb.append("limit=").append(limit).append("&offset=").append(offset);
    return sb.toString();
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
