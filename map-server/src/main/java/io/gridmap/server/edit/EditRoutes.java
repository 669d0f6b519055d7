package io.gridmap.server.edit;

import io.gridmap.layers.edit.GridRedraw;
import io.gridmap.server.content.Content;
import io.gridmap.server.ogc.ItemsHandler;
import io.gridmap.server.web.ApiPaths;
import io.gridmap.server.web.Loaded;
import io.gridmap.server.web.OpenApiDoc;
import io.gridmap.server.web.RouteModule;
import io.gridmap.server.web.Routes;
import io.gridmap.server.write.Writer;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;

/**
 * Mounts the edits: {@code PATCH /collections/grids/items/{fid}} (a grid's attributes), {@code PUT}
 * on the same path (the grid replaced as a whole feature), {@code POST /edits/grids} (grid
 * boundaries, and grids created), {@code POST /edits/grids/{fid}/split}, {@code POST
 * /edits/grids/merge} and {@code POST /edits/{seq}/revert}, each conditional on the versions it
 * changes ({@link io.gridmap.server.web.EntityTags}). Mounted by the composition root. Who may call
 * them is the access policy's business (planners and admins); the scope, every rule and the write
 * itself are checked by the one writer against the current index. See docs/editing.md.
 */
public final class EditRoutes implements RouteModule {
  private final Edits edits;

  /**
   * @param workers the pool edit bodies are read and answers written on
   * @param publicUrl the configured public URL, or null to take links from the request
   * @param requireIfMatch setting edits_require_if_match: a write that names no version is 428
   */
  public EditRoutes(
      Loaded<Content> content,
      Loaded<Writer> writer,
      WorkerExecutor workers,
      String publicUrl,
      boolean requireIfMatch) {
    this.edits = new Edits(content, writer, workers, publicUrl, requireIfMatch);
  }

  /** Largest update body: a handful of properties. */
  public static final long MAX_UPDATE_BYTES = 64 << 10;

  /** Largest replace body: one grid at the vertex cap (20,000 positions), its properties, room. */
  public static final long MAX_REPLACE_BYTES = 2 << 20;

  /** Largest redraw body: 200,000 positions at about 40 bytes each, and some room. */
  public static final long MAX_REDRAW_BYTES = 10 << 20;

  @Override
  public void mount(Routes router) {
    GridUpdateHandler update = new GridUpdateHandler(edits);
    GridRedrawHandler redraw = new GridRedrawHandler(edits, GridRedraw.Limits.standard());
    router
        .patch(
            "/collections/grids/items/:featureId",
            List.of("application/merge-patch+json", "application/json", ItemsHandler.GEOJSON))
        .setName("/collections/grids/items/{fid} (update)")
        .handler(BodyHandler.create(false).setBodyLimit(MAX_UPDATE_BYTES))
        .handler(update::handle);
    RevertHandler revert = new RevertHandler(edits, GridRedraw.Limits.standard());
    router
        .post("/edits/:seq/revert")
        .setName("/edits/{seq}/revert")
        // a revert takes no body: a large one is refused before it is read
        .handler(BodyHandler.create(false).setBodyLimit(1024))
        .handler(revert::handle);
    router
        .put("/collections/grids/items/:featureId")
        .setName("/collections/grids/items/{fid} (replace)")
        .handler(BodyHandler.create(false).setBodyLimit(MAX_REPLACE_BYTES))
        .handler(new GridReplaceHandler(edits, GridRedraw.Limits.standard())::handle);
    router
        .post("/edits/grids/merge")
        .setName("/edits/grids/merge")
        .handler(BodyHandler.create(false).setBodyLimit(MAX_UPDATE_BYTES))
        .handler(new GridMergeHandler(edits, GridRedraw.Limits.standard())::handle);
    router
        .post("/edits/grids/:featureId/split")
        .setName("/edits/grids/{fid}/split")
        .handler(BodyHandler.create(false).setBodyLimit(MAX_REPLACE_BYTES))
        .handler(new GridSplitHandler(edits, GridRedraw.Limits.standard())::handle);
    router
        .post("/edits/grids")
        .setName("/edits/grids")
        .handler(BodyHandler.create(false).setBodyLimit(MAX_REDRAW_BYTES))
        .handler(redraw::handle);
    router
        .post("/edits/villages")
        .setName("/edits/villages")
        .handler(BodyHandler.create(false).setBodyLimit(MAX_REDRAW_BYTES))
        .handler(new VillageRedrawHandler(edits, GridRedraw.Limits.standard())::handle);
  }

