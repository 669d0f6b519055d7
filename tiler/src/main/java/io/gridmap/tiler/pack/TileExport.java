package io.gridmap.tiler.pack;

import io.gridmap.tiler.EncodedTile;
import io.gridmap.tiler.TileService;
import io.gridmap.tiler.geo.TileCoord;
import io.gridmap.tiler.tilejson.TileJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes the tiles of an area and a zoom range to a package: rendered in parallel by the same
 * {@link TileService} the server answers from (so a package's tile is byte for byte the served
 * one), written in TileID order by one thread. A bounded window of tiles in flight keeps memory
 * flat however large the area: the writer takes the oldest, the pool renders the next ones.
 *
 * <p>The file appears whole or not at all: it is written beside the output under a temporary name
 * and renamed into place at the end; a failure deletes it.
 */
public final class TileExport {
  private TileExport() {}

  /** Told how far the export is; called from the writing thread after each tile. */
  public interface Progress {
    void update(long done, long total);
  }

  /**
   * @param planned tiles rendered (every tile touching the area in the zoom range)
   * @param counts what the package holds: tiles with features, distinct blobs, bytes
   * @param seconds wall-clock time of rendering and writing
   * @param fileBytes the size of the package
   */
  public record Result(long planned, TileArchive.Counts counts, double seconds, long fileBytes) {
    public double tilesPerSecond() {
      return planned / Math.max(seconds, 1e-9);
    }
  }

  /**
   * Renders and writes the package. The tile service should have a small cache: each tile is drawn
   * once, and caching them all would only fill the heap.
   *
   * @param extra keys added to the package's JSON metadata
   * @throws IllegalStateException when no tile of the area holds a feature
   */
  public static Result toFile(
      TileService service,
      ExportArea area,
      int minZoom,
      int maxZoom,
      PackageFormat format,
      Path output,
      int threads,
      Map<String, Object> extra,
      Progress progress)
      throws IOException {
    if (minZoom < TileService.MIN_ZOOM || maxZoom > TileService.MAX_ZOOM || minZoom > maxZoom) {
      throw new IllegalArgumentException(
          "zooms "
              + minZoom
              + ".."
              + maxZoom
              + " are not a range within "
              + TileService.MIN_ZOOM
              + ".."
              + TileService.MAX_ZOOM);
    }
    long t0 = System.nanoTime();
    long[] ids = area.tileIds(minZoom, maxZoom);
    ArchiveMetadata metadata = metadata(service, area, minZoom, maxZoom, extra);
    Path dir = output.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, "." + output.getFileName() + ".", ".part");
    try {
      TileArchive.Counts counts;
      Files.delete(temp); // SQLite wants to create its file itself
      try (TileArchive archive = format.open(temp)) {
        counts = render(service, ids, archive, threads, progress);
        archive.finish(metadata);
      }
      Files.move(temp, output, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return new Result(ids.length, counts, (System.nanoTime() - t0) / 1e9, Files.size(output));
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Renders the tiles in parallel, hands them to the archive in order; empty tiles are left out.
   */
  static TileArchive.Counts render(
      TileService service, long[] ids, TileArchive archive, int threads, Progress progress)
      throws IOException {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    AtomicInteger n = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "export-render-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    // enough tiles ahead that a slow one (a dense z10 tile, ~10 ms) does not starve the others
    int window = threads * 64;
    ArrayDeque<Future<EncodedTile>> inFlight = new ArrayDeque<>(window);
    try {
      int next = 0;
      while (next < ids.length && inFlight.size() < window) {
        inFlight.add(submit(pool, service, ids[next++]));
      }
      for (int i = 0; i < ids.length; i++) {
        EncodedTile tile = inFlight.poll().get();
        if (next < ids.length) {
          inFlight.add(submit(pool, service, ids[next++]));
        }
        if (!tile.empty()) {
          archive.write(TileId.toTile(ids[i]), tile.gzipped());
        }
        if (progress != null) {
          progress.update(i + 1, ids.length);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while rendering tiles", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new IOException("rendering a tile failed: " + cause, cause);
    } finally {
      pool.shutdownNow();
    }
    return archive.counts();
  }

  private static Future<EncodedTile> submit(ExecutorService pool, TileService service, long id) {
    TileCoord c = TileId.toTile(id);
    return pool.submit(() -> service.tile(c));
  }

  /**
   * The package's metadata: the layers TileJSON lists that are drawn somewhere in the zoom range,
   * the area's bounds, a centre zoom that shows the area whole.
   */
  public static ArchiveMetadata metadata(
      TileService service, ExportArea area, int minZoom, int maxZoom, Map<String, Object> extra) {
    List<Map<String, Object>> layers =
        TileJson.vectorLayers(service).stream()
            .filter(
                l ->
                    ((Integer) l.get("minzoom")) <= maxZoom
                        && ((Integer) l.get("maxzoom")) >= minZoom)
            .toList();
    Map<String, Object> all = new java.util.LinkedHashMap<>(extra);
    all.put("gridmap:area", area.description());
    return new ArchiveMetadata(
        service.config().tileset(),
        "Chongqing grid governance map, " + area.description() + ", z" + minZoom + "-z" + maxZoom,
        service.config().attribution(),
        minZoom,
        maxZoom,
        area.lonLatBounds(),
        area.centerZoom(minZoom, maxZoom),
        layers,
        all);
  }
}
