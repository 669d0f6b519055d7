package io.gridmap.server.cli;

import io.gridmap.importer.admin.AdminImport;
import io.gridmap.importer.admin.AdminImportSummary;
import io.gridmap.importer.admin.HierarchyRefused;
import io.gridmap.importer.crs.SourceCrs;
import io.gridmap.importer.load.ImportOptions;
import io.gridmap.importer.load.ImportRefused;
import io.gridmap.importer.load.ImportSummary;
import io.gridmap.importer.load.LayerImporter;
import io.gridmap.importer.read.FeatureReader;
import io.gridmap.importer.read.ImportException;
import io.gridmap.importer.read.ReadOptions;
import io.gridmap.importer.read.Readers;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.StoreException;
import io.gridmap.layers.store.Stores;
import io.gridmap.server.config.ServerConfig;
import io.gridmap.server.security.AuditLog;
import io.gridmap.server.security.Principal;
import io.gridmap.server.security.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Imports a file of features into a layer of the store. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Import a file of points or polygons into a layer of the store: the layer is",
      "created, or updated feature by feature by its code on a re-import, and served as",
      "a collection (/collections/NAME: items, queryables, CQL2) and as its own layer",
      "in the tiles. The whole file lands in one transaction or not at all; every",
      "problem found is listed with its file, feature or line, and the fix.",
      "",
      "Read here: GeoJSON (.geojson, .json; GeoJSONSeq .geojsons, .geojsonl, .ndjson;",
      "streamed, so a file larger than the memory reads), Shapefile (.shp with its",
      ".shx, .dbf, .prj and .cpg), GeoPackage (.gpkg) and CSV (.csv, .tsv: lon/lat",
      "columns or WKT). Any other format GDAL reads (KML, GML, GPX, FileGDB, MapInfo,",
      "DXF, ...) is converted with GDAL's ogr2ogr (Debian package gdal-bin) first.",
      "",
      "Coordinates come from --crs, else the .prj or the GeoPackage, else WGS84 for",
      "GeoJSON; a CSV needs --crs. See docs/import.md.",
      "",
      "An admin layer (districts, streets, villages, grids) is replaced whole by the",
      "file, once each level still tiles its parent: gaps, overlaps, units outside",
      "their parent and codes that do not nest are refused, with a validation report",
      "(--report, GeoJSON for QGIS); --repair cleans them as the generator does. Key",
      "sites and open incidents follow new grids; forces keep theirs unless an",
      "old_code column maps old grids to new; every grid keeps its full-time worker.",
      "Into a PostGIS store a cluster node writes, the file is handed to that node",
      "(POST /imports, signed with token_secret_file of --config) and served at once.",
      "",
      "Example: mapserver import --layer schools --crs gcj02 --map name=MC,code=DM \\",
      "           --visibility public schools.csv"
    })
public final class ImportCommand implements Callable<Integer> {
  @Mixin StoreOptions storeOptions;

  @Option(
      names = "--layer",
      required = true,
      paramLabel = "NAME",
      description =
          "the layer to create or update: a-z, 0-9 and _; or an admin layer (districts, streets,"
              + " villages, grids), which the file replaces whole once the hierarchy checks hold")
  String layer;

  @Parameters(index = "0", paramLabel = "FILE", description = "the file to import")
  Path file;

  @Option(
      names = "--crs",
      paramLabel = "CRS",
      description =
          "the file's coordinates, over what it declares: wgs84, cgcs2000, gcj02 (Amap, Tencent),"
              + " bd09 (Baidu), EPSG:4491-4554 (CGCS2000 Gauss-Krüger), EPSG:3857")
  String crs;

  @Option(
      names = "--encoding",
      paramLabel = "ENC",
      description =
          "the text encoding of a Shapefile whose .cpg and DBF header say nothing, or of a CSV"
              + " (default UTF-8): GBK, GB18030, UTF-8, ...")
  String encoding;

  @Option(
      names = "--table",
      paramLabel = "T",
      description = "the GeoPackage feature table, when the file holds several")
  String table;

  @Option(names = "--lon", paramLabel = "COL", description = "a CSV's longitude/easting column")
  String lon;

  @Option(names = "--lat", paramLabel = "COL", description = "a CSV's latitude/northing column")
  String lat;

  @Option(names = "--wkt", paramLabel = "COL", description = "a CSV's geometry column, as WKT")
  String wkt;

  @Option(
      names = "--map",
      paramLabel = "OURS=THEIRS",
      description =
          "name the file's columns: --map name=MC,code=DM. 'code' identifies a feature across"
              + " re-imports; other columns keep their own names, made snake_case")
  List<String> map = new ArrayList<>();

  @Option(
      names = "--visibility",
      paramLabel = "public|staff",
      description =
          "who sees the layer: staff only or everyone (default: as the layer was, and staff only"
              + " for a new layer: rosters are personal)")
  String visibility;