  private static final String STALE =
      "If-Match (or a grid's etag) names a version that is no longer current: someone changed the grid since; the detail gives its ETag now, and nothing was written";
  private static final String REQUIRED =
      "no If-Match (or a grid without etag) while the server requires one (setting edits_require_if_match); nothing was written";

  /** A 200 response with the ETag of the grid's new version. */
  private static JsonObject tagged(JsonObject responses) {
    responses
        .getJsonObject("200")
        .put(
            "headers",
            new JsonObject()
                .put(
                    "ETag",
                    new JsonObject()
                        .put("description", "the strong ETag of the grid's version now")
                        .put("schema", new JsonObject().put("type", "string"))));
    return responses;
  }

  /** The edit operations for {@code /api}: PATCH and PUT on a grid, POST /edits/grids. */
  @Override
  public void describe(ApiPaths api) {
    JsonObject paths = api.paths();
    JsonObject featureId =
        new JsonObject()
            .put("name", "featureId")
            .put("in", "path")
            .put("required", true)
            .put("schema", new JsonObject().put("type", "integer"));
    JsonObject ifMatch =
        new JsonObject()
            .put("name", "If-Match")
            .put("in", "header")
            .put("required", false)
            .put(
                "description",
                "the ETag of the version the edit changes, as GET of the item gave it (or *); a stale one is 412. Required with the setting edits_require_if_match (428 without)")
            .put("schema", new JsonObject().put("type", "string"));
    GridRedraw.Limits limits = GridRedraw.Limits.standard();
    JsonObject editable =
        new JsonObject()
            .put(
                "name",
                new JsonObject()
                    .put("type", "string")
                    .put("minLength", 1)
                    .put("maxLength", GridProperties.MAX_TEXT))
            .put(
                "population",
                new JsonObject()
                    .put("type", "integer")
                    .put("minimum", 0)
                    .put("maximum", GridProperties.MAX_COUNT))
            .put(
                "households",
                new JsonObject()
                    .put("type", "integer")
                    .put("minimum", 0)
                    .put("maximum", GridProperties.MAX_COUNT))
            .put(
                "worker_id",
                new JsonObject()
                    .put(
                        "oneOf",
                        new JsonArray()
                            .add(new JsonObject().put("type", "integer").put("minimum", 1))
                            .add(
                                new JsonObject()
                                    .put("type", "string")
                                    .put("pattern", "^[0-9]{1,18}$")))
                    .put(
                        "description",
                        "the id of an existing force (13 digits): a JSON number, or a string of"
                            + " digits for clients that keep ids as strings"))
            .put(
                "worker_name",
                new JsonObject()
                    .put("type", "string")
                    .put("nullable", true)
                    .put("maxLength", GridProperties.MAX_TEXT));
    JsonObject patchSchema =
        new JsonObject()
            .put("type", "object")
            .put("required", new JsonArray().add("properties"))
            .put(
                "properties",
                new JsonObject()
                    .put(
                        "type",
                        new JsonObject()
                            .put("type", "string")
                            .put("enum", new JsonArray().add("Feature")))
                    .put("id", new JsonObject().put("description", "the grid's id, as in the path"))
                    .put(
                        "properties",
                        new JsonObject()
                            .put("type", "object")
                            .put("properties", editable)
                            .put(
                                "description",
                                "editable: "
                                    + String.join(", ", GridProperties.EDITABLE)
                                    + "; "
                                    + String.join(", ", GridProperties.CODES)
                                    + " may be repeated unchanged, never changed")));
    JsonObject patchContent = new JsonObject();
    for (String m :
        List.of("application/merge-patch+json", "application/json", ItemsHandler.GEOJSON)) {
      patchContent.put(m, new JsonObject().put("schema", patchSchema));
    }
    JsonObject patch =
        OpenApiDoc.operation(
                "grids: update a grid's attributes",
                "OGC API - Features Part 4 update: a JSON merge patch of the grid. Planners and admins, for grids their scope covers. "
                    + "A geometry is refused: boundaries move with POST /edits/grids. 200 with the grid as it now is (nothing is written when nothing changes).",
                List.of(featureId, ifMatch),
                OpenApiDoc.problems(
                    tagged(OpenApiDoc.response("the grid as it now is", ItemsHandler.GEOJSON)),
                    List.of(
                        new String[] {
                          "400",
                          "a malformed body or none, no Content-Type, an unknown or read-only property changed, a value of the wrong form, a geometry"
                        },
                        new String[] {"412", STALE},
                        new String[] {"428", REQUIRED},
                        new String[] {"401", "no credentials"},
                        new String[] {
                          "403",
                          "not a planner or admin, or the grid lies outside the caller's scope; nothing was written"
                        },
                        new String[] {"404", "no such grid"},
                        new String[] {"415", "a Content-Type that is not JSON"},
                        new String[] {"422", "worker_id names no force"})))
            .put(
                "requestBody", new JsonObject().put("required", true).put("content", patchContent));
    JsonObject replaceSchema =
        new JsonObject()
            .put("type", "object")
            .put("required", new JsonArray().add("type").add("geometry").add("properties"))
            .put(
                "properties",
                new JsonObject()
                    .put(
                        "type",
                        new JsonObject()
                            .put("type", "string")
                            .put("enum", new JsonArray().add("Feature")))
                    .put("id", new JsonObject().put("description", "the grid's id, as in the path"))
                    .put(
                        "geometry",
                        new JsonObject()
                            .put("type", "object")
                            .put(
                                "description",
                                "the grid's Polygon or MultiPolygon: as read changes nothing; another outline is checked by the redraw's rules"))
                    .put(
                        "properties",
                        new JsonObject()
                            .put("type", "object")
                            .put("properties", editable.copy())
                            .put(
                                "description",
                                "every editable property the caller reads (a planner does not read worker_name, which its PUT keeps unless given); "
                                    + String.join(", ", GridProperties.CODES)
                                    + " may be repeated unchanged")));
    JsonObject replaceContent = new JsonObject();
    for (String m : List.of(ItemsHandler.GEOJSON, "application/json")) {
      replaceContent.put(m, new JsonObject().put("schema", replaceSchema));
    }
    JsonObject put =
        OpenApiDoc.operation(
                "grids: replace a grid",
                "OGC API - Features Part 4 replace: the grid as a whole GeoJSON Feature, as read with changes. Planners and admins, for grids their scope covers. "
                    + "Every editable property the caller reads must be given. The same outline changes attributes only; another outline is planned as a redraw of this one grid, "
                    + "which the topology rules refuse unless it covers exactly what it did (boundaries move with POST /edits/grids). 200 with the grid as it now is.",
                List.of(featureId, ifMatch),
                OpenApiDoc.problems(
                    tagged(OpenApiDoc.response("the grid as it now is", ItemsHandler.GEOJSON)),
                    List.of(
                        new String[] {
                          "400",
                          "a malformed body, no Content-Type, no geometry, an editable property missing, a read-only property changed, a value of the wrong form"
                        },
                        new String[] {"401", "no credentials"},
                        new String[] {
                          "403",
                          "not a planner or admin, or the grid lies outside the caller's scope; nothing was written"
                        },
                        new String[] {"404", "no such grid"},
                        new String[] {"412", STALE},
                        new String[] {"415", "a Content-Type that is not JSON"},
                        new String[] {
                          "422",
                          "worker_id names no force, or the outline breaks a redraw rule (same-outline, no-gap, shared-edges, ...); nothing was written"
                        },
                        new String[] {"428", REQUIRED})))
            .put(
                "requestBody",
                new JsonObject().put("required", true).put("content", replaceContent));
    JsonObject item = paths.getJsonObject("/collections/grids/items/{featureId}");
    if (item != null) {
      item.put("patch", patch);
      item.put("put", put);
    }

    JsonObject polygon =
        new JsonObject()
            .put("type", "object")
            .put("required", new JsonArray().add("type").add("coordinates"))
            .put(
                "properties",
                new JsonObject()
                    .put(
                        "type",
                        new JsonObject()
                            .put("type", "string")
                            .put("enum", new JsonArray().add("Polygon").add("MultiPolygon")))
                    .put("coordinates", new JsonObject().put("type", "array")));
    JsonObject feature =
        new JsonObject()
            .put("type", "object")
            .put("required", new JsonArray().add("geometry"))
            .put(
                "properties",
                new JsonObject()
                    .put(
                        "type",
                        new JsonObject()
                            .put("type", "string")
                            .put("enum", new JsonArray().add("Feature")))
                    .put(
                        "id",
                        new JsonObject()
                            .put("description", "the grid's 15-digit code (a number or a string)"))
                    .put("geometry", polygon)
                    .put(
                        "etag",
                        new JsonObject()
                            .put("type", "string")
                            .put(
                                "description",
                                "the grid's ETag as read (the ETag header of its item, or the etag of a redraw's answer); a stale one is 412. Required with the setting edits_require_if_match"))
                    .put(
                        "properties",
                        new JsonObject()
                            .put("type", "object")
                            .put("description", "optional; values given must equal the grid's")));
    JsonObject schema = OpenApiDoc.featureCollection(feature, limits.maxGrids());
    JsonObject content = new JsonObject();
    for (String m : List.of(ItemsHandler.GEOJSON, "application/json")) {
      content.put(m, new JsonObject().put("schema", schema));
    }
    JsonObject post =
        OpenApiDoc.operation(
                "redraw grid boundaries in one village",
                "New outlines for grids of one village: valid polygons (snapped to 1e-7 degrees, at most "
                    + limits.maxVerticesPerPolygon()
                    + " vertices each), together covering exactly what the old ones covered, matching their neighbours vertex for vertex. "
                    + "Planners and admins, for grids their scope covers. 200 with the grids as they now are once stored, audited and drawn; see docs/editing.md.",
                List.of(),
                OpenApiDoc.problems(
                    OpenApiDoc.response(
                        "the grids as they now are, each with its new ETag as the member etag; redrawn lists those whose outline changed",
                        ItemsHandler.GEOJSON),
                    List.of(
                        new String[] {
                          "400",
                          "a malformed body or geometry, a changed code or attribute, an If-Match header (etags go per grid)"
                        },
                        new String[] {"401", "no credentials"},
                        new String[] {
                          "403",
                          "not a planner or admin, or a grid outside the caller's scope; nothing was written"
                        },
                        new String[] {
                          "413",
                          "more than "
                              + limits.maxGrids()
                              + " grids or "
                              + limits.maxVerticesPerRequest()
                              + " positions"
                        },
                        new String[] {"412", STALE},
                        new String[] {"428", REQUIRED},
                        new String[] {"415", "a Content-Type that is not JSON"},
                        new String[] {
                          "422",
                          "a topology rule broken (the detail starts with rule <code>): one-village, valid-polygon, vertex-cap, not-empty, "
                              + "same-outline, no-gap, no-overlap, shared-edges, tiles, unknown-feature; nothing was written"
                        })))
            .put("requestBody", new JsonObject().put("required", true).put("content", content));
    paths.put("/edits/grids", new JsonObject().put("post", post));
    paths.put("/edits/{seq}/revert", new JsonObject().put("post", revertOperation()));
    JsonObject split = splitOperation(featureId);
    JsonObject merge = mergeOperation();
    paths.put("/edits/grids/{featureId}/split", new JsonObject().put("post", split));
    paths.put("/edits/grids/merge", new JsonObject().put("post", merge));
    for (JsonObject op :
        new JsonObject[] {
          item == null ? null : item.getJsonObject("patch"),
          item == null ? null : item.getJsonObject("put"),
          post,
          paths.getJsonObject("/edits/{seq}/revert").getJsonObject("post"),
          split,
          merge
        }) {
      if (op != null) {
        withDryRun(op);
      }
    }

    // POST /edits/villages: the boundary of two villages, their grids following
    JsonObject village =
        new JsonObject()
            .put("type", "object")
            .put("required", new JsonArray().add("id").add("geometry"))
            .put(
                "properties",
                new JsonObject()
                    .put(
                        "type",
                        new JsonObject()
                            .put("type", "string")
                            .put("enum", new JsonArray().add("Feature")))
                    .put(
                        "id",
                        new JsonObject()
                            .put(
                                "description",
                                "the village's 12-digit code (a number or a string)"))
                    .put("geometry", polygon.copy())
                    .put(
                        "etag",
                        new JsonObject()
                            .put("type", "string")
                            .put(
                                "description",
                                "the village's ETag as read (the ETag header of GET /collections/villages/items/{id}, or the etag of this operation's answer); a stale one is 412. Required with the setting edits_require_if_match")));
    JsonObject villageSchema = OpenApiDoc.featureCollection(village, 2);
    villageSchema.getJsonObject("properties").getJsonObject("features").put("minItems", 2);
    JsonObject villageContent = new JsonObject();
    for (String m : List.of(ItemsHandler.GEOJSON, "application/json")) {
      villageContent.put(m, new JsonObject().put("schema", villageSchema));
    }
    JsonObject villagePost =
        OpenApiDoc.operation(
                "redraw the boundary of two neighbouring villages, their grids following",
                "The new outlines of two neighbouring villages of one street, together covering exactly what the two covered (within "
                    + GridRedraw.AREA_TOLERANCE_M2
                    + " m²). Each grid is clipped to its village's new outline; each piece a village gains goes to its grid sharing the longest boundary with it. "
                    + "The grids are then checked by every rule of POST /edits/grids and the villages' stored outlines become the union of their grids. "
                    + "Planners and admins whose scope covers both villages. 200 with the grids whose outline changed and the two villages, each with its etag; see docs/editing.md.",
                List.of(),
                OpenApiDoc.problems(
                    OpenApiDoc.response(
                        "the grids whose outline changed and the two villages as they now are, each with its ETag as the member etag and its layer as the member collection; redrawn lists the grids",
                        ItemsHandler.GEOJSON),
                    List.of(
                        new String[] {
                          "400",
                          "a malformed body or geometry, not exactly two features, an id that is no 12-digit code, an If-Match header (etags go per village)"
                        },
                        new String[] {"401", "no credentials"},
                        new String[] {
                          "403",
                          "not a planner or admin, or a village outside the caller's scope; nothing was written"
                        },
                        new String[] {
                          "412",
                          "a village's etag names a version that is no longer current; nothing was written"
                        },
                        new String[] {"428", REQUIRED},
                        new String[] {
                          "413", "more than " + limits.maxVerticesPerRequest() + " positions"
                        },
                        new String[] {"415", "a Content-Type that is not JSON"},
                        new String[] {
                          "422",
                          "a rule broken (the detail starts with rule <code>, the member violations lists each with its geometry): unknown-feature, one-village (not two neighbours of one street), "
                              + "valid-polygon, same-outline, no-gap, no-overlap, not-empty (a grid left without area), and every rule of a grid redraw; nothing was written"
                        })))
            .put(
                "requestBody",
                new JsonObject().put("required", true).put("content", villageContent));
    withDryRun(villagePost);
    paths.put("/edits/villages", new JsonObject().put("post", villagePost));
  }

