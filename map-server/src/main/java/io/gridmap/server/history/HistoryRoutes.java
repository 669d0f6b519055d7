package io.gridmap.server.history;

import com.fasterxml.jackson.core.JsonGenerator;
import io.gridmap.layers.edit.FeatureVersion;
import io.gridmap.layers.edit.VersionDiff;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Field;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.layers.query.crs.SupportedCrs;
import io.gridmap.server.content.Content;
import io.gridmap.server.security.Principal;
import io.gridmap.server.security.SecurityHandler;
import io.gridmap.server.security.Visibility;
import io.gridmap.server.web.ApiException;
import io.gridmap.server.web.ApiPaths;
import io.gridmap.server.web.BaseUrl;
import io.gridmap.server.web.GeoJsonWriter;
import io.gridmap.server.web.Loaded;
import io.gridmap.server.web.OpenApiDoc;
import io.gridmap.server.web.Params;
import io.gridmap.server.web.RouteModule;
import io.gridmap.server.web.Routes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A feature's history, from the store's {@code feature_history}: what planners and command centres
 * ask when a boundary looks wrong ("who moved it, when, and what did it look like before?").
 *
 * <ul>
 *   <li>{@code GET /history/{collection}/{id}}: every version, oldest first: its number, who made
 *       it, when, with which operation, and the edit's change-log position ({@code seq}, what
 *       {@code POST /edits/{seq}/revert} takes).
 *   <li>{@code GET /history/{collection}/{id}/{version}}: the feature as it was, as GeoJSON.
 *   <li>{@code GET /history/{collection}/{id}/compare?from=a&to=b}: the attributes that differ and
 *       the geometry added and removed, as GeoJSON, with the areas.
 * </ul>
 *
 * Anyone with credentials (the policy's rule for {@code /history}); a personal feature's history (a
 * force's, a personal incident's) only for staff, and personal fields only for staff, as on {@code
 * /items}.
 */
public final class HistoryRoutes implements RouteModule {
  private static final String JSON = "application/json";
  private static final String GEOJSON = "application/geo+json";

  private final Loaded<Content> content;
  private final String publicUrl;

  /**
   * @param publicUrl the configured public URL, or null to take links from the request
   */
  public HistoryRoutes(Loaded<Content> content, String publicUrl) {
    this.content = content;
    this.publicUrl = publicUrl;
  }

  @Override
  public void mount(Routes router) {
    router
        .get("/history/:collectionId/:featureId")
        .setName("/history/{collectionId}/{featureId}")
        .handler(this::versions);
    router
        .get("/history/:collectionId/:featureId/compare")
        .setName("/history/{collectionId}/{featureId}/compare")
        .handler(this::compare);
    router
        .get("/history/:collectionId/:featureId/:version")
        .setName("/history/{collectionId}/{featureId}/{version}")
        .handler(this::version);
  }

  /** The versions of a feature, read on a worker: the store may be a database. */
  private void read(RoutingContext ctx, Answer answer) {
    Principal who = SecurityHandler.principal(ctx);
    Content c = content.get();
    String collection = ctx.pathParam("collectionId");
    LayerIndex layer =
        c.index()
            .findLayer(collection)
            .orElseThrow(
                () ->
                    ApiException.notFound(
                        "collection "
                            + Params.quote(collection)
                            + " does not exist; GET /collections lists them"));
    long id = id(ctx.pathParam("featureId"), collection);
    boolean staff = who.role().visibility() == Visibility.STAFF;
    Feature now = layer.byId(id).orElse(null);
    String base = BaseUrl.of(ctx, publicUrl);
    ctx.vertx()
        .executeBlocking(
            () -> {
              List<FeatureVersion> versions =
                  c.store().map(s -> s.history(collection, id)).orElse(List.of());
              boolean personal =
                  (now != null && now.personal())
                      || versions.stream().anyMatch(v -> v.feature().personal());
              if ((now == null && versions.isEmpty()) || (personal && !staff)) {
                // a personal feature's history is as hidden from others as the feature is
                throw ApiException.notFound(
                    "feature " + id + " does not exist in collection " + collection);
              }
              int[] fields =
                  staff
                      ? IntStream.range(0, layer.def().fields().size()).toArray()
                      : GeoJsonWriter.publicFields(layer.def());
              return answer.write(new History(layer.def(), id, versions, now, fields, base));
            },
            false)
        .onSuccess(
            body ->
                ctx.response()
                    .putHeader("Content-Type", body.type())
                    .putHeader("Cache-Control", "private, no-store")
                    .end(Buffer.buffer(body.bytes())))
        .onFailure(ctx::fail);
  }

  private record History(
      LayerDef def,
      long id,
      List<FeatureVersion> versions,
      Feature now,
      int[] fields,
      String base) {
    String self() {
      return base + "/history/" + def.name() + "/" + id;
    }

    String item() {
      return base + "/collections/" + def.name() + "/items/" + id;
    }

    FeatureVersion version(int n, String param) {
      for (FeatureVersion v : versions) {
        if (v.version() == n) {
          return v;
        }
      }
      throw ApiException.notFound(
          param
              + " "
              + n
              + " is not a version of feature "
              + id
              + (versions.isEmpty()
                  ? ": it was never changed (GET " + self() + " lists its versions)"
                  : "; its versions are 1 to " + versions.get(versions.size() - 1).version()));
    }
  }

  private record Body(String type, byte[] bytes) {}

  @FunctionalInterface
  private interface Answer {
    Body write(History h) throws IOException;
  }

  private void versions(RoutingContext ctx) {
    read(
        ctx,
        h ->
            json(
                JSON,
                g -> {
                  g.writeStartObject();
                  g.writeStringField("collection", h.def().name());
                  g.writeNumberField("id", h.id());
                  g.writeArrayFieldStart("versions");
                  for (FeatureVersion v : h.versions()) {
                    g.writeStartObject();
                    g.writeNumberField("version", v.version());
                    if (v.provenance() != null) {
                      g.writeStringField("at", v.provenance().time().toString());
                      g.writeStringField("actor", v.provenance().actor());
                      g.writeStringField("role", v.provenance().role());
                      g.writeStringField("action", v.provenance().action());
                      if (v.provenance().reason() != null) {
                        g.writeStringField("reason", v.provenance().reason());
                      }
                    } else {
                      g.writeStringField("action", "original");
                    }
                    if (v.seq() > 0) {
                      g.writeNumberField("seq", v.seq());
                    }
                    if (v.retired()) {
                      g.writeBooleanField("retired", true);
                    }
                    link(g, "version", h.self() + "/" + v.version(), GEOJSON);
                    g.writeEndObject();
                  }
                  g.writeEndArray();
                  g.writeArrayFieldStart("links");
                  linkObject(g, "self", h.self(), JSON);
                  linkObject(g, "item", h.item(), GEOJSON);
                  g.writeEndArray();
                  g.writeEndObject();
                }));
  }

  private void version(RoutingContext ctx) {
    String given = ctx.pathParam("version");
    read(
        ctx,
        h -> {
          FeatureVersion v = h.version(number(given, "version"), "version");
          ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
          GeoJsonWriter w = new GeoJsonWriter(out, h.def(), SupportedCrs.CRS84, h.fields());
          w.feature(
              v.feature(),
              g -> {
                g.writeObjectFieldStart("version");
                g.writeNumberField("number", v.version());
                if (v.provenance() != null) {
                  g.writeStringField("at", v.provenance().time().toString());
                  g.writeStringField("actor", v.provenance().actor());
                  g.writeStringField("action", v.provenance().action());
                }
                if (v.seq() > 0) {
                  g.writeNumberField("seq", v.seq());
                }
                if (v.retired()) {
                  g.writeBooleanField("retired", true);
                }
                g.writeEndObject();
                g.writeArrayFieldStart("links");
                linkObject(g, "self", h.self() + "/" + v.version(), GEOJSON);
                linkObject(g, "version-history", h.self(), JSON);
                g.writeEndArray();
              });
          w.flush();
          return new Body(GEOJSON, out.toByteArray());
        });
  }

  private void compare(RoutingContext ctx) {
    String from = Params.single(ctx.queryParams(), "from");
    String to = Params.single(ctx.queryParams(), "to");
    if (from == null || to == null) {
      throw ApiException.badRequest(
          "compare needs from and to, two version numbers, e.g. ?from=1&to=2 (GET /history/"
              + ctx.pathParam("collectionId")
              + "/"
              + ctx.pathParam("featureId")
              + " lists them)");
    }
    int a = number(from, "from");
    int b = number(to, "to");
    read(
        ctx,
        h -> {
          FeatureVersion older = h.version(a, "from");
          FeatureVersion newer = h.version(b, "to");
          VersionDiff d = VersionDiff.of(h.def(), older.feature(), newer.feature());
          ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
          GeoJsonWriter w = new GeoJsonWriter(out, h.def(), SupportedCrs.CRS84, h.fields());
          JsonGenerator g = w.json();
          g.writeStartObject();
          g.writeStringField("collection", h.def().name());
          g.writeNumberField("id", h.id());
          g.writeNumberField("from", a);
          g.writeNumberField("to", b);
          g.writeObjectFieldStart("properties");
          for (int i : h.fields()) {
            Field f = h.def().fields().get(i);
            Object[] change = d.attributes().get(f.name());
            if (change != null) {
              g.writeObjectFieldStart(f.name());
              g.writeFieldName("from");
              value(g, change[0]);
              g.writeFieldName("to");
              value(g, change[1]);
              g.writeEndObject();
            }
          }
          g.writeEndObject();
          g.writeObjectFieldStart("geometry");
          g.writeBooleanField("changed", !d.added().isEmpty() || !d.removed().isEmpty());
          g.writeFieldName("added");
          w.geometry(d.added());
          g.writeFieldName("removed");
          w.geometry(d.removed());
          g.writeNumberField("added_m2", Math.round(d.addedM2() * 10) / 10.0);
          g.writeNumberField("removed_m2", Math.round(d.removedM2() * 10) / 10.0);
          g.writeEndObject();
          g.writeEndObject();
          w.flush();
          return new Body(JSON, out.toByteArray());
        });
  }

  private static void value(JsonGenerator g, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof Long l) {
      g.writeNumber(l);
    } else if (v instanceof Double d) {
      g.writeNumber(d);
    } else if (v instanceof Boolean bool) {
      g.writeBoolean(bool);
    } else {
      g.writeString(String.valueOf(v));
    }
  }

  private static long id(String given, String collection) {
    try {
      return Long.parseLong(given);
    } catch (NumberFormatException e) {
      throw ApiException.notFound(
          "feature " + Params.quote(given) + " does not exist in collection " + collection);
    }
  }

  private static int number(String given, String param) {
    try {
      int n = Integer.parseInt(given);
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw Params.bad(param, given, "a version number, 1 or more");
  }

  private static Body json(String type, Writing writing) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(4 * 1024);
    try (JsonGenerator g = new com.fasterxml.jackson.core.JsonFactory().createGenerator(out)) {
      writing.write(g);
    }
    return new Body(type, out.toByteArray());
  }

  @FunctionalInterface
  private interface Writing {
    void write(JsonGenerator g) throws IOException;
  }

  private static void link(JsonGenerator g, String rel, String href, String type)
      throws IOException {
    g.writeArrayFieldStart("links");
    linkObject(g, rel, href, type);
    g.writeEndArray();
  }

  private static void linkObject(JsonGenerator g, String rel, String href, String type)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("href", href);
    g.writeStringField("rel", rel);
    g.writeStringField("type", type);
    g.writeEndObject();
  }

  @Override
  public void describe(ApiPaths api) {
    JsonObject paths = api.paths();
    JsonObject collection =
        new JsonObject()
            .put("name", "collectionId")
            .put("in", "path")
            .put("required", true)
            .put("schema", new JsonObject().put("type", "string"));
    JsonObject feature =
        new JsonObject()
            .put("name", "featureId")
            .put("in", "path")
            .put("required", true)
            .put("schema", new JsonObject().put("type", "integer"));
    List<String[]> problems =
        List.of(
            new String[] {"401", "no credentials"},
            new String[] {
              "404",
              "no such collection, feature or version (a personal feature's history for staff only)"
            });
    paths.put(
        "/history/{collectionId}/{featureId}",
        OpenApiDoc.get(
            "a feature's versions",
            "Every stored version, oldest first: number, time, actor, role, action (the operation), and seq, the edit's change-log position (POST /edits/{seq}/revert).",
            List.of(collection, feature),
            OpenApiDoc.problems(OpenApiDoc.json("the versions"), problems)));
    paths.put(
        "/history/{collectionId}/{featureId}/{version}",
        OpenApiDoc.get(
            "a feature as it was",
            "One version as a GeoJSON Feature, with a version member naming who made it and when.",
            List.of(
                collection,
                feature,
                new JsonObject()
                    .put("name", "version")
                    .put("in", "path")
                    .put("required", true)
                    .put("schema", new JsonObject().put("type", "integer").put("minimum", 1))),
            OpenApiDoc.problems(OpenApiDoc.geojson("the version"), problems)));
    JsonObject from =
        new JsonObject()
            .put("name", "from")
            .put("in", "query")
            .put("required", true)
            .put("schema", new JsonObject().put("type", "integer").put("minimum", 1));
    paths.put(
        "/history/{collectionId}/{featureId}/compare",
        OpenApiDoc.get(
            "two versions compared",
            "The attributes that differ (from, to) and the geometry added and removed as GeoJSON, with their areas in square metres.",
            List.of(collection, feature, from, from.copy().put("name", "to")),
            OpenApiDoc.problems(
                OpenApiDoc.json("the differences"),
                List.of(
                    new String[] {"400", "from or to missing or not a version number"},
                    new String[] {"401", "no credentials"},
                    new String[] {"404", "no such feature or version"}))));
  }
}
