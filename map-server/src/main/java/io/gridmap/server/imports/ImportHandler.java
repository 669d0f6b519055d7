package io.gridmap.server.imports;

import io.gridmap.importer.load.ImportRefused;
import io.gridmap.importer.load.ImportSummary;
import io.gridmap.importer.load.LayerImporter;
import io.gridmap.importer.read.FeatureReader;
import io.gridmap.importer.read.ImportException;
import io.gridmap.importer.read.Readers;
import io.gridmap.layers.model.Field;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.LayerImport;
import io.gridmap.layers.store.NotTheWriterException;
import io.gridmap.server.content.Content;
import io.gridmap.server.security.AuditLog;
import io.gridmap.server.security.Principal;
import io.gridmap.server.security.SecurityHandler;
import io.gridmap.server.web.ApiException;
import io.gridmap.server.web.BaseUrl;
import io.gridmap.server.web.Loaded;
import io.gridmap.server.web.Routes;
import io.gridmap.server.write.Writer;
import io.vertx.core.Future;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.locationtech.jts.geom.Envelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /imports}: the body (a GeoJSON, CSV or GeoPackage file) is streamed to a temporary
 * file, up to {@code import_max_mb}; then the one writer runs the import in its turn ({@link
 * Writer#exclusive}): read and check every feature, check a planner's area, write the layer to the
 * store in one transaction, swap it into memory, record it in the audit log. The request is
 * answered once readers see the layer. On a node of a cluster that does not write just now, the
 * received file is forwarded to the node that does ({@code WriteForwarder}, from the file on disk),
 * and the answer waits until this node shows the layer too.
 */
final class ImportHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ImportHandler.class);

  private final Loaded<Content> content;
  private final Loaded<Writer> writer;
  private final AuditLog audit;
  private final long maxBytes;
  private final String publicUrl;

  ImportHandler(
      Loaded<Content> content,
      Loaded<Writer> writer,
      AuditLog audit,
      long maxBytes,
      String publicUrl) {
    this.content = content;
    this.writer = writer;
    this.audit = audit;
    this.maxBytes = maxBytes;
    this.publicUrl = publicUrl;
  }

  void handle(RoutingContext ctx) {
    Principal who = SecurityHandler.principal(ctx);
    ImportRequest request =
        ImportRequest.parse(ctx.queryParams(), ctx.request().getHeader("Content-Type"));
    Content c = content.get();
    Writer w = writer.get();
    // the area is checked against the map as it is when the request arrives; a 403 before the body
    PlannerArea area = PlannerArea.of(who, c.index());
    String length = ctx.request().getHeader("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > maxBytes) {
          ctx.response().putHeader("Connection", "close"); // the body is not read
          throw tooLarge(maxBytes);
        }
      } catch (NumberFormatException e) {
        // Vert.x refuses a malformed Content-Length before here; the count below bounds it anyway
      }
    }
    String base = BaseUrl.of(ctx, publicUrl);
    HttpServerRequest req = ctx.request();
    req.pause();
    var fs = ctx.vertx().fileSystem();
    fs.createTempDirectory("gridmap-import-")
        .compose(
            dir -> {
              Path file = Path.of(dir, request.options().layer() + "." + request.extension());
              return receive(ctx, file)
                  .compose(
                      size ->
                          ImportRequest.isAdmin(request.options().layer())
                              ? admin(ctx, c, w, who, area, request, file, Path.of(dir))
                              : Future.fromCompletionStage(
                                      w.exclusive(
                                          "an import",
                                          store -> run(store, w, who, area, request, file, size)),
                                      ctx.vertx().getOrCreateContext())
                                  .map(ImportHandler::answer))
                  .onComplete(
                      done -> {
                        if (done.failed()
                            && NotTheWriterException.in(done.cause())
                                instanceof NotTheWriterException
                            && !ctx.response().closed()) {
                          // another node writes: the request goes on to it with this file as its
                          // body (WriteForwarder reads it from disk, never whole into memory), so
                          // the file goes once the answer has
                          ctx.put(Routes.BODY_FILE, file.toString());
                          ctx.addEndHandler(v -> fs.deleteRecursive(dir));
                        } else {
                          fs.deleteRecursive(dir);
                        }
                      });
            })
        .onSuccess(
            answer -> {
              ctx.response()
                  .setStatusCode(answer.written() ? 201 : 200)
                  .putHeader("Content-Type", "application/json")
                  .putHeader("Cache-Control", "no-store");
              if (answer.written()) {
                ctx.response().putHeader("Location", base + "/collections/" + answer.layer());
              }
              ctx.response().end(answer.body().encode());
            })
        .onFailure(e -> ctx.fail(problem(e)));
  }

  /** What the request is answered with: 201 and Location when written, else 200. */
  private record Answer(String layer, boolean written, JsonObject body) {}

  private static Answer answer(ImportSummary summary) {
    return new Answer(summary.def().name(), summary.written(), json(summary));
  }

  /**
   * An admin layer: planned by the writer in its turn and written as changes ({@link
   * AdminLayerImport}); a dry run is planned in the writer's turn too and writes nothing.
   */
  private Future<Answer> admin(
      RoutingContext ctx,
      Content c,
      Writer w,
      Principal who,
      PlannerArea area,
      ImportRequest request,
      Path file,
      Path dir) {
    FeatureStore store = c.store().orElse(null);
    if (store == null) {
      return Future.failedFuture(
          new ApiException(
              409,
              "Read-only server",
              "this server serves a dataset held in memory, without a store to write to; start it"
                  + " with --store FILE.gpkg to accept an import"));
    }
    String layer = request.options().layer();
    boolean dryRun = request.options().dryRun();
    AdminLayerImport job =
        new AdminLayerImport(
            store, who, area, request, file, dir.resolve(layer + "-report.geojson"), !dryRun);
    java.util.concurrent.CompletableFuture<Answer> done =
        dryRun
            ? w.exclusive("an import", s -> w.preview(job.write()))
                .thenApply(changes -> new Answer(layer, false, job.json(false, 0)))
            : w.submit(job.write())
                .thenApply(written -> new Answer(layer, true, job.json(true, written.seq())));
    return Future.fromCompletionStage(
            done.exceptionallyCompose(
                e -> {
                  Throwable cause = e;
                  while (cause instanceof CompletionException && cause.getCause() != null) {
                    cause = cause.getCause();
                  }
                  return cause instanceof AdminLayerImport.NothingChanges
                      ? java.util.concurrent.CompletableFuture.completedFuture(
                          new Answer(layer, false, job.unchanged()))
                      : java.util.concurrent.CompletableFuture.failedFuture(cause);
                }),
            ctx.vertx().getOrCreateContext())
        .onSuccess(
            a -> {
              if (a.written()) {
                LOG.info(
                    "imports: {} by {} into {}: {}",
                    file.getFileName(),
                    who.subject(),
                    layer,
                    a.body().getJsonObject("changes"));
              }
            });
  }

  /** Streams the body to {@code file}; fails with a 413 past the limit. */
  private Future<Long> receive(RoutingContext ctx, Path file) {
    HttpServerRequest req = ctx.request();
    return ctx.vertx()
        .fileSystem()
        .open(file.toString(), new OpenOptions().setWrite(true).setCreateNew(true))
        .compose(
            (AsyncFile out) -> {
              io.vertx.core.Promise<Long> received = io.vertx.core.Promise.promise();
              long[] size = {0};
              req.handler(
                  buf -> {
                    if (received.future().isComplete()) {
                      return;
                    }
                    size[0] += buf.length();
                    if (size[0] > maxBytes) {
                      ctx.response().putHeader("Connection", "close");
                      out.close();
                      received.tryFail(tooLarge(maxBytes));
                      return;
                    }
                    out.write(buf);
                    if (out.writeQueueFull()) {
                      req.pause();
                      out.drainHandler(v -> req.resume());
                    }
                  });
              req.exceptionHandler(
                  e -> {
                    out.close();
                    received.tryFail(e);
                  });
              req.endHandler(
                  v -> {
                    if (!received.future().isComplete()) {
                      out.close()
                          .onSuccess(x -> received.tryComplete(size[0]))
                          .onFailure(received::tryFail);
                    }
                  });
              req.resume();
              return received.future();
            });
  }

  private ApiException tooLarge(long limit) {
    return new ApiException(
        413,
        "Content Too Large",
        "the file is larger than this server's import_max_mb ("
            + (limit >> 20)
            + " MiB); import it on the server with mapserver import, or raise import_max_mb");
  }

  /** The import, on the writer thread. */
  private ImportSummary run(
      FeatureStore store,
      Writer w,
      Principal who,
      PlannerArea area,
      ImportRequest request,
      Path file,
      long size) {
    String layerName = request.options().layer();
    java.util.Optional<String> writerUrl = store.writerUrl();
    if (writerUrl.isPresent()) {
      // before the file is read: the node whose turn it is reads it (forwarded, as other writes)
      throw new NotTheWriterException(
          "this node does not write the store just now ("
              + writerUrl.get()
              + " does); nothing was imported here");
    }
    LayerImport[] written = new LayerImport[1];
    ImportSummary summary;
    try (FeatureReader reader = Readers.open(file, request.read())) {
      summary =
          new LayerImporter(
                  store, request.options(), LayerImporter.Progress.NONE, "http:" + who.subject())
              .beforeWrite(
                  l -> {
                    area.check(l);
                    written[0] = l;
                  })
              .run(reader);
    } catch (IOException e) {
      throw new ImportException(
          file,
          file.getFileName().toString(),
          "cannot be read: " + e.getMessage(),
          "check that the body is the whole file, in the format named");
    }
    if (!summary.written()) {
      return summary;
    }
    try {
      LayerImport l = written[0];
      // with its change-log position: the live stream publishes it, other nodes hear of it
      w.layerReplaced(new Layer(l.def(), l.features()), l.generalised(), summary.position());
    } catch (RuntimeException e) {
      // the store has it: readers see it after a restart
      LOG.error(
          "imports: layer {} is in the store but could not be swapped into memory", layerName, e);
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("file", file.getFileName().toString());
    details.put("bytes", size);
    details.put("added", summary.added());
    details.put("changed", summary.changed());
    details.put("unchanged", summary.unchanged());
    details.put("removed", summary.removed());
    details.put("kept", summary.kept());
    details.put("features", summary.total());
    try {
      audit.record(who, "layer.import", layerName, details);
    } catch (RuntimeException e) {
      // the store's own import entry (in the layer's transaction) still says who imported what
      LOG.error("imports: layer {} imported but the audit log could not record it", layerName, e);
    }
    return summary;
  }

  /** The summary as the response says it. */
  static JsonObject json(ImportSummary s) {
    JsonArray fields = new JsonArray();
    for (int i = 0; i < s.def().fields().size(); i++) {
      Field f = s.def().fields().get(i);
      fields.add(
          new JsonObject()
              .put("name", f.name())
              .put("type", f.type().name().toLowerCase(java.util.Locale.ROOT))
              .put("from", s.columns().get(i))
              .put("personal", f.personal())
              .put("in_tiles", f.inTiles()));
    }
    Envelope b = s.bounds();
    JsonObject out =
        new JsonObject()
            .put("layer", s.def().name())
            .put("file", s.file())
            .put("written", s.written())
            .put("read", s.read())
            .put("added", s.added())
            .put("changed", s.changed())
            .put("unchanged", s.unchanged())
            .put("removed", s.removed())
            .put("kept", s.kept())
            .put("repaired", s.repaired())
            .put("features", s.total())
            .put("kind", s.def().kind().name().toLowerCase(java.util.Locale.ROOT))
            .put("visibility", s.def().staffOnly() ? "staff" : "public")
            .put("minzoom", s.def().minZoom())
            .put("maxzoom", s.def().maxZoom())
            .put("crs", ImportProblems.forHttp(s.crs()))
            .put("fields", fields)
            .put(
                "bounds",
                b == null || b.isNull()
                    ? null
                    : new JsonArray()
                        .add(b.getMinX())
                        .add(b.getMinY())
                        .add(b.getMaxX())
                        .add(b.getMaxY()))
            .put("notes", new JsonArray(s.notes().stream().map(ImportProblems::forHttp).toList()));
    return out;
  }

  /** A failure as the problem handler writes it: every input problem a 4xx, never a 500. */
  static Throwable problem(Throwable e) {
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    if (e instanceof io.gridmap.importer.admin.HierarchyRefused h) {
      return AdminLayerImport.refused(h);
    }
    if (e instanceof ImportRefused r) {
      return ImportProblems.refused(r);
    }
    if (e instanceof ImportException x) {
      return ImportProblems.unreadable(x);
    }
    if (e instanceof IllegalArgumentException a) {
      return ImportProblems.badOptions(a);
    }
    if (e instanceof UncheckedIOException u) {
      return ApiException.badRequest(
          "the file cannot be read: " + u.getMessage() + "; nothing was imported");
    }
    return e;
  }
}