  /**
   * Every edit takes {@code dryRun} (checked and answered as if written, nothing written) and
   * {@code reason}.
   */
  private static void withDryRun(JsonObject op) {
    JsonArray params = op.getJsonArray("parameters");
    if (params == null) {
      params = new JsonArray();
      op.put("parameters", params);
    }
    params.add(
        new JsonObject()
            .put("name", "dryRun")
            .put("in", "query")
            .put("required", false)
            .put(
                "description",
                "true: plan and check the edit by every rule against the map as it is, answer as if"
                    + " written (the resulting grids, or 4xx with every violation), header Dry-Run:"
                    + " true; nothing is written, audited or versioned")
            .put("schema", new JsonObject().put("type", "boolean").put("default", false)));
    params.add(
        new JsonObject()
            .put("name", "reason")
            .put("in", "query")
            .put("required", false)
            .put(
                "description",
                "why the edit is made (a re-zoning decision, a correction), kept with every version"
                    + " it makes (GET /history/...) and in the audit log")
            .put(
                "schema",
                new JsonObject()
                    .put("type", "string")
                    .put("minLength", 1)
                    .put("maxLength", Edits.MAX_REASON)));
  }

  /** The answers of an edit that adds and retires grids. */
  private static JsonObject addRetireResponses(String answer, String rules) {
    return OpenApiDoc.problems(
        OpenApiDoc.response(answer, ItemsHandler.GEOJSON),
        List.of(
            new String[] {"400", "a malformed body, an If-Match header (etags go in the body)"},
            new String[] {"401", "no credentials"},
            new String[] {"403", "not a planner or admin, or a grid outside the caller's scope"},
            new String[] {"412", STALE},
            new String[] {"428", REQUIRED},
            new String[] {"415", "a Content-Type that is not JSON"},
            new String[] {
              "422",
              "a rule broken, each in the member violations with its geometry ("
                  + rules
                  + ", and every rule of a redraw: size-bounds, no-overlap, shared-edges, tiles,"
                  + " worker, new-codes...); nothing was written"
            }));
  }

