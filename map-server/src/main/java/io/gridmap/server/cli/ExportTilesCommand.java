package io.gridmap.server.cli;

import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.Stores;
import io.gridmap.server.config.ServerConfig;
import io.gridmap.server.security.AuditLog;
import io.gridmap.server.security.Principal;
import io.gridmap.server.security.Role;
import io.gridmap.tiler.TileService;
import io.gridmap.tiler.TileServiceConfig;
import io.gridmap.tiler.pack.ExportArea;
import io.gridmap.tiler.pack.PackageFormat;
import io.gridmap.tiler.pack.TileExport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Writes the tiles of an area to an offline package: PMTiles v3 or MBTiles. */
@Command(
    name = "export-tiles",
    mixinStandardHelpOptions = true,
    description = {
      "Write the tiles of an area and a zoom range to one file, for maps without a",
      "network: PMTiles v3 (the viewer's ?pmtiles= mode; MapLibre with the pmtiles",
      "protocol) or MBTiles (QGIS, GDAL). Each tile is what the server serves at",
      "/tiles/cq/{z}/{x}/{y}.mvt, rendered in parallel; repeated tiles are stored",
      "once. Written under a temporary name, renamed when whole. See docs/offline.md.",
      "",
      "Example: mapserver export-tiles --area 500103 --output yuzhong.pmtiles"
    })
public final class ExportTilesCommand implements Callable<Integer> {
  @Mixin StoreOptions storeOptions;

  @Option(
      names = "--area",
      required = true,
      paramLabel = "CODE|BBOX",
      description = "what to export: " + ExportArea.FORMS)
  String area;

  @Option(
      names = "--minzoom",
      paramLabel = "A",
      description = "lowest zoom, 0..14 (default: ${DEFAULT-VALUE})",
      defaultValue = "0")
  int minZoom;

  @Option(
      names = "--maxzoom",
      paramLabel = "B",
      description = "highest zoom, 0..14 (default: ${DEFAULT-VALUE}; clients overzoom beyond)",
      defaultValue = "14")
  int maxZoom;

  @Option(
      names = "--format",
      paramLabel = "pmtiles|mbtiles",
      description = "package format (default: from the --output extension)")
  String format;

  @Option(
      names = "--output",
      required = true,
      paramLabel = "FILE",
      description = "the package to write, e.g. area.pmtiles or area.mbtiles")
  Path output;

