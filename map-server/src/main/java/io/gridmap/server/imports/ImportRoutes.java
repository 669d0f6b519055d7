package io.gridmap.server.imports;

import io.gridmap.server.content.Content;
import io.gridmap.server.security.AuditLog;
import io.gridmap.server.web.ApiPaths;
import io.gridmap.server.web.Loaded;
import io.gridmap.server.web.OpenApiDoc;
import io.gridmap.server.web.RouteModule;
import io.gridmap.server.web.Routes;
import io.gridmap.server.write.Writer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Mounts {@code POST /imports}: a planner's file imported into a running server, served at once
 * without a restart (docs/import.md, "Into a running server"). Who may call it is the access
 * policy's business (admins and planners); a planner's area is checked against the features.
 */
public final class ImportRoutes implements RouteModule {
  private final ImportHandler handler;
  private final long maxBytes;

  /**
   * @param audit where each import is recorded
   * @param maxBytes the largest body taken (the {@code import_max_mb} setting)
   * @param publicUrl the configured public URL, or null to take links from the request
   */
  public ImportRoutes(
      Loaded<Content> content,
      Loaded<Writer> writer,
      AuditLog audit,
      long maxBytes,
      String publicUrl) {
    this.handler = new ImportHandler(content, writer, audit, maxBytes, publicUrl);
    this.maxBytes = maxBytes;
  }

  @Override
  public void mount(Routes router) {
    // no BodyHandler: the body is streamed to a file, never held in memory
    router.post("/imports").setName("/imports").handler(handler::handle);
  }

  @Override
  public void describe(ApiPaths api) {
    List<JsonObject> params = new ArrayList<>();
    String[][] described = {
      {
        "layer",
        "the layer to create or re-import into (snake_case), or an admin layer (grids, villages,"
            + " streets, districts: the hierarchy checked, written as changes); required"
      },
      {"format", "geojson, csv or gpkg; else taken from Content-Type"},
      {
        "crs",
        "the file's coordinates, over what it declares: wgs84, cgcs2000, gcj02, bd09, EPSG:4491-4554, EPSG:3857"
      },
      {"encoding", "a CSV's text encoding (default UTF-8)"},
      {"table", "the feature table of a GeoPackage that holds several"},
      {"lon", "a CSV's longitude/easting column"},
      {"lat", "a CSV's latitude/northing column"},
      {"wkt", "a CSV's geometry column, as WKT"},
      {"map", "ours=theirs pairs, comma separated: field names for the file's columns"},
      {"visibility", "public or staff (a new layer is staff only unless told)"},
      {
        "personal",
        "fields whose values identify a person, comma separated: never tiled, never public"
      },
      {"tiled", "the fields tiles carry, comma separated"},
      {"minzoom", "first zoom tiles draw the layer at (0-14)"},
      {"maxzoom", "last zoom (0-14)"},
      {"cluster", "points: true clusters below z14, false draws every point"},
      {"title", "the layer's human title"},
      {"replace", "true: features the file does not hold are removed (else kept)"},
      {"repair", "true: invalid polygons are fixed and counted, not refused"},
      {"dry_run", "true: read, check and compare; write nothing (200)"},
      {"dryRun", "the same as dry_run"}
    };
    for (String[] p : described) {
      params.add(
          OpenApiDoc.query(
                  p[0],
                  p[1],
                  new JsonObject()
                      .put("type", p[0].matches("minzoom|maxzoom") ? "integer" : "string"))
              .put("required", p[0].equals("layer")));
    }
    JsonObject content = new JsonObject();
    for (String type : ImportRequest.FORMATS.values()) {
      content.put(
          type,
          new JsonObject()
              .put("schema", new JsonObject().put("type", "string").put("format", "binary")));
    }
    JsonObject responses =
        new JsonObject()
            .put(
                "201",
                new JsonObject()
                    .put(
                        "description",
                        "imported and served: the summary (layer, counts added/changed/unchanged/removed/kept, fields, crs, bounds); Location names the collection")
                    .put(
                        "content",
                        new JsonObject()
                            .put(
                                "application/json",
                                new JsonObject()
                                    .put("schema", new JsonObject().put("type", "object")))));
    responses.put(
        "200",
        new JsonObject()
            .put("description", "a dry run: what the import would do; nothing written")
            .put(
                "content",
                new JsonObject()
                    .put(
                        "application/json",
                        new JsonObject().put("schema", new JsonObject().put("type", "object")))));
    OpenApiDoc.problems(
        responses,
        List.of(
            new String[] {
              "400", "a bad parameter, or a file that cannot be read (its problem and fix named)"
            },
            new String[] {"401", "no credentials"},
            new String[] {
              "403",
              "not an admin or planner, or a feature outside the planner's scope (the first named); nothing written"
            },
            new String[] {
              "409", "a server without a store to write to (it serves a dataset in memory)"
            },
            new String[] {"413", "a file larger than import_max_mb (" + (maxBytes >> 20) + " MiB)"},
            new String[] {
              "415", "a format not taken over HTTP (Shapefiles: convert to GeoPackage)"
            },
            new String[] {
              "422",
              "features that are wrong: every problem in problems, one line each; for an admin"
                  + " layer a hierarchy that would not hold, each problem also in violations with"
                  + " its rule, unit and geometry; nothing written"
            },
            new String[] {
              "503",
              "no node of the cluster writes just now, or the one that does cannot be reached"
                  + " (a node that does not write forwards the file to the one that does); nothing"
                  + " written, send it again after Retry-After"
            }));
    JsonObject post =
        OpenApiDoc.operation(
                "imports: a file into a layer of the running server",
                "The body is the file (GeoJSON, CSV or GeoPackage). Read, checked, written to the store in one transaction and served at once: collections, items, queryables and the tiles it touches. Admins anywhere; planners only for features inside their scope's outline. Audited as layer.import.",
                params,
                responses)
            .put("requestBody", new JsonObject().put("required", true).put("content", content));
    api.paths().put("/imports", new JsonObject().put("post", post));
  }
}