  private static JsonObject jsonBody(JsonObject schema) {
    return new JsonObject()
        .put("required", true)
        .put(
            "content",
            new JsonObject().put("application/json", new JsonObject().put("schema", schema)));
  }

  private static JsonObject splitOperation(JsonObject featureId) {
    JsonObject newGrid =
        new JsonObject()
            .put("type", "object")
            .put(
                "properties",
                new JsonObject()
                    .put("name", new JsonObject().put("type", "string"))
                    .put("worker_id", new JsonObject().put("type", "integer")));
    JsonObject schema =
        new JsonObject()
            .put("type", "object")
            .put("required", new JsonArray().add("line"))
            .put(
                "properties",
                new JsonObject()
                    .put(
                        "line",
                        new JsonObject()
                            .put("type", "object")
                            .put("description", "a GeoJSON LineString across the grid"))
                    .put("etag", new JsonObject().put("type", "string"))
                    .put(
                        "grids",
                        new JsonObject()
                            .put("type", "array")
                            .put("maxItems", 2)
                            .put("items", newGrid))
                    .put(
                        "forces",
                        new JsonObject()
                            .put("type", "integer")
                            .put("minimum", 0)
                            .put("maximum", 1)));
    return OpenApiDoc.operation(
            "split a grid in two along a line",
            GridSplitHandler.BODY_FORM
                + ". The grid is retired; the two parts get the village's next codes (never one"
                + " given before), residents and households by area, the grid's worker unless named,"
                + " and key sites and open incidents by where they lie. See docs/editing.md.",
            List.of(featureId),
            addRetireResponses(
                "the two new grids, each with its ETag as the member etag; retired names the split grid",
                "split-line"))
        .put("requestBody", jsonBody(schema));
  }