  @Option(
      names = "--personal",
      paramLabel = "FIELDS",
      split = ",",
      description =
          "fields that identify a person: never in tiles or public answers (a field personal"
              + " before stays personal)")
  List<String> personal = new ArrayList<>();

  @Option(
      names = "--tiled",
      paramLabel = "FIELDS",
      split = ",",
      description =
          "fields tiles carry (default: as before, and every new field that is not personal)")
  List<String> tiled = new ArrayList<>();

  @Option(
      names = "--minzoom",
      paramLabel = "Z",
      description =
          "first zoom tiles draw the layer (default: as before, else 10 for points, 8 for"
              + " polygons)")
  Integer minZoom;

  @Option(
      names = "--maxzoom",
      paramLabel = "Z",
      description = "last zoom, up to 14 (default: as before, else 14)")
  Integer maxZoom;

  @Option(
      names = "--cluster",
      negatable = true,
      description =
          "points: clusters below z14, or (--no-cluster) every point at every zoom (default: as"
              + " before, else clusters)")
  Boolean cluster;

  @Option(names = "--title", paramLabel = "TEXT", description = "the layer's human title")
  String title;

  @Option(
      names = "--replace",
      description = "remove the layer's features that the file does not hold (default: keep them)")
  boolean replace;

  @Option(
      names = "--repair",
      description =
          "fix invalid polygons (JTS GeometryFixer) and count them, instead of refusing; for an"
              + " admin layer also clean overlaps, gaps and parts outside a parent as the generator"
              + " does, the level below following")
  boolean repair;

  @Option(
      names = "--report",
      paramLabel = "FILE",
      description =
          "admin layers: where the validation report goes (GeoJSON of each problem and each piece"
              + " --repair moved; default LAYER-report.geojson in the current directory)")
  Path report;

