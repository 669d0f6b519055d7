package io.gridmap.server.imports;

import io.gridmap.importer.admin.AdminChanges;
import io.gridmap.importer.admin.AdminImport;
import io.gridmap.importer.admin.AdminImportSummary;
import io.gridmap.importer.admin.HierarchyProblem;
import io.gridmap.importer.admin.HierarchyRefused;
import io.gridmap.importer.load.LayerImporter;
import io.gridmap.importer.read.FeatureReader;
import io.gridmap.importer.read.ImportException;
import io.gridmap.importer.read.Readers;
import io.gridmap.layers.edit.Change;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.NotTheWriterException;
import io.gridmap.server.security.Principal;
import io.gridmap.server.web.ApiException;
import io.gridmap.server.write.Writer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.locationtech.jts.io.geojson.GeoJsonWriter;

/**
 * An import into an admin layer (districts, streets, villages, grids) of a running server, planned
 * on the writer thread against the index as it is in the write's turn, like an edit: the file is
 * read and checked as the command line checks it, and becomes the changes that turn today's map
 * into the file's ({@link AdminChanges}). The writer stores them in one transaction under one audit
 * entry ({@code layer.import}) and swaps them in: only the tiles they touch are drawn again.
 */
final class AdminLayerImport implements Writer.MultiPlan {
  private final FeatureStore store;
  private final Principal who;
  private final PlannerArea area;
  private final ImportRequest request;
  private final Path file;
  private final Path report;
  private final boolean forwardable;
  private volatile AdminChanges.Planned planned;

  /**
   * @param report where the validation report goes (a temporary file: the answer carries it)
   * @param forwardable true when a node that does not write should hand the import to the writer (a
   *     real import); a dry run is planned on the node that got it
   */
  AdminLayerImport(
      FeatureStore store,
      Principal who,
      PlannerArea area,
      ImportRequest request,
      Path file,
      Path report,
      boolean forwardable) {
    this.store = store;
    this.who = who;
    this.area = area;
    this.request = request;
    this.file = file;
    this.report = report;
    this.forwardable = forwardable;
  }

  /** The write: audited as {@code layer.import} of the layer, the file named as its reason. */
  Writer.Write write() {
    return new Writer.Write(
        who,
        "layer.import",
        request.options().layer(),
        this,
        "import of " + file.getFileName() + " into " + request.options().layer());
  }

  /** Nothing in the file differs from the map: nothing to write. */
  static final class NothingChanges extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NothingChanges() {
      super("the file changes nothing", null, false, false);
    }
  }

  @Override
  public List<Change> planAll(CityIndex current) {
    if (forwardable) {
      java.util.Optional<String> writer = store.writerUrl();
      if (writer.isPresent()) {
        // before the file is read: the node whose turn it is plans it against its own map
        throw new NotTheWriterException(
            "this node does not write the store just now ("
                + writer.get()
                + " does); nothing was imported here");
      }
    }
    AdminImport importer =
        new AdminImport(
            store, request.options(), report, LayerImporter.Progress.NONE, "http:" + who.subject());
    AdminChanges.Planned p;
    try (FeatureReader reader = Readers.open(file, request.read())) {
      p = AdminChanges.plan(importer, reader, current);
    } catch (IOException e) {
      throw new ImportException(
          file,
          file.getFileName().toString(),
          "cannot be read: " + e.getMessage(),
          "check that the body is the whole file, in the format named");
    }
    for (Change c : p.changes()) {
      if (AdminImport.levelOf(c.layer()).isPresent()) {
        for (Change.Replacement r : c.replacements()) {
          area.check(c.layer(), r.before());
          area.check(c.layer(), r.after());
        }
      }
    }
    planned = p;
    if (p.changes().isEmpty()) {
      throw new NothingChanges();
    }
    return p.changes();
  }

  /** What the last plan found; null before it ran. */
  AdminChanges.Planned planned() {
    return planned;
  }

  /** The answer's body: the summary, with what the writer did. */
  JsonObject json(boolean written, long seq) {
    AdminImportSummary s = planned.summary();
    JsonObject out =
        new JsonObject()
            .put("layer", s.layer())
            .put("file", s.file())
            .put("written", written)
            .put("added", s.added())
            .put("changed", s.changed())
            .put("unchanged", s.unchanged())
            .put("retired", s.removed())
            .put("repaired", new JsonArray(s.moves()))
            .put("followed", s.followed())
            .put("key_sites_moved", s.sites())
            .put("events_moved", s.events())
            .put("forces_moved", s.forces())
            .put("problems", new JsonArray())
            .put("crs", ImportProblems.forHttp(s.crs()))
            .put(
                "notes",
                new JsonArray(
                    new java.util.ArrayList<>(
                        s.notes().stream().map(ImportProblems::forHttp).toList())));
    JsonObject layers = new JsonObject();
    for (Change c : planned.changes()) {
      long added = c.replacements().stream().filter(Change.Replacement::isAdded).count();
      long retired = c.replacements().stream().filter(Change.Replacement::isRetired).count();
      layers.put(
          c.layer(),
          new JsonObject()
              .put("added", added)
              .put("changed", c.replacements().size() - added - retired)
              .put("retired", retired));
    }
    out.put("changes", layers);
    out.put("generalised", new JsonObject(new java.util.LinkedHashMap<>(planned.generalisation())));
    if (seq > 0) {
      out.put("version", seq);
    }
    return out;
  }

  /**
   * The answer to a file that changes nothing: the summary, nothing written, and a note saying so.
   */
  JsonObject unchanged() {
    JsonObject out = json(false, 0);
    out.getJsonArray("notes").add("the file changes nothing: nothing was written");
    return out;
  }

  /**
   * A hierarchy that would not hold, as a 422: every problem in {@code violations} with its rule,
   * unit, area, message, fix and geometry (GeoJSON, lon/lat), and one line each in {@code
   * problems}; nothing was written.
   */
  static ApiException refused(HierarchyRefused e) {
    JsonArray violations = new JsonArray();
    JsonArray lines = new JsonArray();
    GeoJsonWriter geojson = new GeoJsonWriter(9);
    geojson.setEncodeCRS(false);
    for (HierarchyProblem p : e.problems()) {
      JsonObject one =
          new JsonObject()
              .put("rule", p.rule().id())
              .put("layer", p.layer())
              .put("code", p.code())
              .put("other", p.other())
              .put("area_m2", Math.round(p.areaM2() * 10) / 10.0)
              .put("message", p.message())
              .put("fix", ImportProblems.forHttp(p.fix()));
      if (p.where() != null && !p.where().isEmpty()) {
        one.put("geometry", new JsonObject(geojson.write(p.where())));
      }
      violations.add(one);
      lines.add(p.rule().id() + ": " + p.message() + ": " + ImportProblems.forHttp(p.fix()));
    }
    String first = e.getMessage().lines().findFirst().orElse("");
    return new ApiException(
        422,
        "Unprocessable Content",
        ImportProblems.forHttp(first) + "; each problem is in violations, with its geometry",
        new JsonObject().put("violations", violations).put("problems", lines));
  }
}