  private static JsonObject mergeOperation() {
    JsonObject schema =
        new JsonObject()
            .put("type", "object")
            .put("required", new JsonArray().add("grids"))
            .put(
                "properties",
                new JsonObject()
                    .put("grids", new JsonObject().put("type", "array").put("minItems", 2))
                    .put("properties", new JsonObject().put("type", "object")));
    return OpenApiDoc.operation(
            "merge neighbouring grids of one village",
            GridMergeHandler.BODY_FORM
                + ". The grids are retired; the merged grid gets the village's next code, their"
                + " residents and forces. See docs/editing.md.",
            List.of(),
            addRetireResponses(
                "the merged grid with its ETag as the member etag; retired names the grids merged",
                "merge-neighbours"))
        .put("requestBody", jsonBody(schema));
  }

  private static JsonObject revertOperation() {
    return OpenApiDoc.operation(
        "revert an edit",
        "Puts every grid the edit at change-log position seq changed back as it was before it, as a new version checked by the same rules as a redraw."
            + " seq is listed per version by GET /history/grids/{id}. "
            + io.gridmap.server.security.AccessPolicy.REVERT_RULE
            + ". 200 with the grids as they now are; see docs/editing.md.",
        List.of(
            new JsonObject()
                .put("name", "seq")
                .put("in", "path")
                .put("required", true)
                .put("schema", new JsonObject().put("type", "integer").put("minimum", 1))),
        OpenApiDoc.problems(
            OpenApiDoc.response("the grids as they now are", ItemsHandler.GEOJSON),
            List.of(
                new String[] {"401", "no credentials"},
                new String[] {
                  "403", "not the edit's author (planners), or a grid outside the caller's scope"
                },
                new String[] {"404", "no edit at that position in the history"},
                new String[] {
                  "412", "If-Match (the ETags of the edit's grids) names a grid's older version"
                },
                new String[] {"428", "no If-Match, and the server requires one"},
                new String[] {
                  "409",
                  "rule edited-since: a grid was changed again after the edit; revert that first"
                },
                new String[] {
                  "422",
                  "a rule the revert would now break (not-revertible, worker, or a redraw rule such as same-outline); nothing was written"
                })));
  }
}
