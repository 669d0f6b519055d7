package io.gridmap.server.edit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.gridmap.layers.edit.EditRefused;
import io.gridmap.layers.edit.GridRedraw;
import io.gridmap.layers.edit.VillageRedraw;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.layers.query.crs.SupportedCrs;
import io.gridmap.server.security.Principal;
import io.gridmap.server.security.SecurityHandler;
import io.gridmap.server.security.Visibility;
import io.gridmap.server.web.ApiException;
import io.gridmap.server.web.EntityTags;
import io.gridmap.server.web.GeoJsonReader;
import io.gridmap.server.web.GeoJsonWriter;
import io.gridmap.server.write.Writer;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.TopologyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /edits/villages}: moves the boundary two neighbouring villages of one street share,
 * given as the two villages' new outlines; their grids follow ({@link VillageRedraw}). The body is
 * a GeoJSON FeatureCollection of the two villages (id = 12-digit village code, geometry = new
 * outline, optional member {@code etag} = the village's ETag as read). The writer checks, in its
 * turn against the current index, that the caller's scope covers both villages, that each etag
 * given names the village's current version, then every rule. Answers 200 with the grids whose
 * outline changed and the two villages as they now are, each with its {@code etag}.
 */
final class VillageRedrawHandler {
  private static final Logger LOG = LoggerFactory.getLogger(VillageRedrawHandler.class);
  static final String BODY_FORM =
      "a GeoJSON FeatureCollection of the two neighbouring villages whose boundary moves, each a"
          + " Feature whose id is the village's 12-digit code and whose geometry is its new Polygon"
          + " or MultiPolygon (WGS84 lon/lat), with an optional member etag";
  private static final GeometryFactory FACTORY = new GeometryFactory();
  private static final JsonFactory JSON = new JsonFactory();

  private final Edits edits;
  private final GridRedraw.Limits limits;

  VillageRedrawHandler(Edits edits, GridRedraw.Limits limits) {
    this.edits = edits;
    this.limits = limits;
  }

  /**
   * The villages of a body, in body order.
   *
   * @param etags village code -> the ETag its feature's {@code etag} member names, when given
   */
  record Request(Map<String, Geometry> outlines, Map<String, String> etags) {}

  void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    Principal who = SecurityHandler.principal(ctx);
    Edits.requireJson(ctx, "application/geo+json or application/json: " + BODY_FORM);
    if (EntityTags.ifMatch(ctx.request()) != null) {
      throw ApiException.badRequest(
          "header If-Match is not read on POST /edits/villages: give each village's ETag as the"
              + " member \"etag\" of its feature, as GET /collections/villages/items/{id} and the"
              + " answer of a redraw carry it");
    }
    boolean requireEtags = edits.requireIfMatch();
    edits.content(); // 503 while loading
    byte[] body = Edits.body(ctx);
    String base = edits.baseUrl(ctx);
    AtomicReference<Request> request = new AtomicReference<>();
    AtomicReference<VillageRedraw.Plan> planned = new AtomicReference<>();
    edits.run(
        ctx,
        () -> {
          Request r = parse(body, limits);
          if (requireEtags && r.etags().size() < r.outlines().size()) {
            List<String> missing =
                r.outlines().keySet().stream().filter(c -> !r.etags().containsKey(c)).toList();
            throw EntityTags.required(
                "village(s) "
                    + String.join(", ", missing)
                    + " carry no member \"etag\" (the ETag of the version redrawn)");
          }
          request.set(r);
          return new Writer.Write(
              who,
              "villages.redraw",
              "villages/" + String.join(",", r.outlines().keySet()),
              current -> {
                VillageRedraw.Plan p = plan(current, who, r, limits);
                planned.set(p);
                return p.grids().change();
              });
        },
        index -> {
          VillageRedraw.Plan p = planned.get();
          List<Long> redrawn = p == null ? List.of() : p.grids().redrawn();
          if (p != null) {
            LOG.info(
                "villages.redraw by {} ({}): villages {}, {} grid outline(s) changed; visible {} ms"
                    + " after the request arrived",
                who.subject(),
                who.role().code(),
                p.villages(),
                redrawn.size(),
                (System.nanoTime() - start) / 1_000_000);
          }
          return new Edits.Answer(
              answer(index, request.get().outlines().keySet(), redrawn, who, base), null);
        });
  }

  /** Reads the body, or a 400 naming the member that is wrong. */
  static Request parse(byte[] body, GridRedraw.Limits limits) {
    JsonNode fc = GeoJsonReader.object(body, BODY_FORM);
    ArrayNode features = GeoJsonReader.features(fc, BODY_FORM);
    if (features.size() != 2) {
      throw ApiException.badRequest(
          "features holds "
              + features.size()
              + " village(s); expected exactly 2: "
              + BODY_FORM
              + " (grids inside one village move with POST /edits/grids)");
    }
    GeoJsonReader.Budget budget =
        new GeoJsonReader.Budget(limits.maxVerticesPerRequest(), "one village redraw");
    Map<String, Geometry> outlines = new LinkedHashMap<>();
    Map<String, String> etags = new LinkedHashMap<>();
    for (int i = 0; i < features.size(); i++) {
      JsonNode f = features.get(i);
      String at = "features[" + i + "]";
      GeoJsonReader.feature(f, at, "a GeoJSON Feature with an id and a geometry");
      JsonNode id = f.get("id");
      if (id == null
          || !(id.isIntegralNumber() || id.isTextual())
          || !id.asText().matches("\\d{12}")) {
        throw GeoJsonReader.invalid(
            at + ".id", id, "the village's 12-digit code, e.g. 500103001001");
      }
      String code = id.asText();
      if (outlines.containsKey(code)) {
        throw ApiException.badRequest(
            at
                + ".id is "
                + code
                + ", which an earlier feature already names; expected two different villages");
      }
      outlines.put(
          code, GeoJsonReader.polygonal(f.get("geometry"), at + ".geometry", FACTORY, budget));
      JsonNode etag = f.get("etag");
      if (etag != null && !etag.isNull()) {
        etags.put(code, etag(etag, at + ".etag"));
      }
    }
    return new Request(outlines, etags);
  }

  /** An {@code etag} member, quoted as the header gives it or bare. */
  private static String etag(JsonNode v, String at) {
    String form =
        "the village's ETag as a string, as the ETag header of GET"
            + " /collections/villages/items/{id} or a village redraw's answer gives it";
    if (!v.isTextual() || v.asText().isBlank() || v.asText().length() > 200) {
      throw GeoJsonReader.invalid(at, v, form);
    }
    String t = v.asText().strip();
    return t.startsWith("\"") || t.startsWith("W/") || t.equals(EntityTags.ANY)
        ? t
        : "\"" + t + "\"";
  }

  /** In the writer's turn: both villages known and in scope, every etag current, then the plan. */
  static VillageRedraw.Plan plan(
      CityIndex current, Principal who, Request r, GridRedraw.Limits limits) {
    LayerIndex villages = current.findLayer(VillageRedraw.LAYER).orElse(null);
    List<String> stale = new ArrayList<>();
    for (String code : r.outlines().keySet()) {
      Feature v = villages == null ? null : villages.byId(Long.parseLong(code)).orElse(null);
      if (v == null) {
        throw Edits.refusal(
            new EditRefused(
                EditRefused.Rule.UNKNOWN_FEATURE,
                null,
                "village "
                    + code
                    + " does not exist; a village redraw names existing villages by their 12-digit"
                    + " code"));
      }
      if (!who.covers(code)) {
        throw Edits.outsideScope(who, "village", code);
      }
      String given = r.etags().get(code);
      if (given != null) {
        String now = EntityTags.of(villages.def(), v);
        if (!EntityTags.matches(given, now)) {
          stale.add("village " + code + " (etag " + given + ", now " + now + ")");
        }
      }
    }
    if (!stale.isEmpty()) {
      throw new ApiException(
          412,
          "Precondition Failed",
          "the etag given does not name the current version of "
              + String.join(", ", stale)
              + ": someone changed it since you read it (weak tags W/\"...\" never match). Read"
              + " the villages again, redraw on what they are now, and send their new etags;"
              + " nothing was written");
    }
    try {
      return VillageRedraw.plan(current, r.outlines(), limits);
    } catch (TopologyException e) {
      Coordinate at = e.getCoordinate();
      throw Edits.refusal(
          new EditRefused(
              EditRefused.Rule.VALID_POLYGON,
              null,
              "the new outlines could not be overlaid robustly"
                  + (at == null ? "" : " near lon " + at.x + ", lat " + at.y)
                  + "; check them for near-coincident edges or vertices there"));
    }
  }

  /**
   * The grids whose outline changed and the two villages, as a FeatureCollection: each feature with
   * its self link, the foreign member {@code collection} naming its layer and {@code etag} its
   * version.
   */
  static byte[] answer(
      CityIndex index,
      java.util.Collection<String> villages,
      List<Long> redrawn,
      Principal who,
      String base) {
    LayerIndex grids = index.layer(GridRedraw.LAYER);
    LayerIndex vs = index.layer(VillageRedraw.LAYER);
    List<String> features = new ArrayList<>();
    for (long id : redrawn) {
      grids.byId(id).ifPresent(g -> features.add(feature(grids.def(), g, who, base)));
    }
    for (String code : villages) {
      vs.byId(Long.parseLong(code)).ifPresent(v -> features.add(feature(vs.def(), v, who, base)));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("type", "FeatureCollection");
      g.writeArrayFieldStart("features");
      for (String f : features) {
        g.writeRawValue(f);
      }
      g.writeEndArray();
      g.writeArrayFieldStart("redrawn");
      for (long id : redrawn) {
        g.writeNumber(id);
      }
      g.writeEndArray();
      g.writeArrayFieldStart("villages");
      for (String code : villages) {
        g.writeString(code);
      }
      g.writeEndArray();
      g.writeNumberField("numberReturned", features.size());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static String feature(LayerDef def, Feature f, Principal who, String base) {
    int[] fields =
        who.role().visibility() == Visibility.STAFF
            ? IntStream.range(0, def.fields().size()).toArray()
            : GeoJsonWriter.publicFields(def);
    ByteArrayOutputStream out = new ByteArrayOutputStream(8 * 1024);
    try {
      GeoJsonWriter w = new GeoJsonWriter(out, def, SupportedCrs.CRS84, fields);
      w.feature(
          f,
          j -> {
            j.writeArrayFieldStart("links");
            j.writeStartObject();
            j.writeStringField("href", base + "/collections/" + def.name() + "/items/" + f.id());
            j.writeStringField("rel", "self");
            j.writeStringField("type", io.gridmap.server.ogc.ItemsHandler.GEOJSON);
            j.writeEndObject();
            j.writeEndArray();
            j.writeStringField("collection", def.name());
            j.writeStringField("etag", EntityTags.of(def, f));
          });
      w.json().flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