  @Option(
      names = "--visibility",
      paramLabel = "public|staff",
      description =
          "whose tiles: public (no personal features) or staff (homes of vulnerable residents"
              + " included: keep such a file as you would the staff's screens) (default:"
              + " ${DEFAULT-VALUE})",
      defaultValue = "public")
  String visibility;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "threads rendering tiles (default: the machine's processors)")
  Integer threads;

  @Option(names = "--force", description = "replace an existing output file")
  boolean force;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "settings file (closed_days: finished incidents shown; audit_log)")
  Path configFile;

  @Override
  public Integer call() {
    if (minZoom < TileService.MIN_ZOOM || minZoom > TileService.MAX_ZOOM) {
      throw new Main.UserError("--minzoom " + minZoom + " is outside 0.." + TileService.MAX_ZOOM);
    }
    if (maxZoom < TileService.MIN_ZOOM || maxZoom > TileService.MAX_ZOOM) {
      throw new Main.UserError(
          "--maxzoom "
              + maxZoom
              + " is outside 0.."
              + TileService.MAX_ZOOM
              + " (the tileset's maxzoom; clients overzoom beyond it)");
    }
    if (minZoom > maxZoom) {
      throw new Main.UserError(
          "--minzoom "
              + minZoom
              + " is above --maxzoom "
              + maxZoom
              + "; expected minzoom <= maxzoom");
    }
    PackageFormat fmt = format();
    boolean staff =
        switch (visibility.toLowerCase(Locale.ROOT)) {
          case "public" -> false;
          case "staff" -> true;
          default ->
              throw new Main.UserError(
                  "--visibility " + visibility + " is not one of: public, staff");
        };
    int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    if (n < 1) {
      throw new Main.UserError("--threads must be at least 1, got " + n);
    }
    if (Files.exists(output) && !force) {
      throw new Main.UserError(output + " exists; pass --force to replace it");
    }
    if (Files.isDirectory(output)) {
      throw new Main.UserError(output + " is a directory; --output names the package file");
    }
    if (area.contains(",")) {
      try {
        ExportArea.bbox(area.trim()); // a bad bbox fails before the store is read, not after
      } catch (IllegalArgumentException e) {
        throw new Main.UserError(e.getMessage());
      }
    }
    ServerConfig config = ServerConfig.load(configFile, Map.of());

    long t0 = System.nanoTime();
    String shown;
    Dataset dataset;
    try (FeatureStore s = Stores.open(storeOptions.store)) {
      shown = s.location();
      System.err.println("export-tiles: reading " + shown);
      dataset = s.read();
    } catch (RuntimeException e) {
      throw new Main.UserError(e.getMessage());
    } catch (Exception e) {
      throw new Main.UserError("cannot read " + storeOptions.store + ": " + e.getMessage());
    }
    CityIndex index = CityIndex.build(dataset);
    ExportArea where;
    try {
      where = ExportArea.parse(area, index);
    } catch (IllegalArgumentException e) {
      throw new Main.UserError(e.getMessage());
    }
    // each tile is drawn once: a small cache, not the server's 512 MiB
    TileServiceConfig tileConfig =
        TileServiceConfig.defaults()
            .withPersonal(staff)
            .withClosedWindow(config.closedWindow())
            .withCacheMaxBytes(32L << 20);
    TileService tiles = TileService.create(index, tileConfig);
    System.err.printf(
        Locale.ROOT,
        "export-tiles: %s, z%d-z%d, %s tiles, to %s (%s) on %d threads; ready in %.1f s%n",
        where.description(),
        minZoom,
        maxZoom,
        staff ? "staff" : "public",
        output,
        fmt.extension,
        n,
        (System.nanoTime() - t0) / 1e9);

    ProgressBar bar = ProgressBar.onStderr("export-tiles", "tiles");
    TileExport.Result r;
    try {
      r =
          TileExport.toFile(
              tiles,
              where,
              minZoom,
              maxZoom,
              fmt,
              output,
              n,
              Map.of("gridmap:visibility", staff ? "staff" : "public"),
              bar::update);
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw new Main.UserError(e.getMessage());
    } catch (IOException e) {
      throw new Main.UserError("cannot write " + output + ": " + e.getMessage());
    }
    audit(config, shown, where, staff, r);
    System.err.printf(
        Locale.ROOT,
        "export-tiles: wrote %s (%s, %.1f MB): %,d tiles rendered, %,d with features stored as"
            + " %,d distinct (%,d repeats), in %.1f s: %,.0f tiles/s%n",
        output,
        fmt.extension,
        r.fileBytes() / 1e6,
        r.planned(),
        r.counts().tiles(),
        r.counts().contents(),
        r.counts().tiles() - r.counts().contents(),
        r.seconds(),
        r.tilesPerSecond());
    return 0;
  }

  private PackageFormat format() {
    if (format == null) {
      PackageFormat f = PackageFormat.ofFileName(output.getFileName().toString());
      if (f == null) {
        throw new Main.UserError(
            "--output "
                + output
                + " ends in neither .pmtiles nor .mbtiles; name the format with --format"
                + " pmtiles|mbtiles");
      }
      return f;
    }
    try {
      return PackageFormat.valueOf(format.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new Main.UserError("--format " + format + " is not one of: pmtiles, mbtiles");
    }
  }

  /**
   * A staff package holds personal features: who took which copy is in the audit log, as every
   * write is.
   */
  private void audit(
      ServerConfig config, String store, ExportArea where, boolean staff, TileExport.Result r) {
    try (AuditLog audit = AuditLog.open(Path.of(config.auditLog()))) {
      audit.record(
          new Principal(System.getProperty("user.name", "cli"), Role.ADMIN, "", "cli"),
          "tiles.export",
          output.toAbsolutePath().toString(),
          Map.of(
              "store",
              store,
              "area",
              where.description(),
              "zooms",
              minZoom + "-" + maxZoom,
              "visibility",
              staff ? "staff" : "public",
              "tiles",
              r.counts().tiles()));
    } catch (IOException | IllegalArgumentException e) {
      throw new Main.UserError(
          "wrote " + output + " but cannot record it in the audit log: " + e.getMessage());
    }
  }
}