  @Option(
      names = "--dry-run",
      description = "read, check and compare with the layer; say what would change; write nothing")
  boolean dryRun;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "settings file (audit_log: where the import is recorded; token_secret_file: how an"
              + " admin-layer import is signed when it is handed to a cluster's writer)")
  Path configFile;

  @Override
  public Integer call() {
    if (!Files.isRegularFile(file)) {
      throw new Main.UserError(
          file
              + (Files.exists(file) ? " is not a file" : " does not exist")
              + "; FILE is what to import");
    }
    if (AdminImport.levelOf(layer).isPresent()) {
      refuseLayerOptions();
    }
    ImportOptions options = options();
    ReadOptions read =
        new ReadOptions(
            Optional.ofNullable(encoding),
            Optional.ofNullable(table),
            Optional.ofNullable(lon),
            Optional.ofNullable(lat),
            Optional.ofNullable(wkt));
    ServerConfig config = ServerConfig.load(configFile, Map.of());
    ProgressBar bar = ProgressBar.onStderr("import", "MB");
    LayerImporter.Progress progress =
        new LayerImporter.Progress() {
          @Override
          public void read(long bytes, long total, long features) {
            bar.update(bytes >> 20, Math.max(1, total >> 20));
          }

          @Override
          public void step(String what) {
            System.err.println("import: " + what);
          }
        };
    String who = "cli:" + System.getProperty("user.name", "cli");
    ImportSummary summary;
    String where;
    boolean made = false;
    StoreOptions.makeRoom(storeOptions.store);
    try (FeatureStore store = Stores.open(storeOptions.store);
        FeatureReader reader = Readers.open(file, read)) {
      where = store.location();
      System.err.println(
          "import: "
              + file
              + " into layer "
              + layer
              + " of "
              + where
              + (dryRun ? " (dry run)" : ""));
      if (!dryRun && !store.holdsACity()) {
        // a planner's own city without the generated one: a store of empty built-in layers
        System.err.println("import: " + where + " holds no city yet: making it, empty");
        store.write(io.gridmap.importer.load.EmptyCity.of());
        made = true;
      }
      if (AdminImport.levelOf(layer).isPresent()) {
        java.util.Optional<String> writer = dryRun ? java.util.Optional.empty() : store.writerUrl();
        if (writer.isPresent()) {
          // a cluster node writes the store: it imports the file as changes, served at once
          return AdminImportHandOver.post(writer.get(), config, layer, file, handOverQuery());
        }
        Path to = report != null ? report : Path.of(layer + "-report.geojson");
        AdminImportSummary admin;
        try (AdminTurn turn = AdminTurn.take(store, dryRun, layer, file)) {
          admin = new AdminImport(store, options, to, progress, who).run(reader);
        }
        if (admin.written()) {
          audit(config, where, layer, admin.added(), admin.changed(), admin.removed(), -1);
          System.err.println(
              "import: the city was rewritten: restart a server running on "
                  + where
                  + " to serve it");
        }
        System.out.println(admin.text());
        return 0;
      }
      summary = new LayerImporter(store, options, progress, who).run(reader);
    } catch (HierarchyRefused e) {
      forgetIfMade(made);
      throw new Main.UserError(e.getMessage());
    } catch (ImportRefused | ImportException | IllegalArgumentException | StoreException e) {
      forgetIfMade(made);
      throw new Main.UserError(e.getMessage());
    } catch (IOException e) {
      forgetIfMade(made);
      throw new Main.UserError("cannot read " + file + ": " + e.getMessage());
    }
    if (summary.written()) {
      audit(
          config,
          where,
          summary.def().name(),
          summary.added(),
          summary.changed(),
          summary.removed(),
          summary.total());
    }
    System.out.println(summary.text());
    return 0;
  }

  /** This command's reading and checking options as {@code POST /imports} takes them. */
  private Map<String, String> handOverQuery() {
    Map<String, String> q = new java.util.LinkedHashMap<>();
    if (crs != null) {
      q.put("crs", crs);
    }
    if (encoding != null) {
      q.put("encoding", encoding);
    }
    if (table != null) {
      q.put("table", table);
    }
    if (lon != null) {
      q.put("lon", lon);
    }
    if (lat != null) {
      q.put("lat", lat);
    }
    if (wkt != null) {
      q.put("wkt", wkt);
    }
    if (!map.isEmpty()) {
      q.put("map", String.join(",", map));
    }
    if (repair) {
      q.put("repair", "true");
    }
    return q;
  }

  /**
   * An admin layer's definition is the catalogue's: the options that shape a layer do not apply.
   */
  private void refuseLayerOptions() {
    List<String> given = new ArrayList<>();
    if (visibility != null) {
      given.add("--visibility");
    }
    if (!personal.isEmpty()) {
      given.add("--personal");
    }
    if (!tiled.isEmpty()) {
      given.add("--tiled");
    }
    if (minZoom != null || maxZoom != null) {
      given.add("--minzoom/--maxzoom");
    }
    if (cluster != null) {
      given.add("--cluster");
    }
    if (title != null) {
      given.add("--title");
    }
    if (replace) {
      given.add("--replace");
    }
    if (!given.isEmpty()) {
      throw new Main.UserError(
          String.join(", ", given)
              + ": "
              + layer
              + " is an admin layer, whose fields, zooms and visibility are the city's own (and"
              + " whose file replaces the units of every parent it touches): leave "
              + (given.size() == 1 ? "it" : "them")
              + " out");
    }
  }

  /** A store this import made and could not fill goes again: the store is as it was, absent. */
  private void forgetIfMade(boolean made) {
    if (!made) {
      return;
    }
    try {
      io.gridmap.layers.store.StoreLocation l =
          io.gridmap.layers.store.StoreLocation.parse(storeOptions.store);
      if (l.kind() == io.gridmap.layers.store.StoreLocation.Kind.GEOPACKAGE) {
        Files.deleteIfExists(l.path());
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("import: could not remove the empty store it made: " + e.getMessage());
    }
  }

  private ImportOptions options() {
    Optional<Boolean> staff =
        visibility == null
            ? Optional.empty()
            : Optional.of(
                switch (visibility.toLowerCase(Locale.ROOT)) {
                  case "staff" -> true;
                  case "public" -> false;
                  default ->
                      throw new Main.UserError(
                          "--visibility " + visibility + " is not one of: public, staff");
                });
    try {
      ImportOptions o =
          ImportOptions.defaults(layer)
              .withMap(ImportOptions.parseMap(map))
              .withFields(names(personal), names(tiled))
              .withZooms(
                  Optional.ofNullable(minZoom),
                  Optional.ofNullable(maxZoom),
                  Optional.ofNullable(cluster))
              .withWrite(replace, repair, dryRun)
              .withTitle(title);
      o = staff.isPresent() ? o.withVisibility(staff.get()) : o;
      return crs == null ? o : o.withCrs(SourceCrs.parse(crs));
    } catch (IllegalArgumentException e) {
      throw new Main.UserError(e.getMessage());
    }
  }

  private static Set<String> names(List<String> values) {
    Set<String> out = new LinkedHashSet<>();
    values.stream().map(String::trim).filter(s -> !s.isEmpty()).forEach(out::add);
    return out;
  }

  /** An import is a write: recorded in the audit log as the server's writes are. */
  private void audit(
      ServerConfig config,
      String store,
      String name,
      long added,
      long changed,
      long removed,
      long features) {
    Map<String, Object> details = new java.util.LinkedHashMap<>();
    details.put("store", store);
    details.put("file", file.toAbsolutePath().toString());
    details.put("added", added);
    details.put("changed", changed);
    details.put("removed", removed);
    if (features >= 0) {
      details.put("features", features);
    }
    try (AuditLog audit = AuditLog.open(Path.of(config.auditLog()))) {
      audit.record(
          new Principal(System.getProperty("user.name", "cli"), Role.ADMIN, "", "cli"),
          "layer.import",
          name,
          details);
    } catch (IOException | IllegalArgumentException e) {
      throw new Main.UserError(
          "imported " + name + " but cannot record it in the audit log: " + e.getMessage());
    }
  }
}
