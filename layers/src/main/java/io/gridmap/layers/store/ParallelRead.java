package io.gridmap.layers.store;

import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.DatasetMetadata;
import io.gridmap.layers.model.Generalised;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.model.LayerDef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * How every store reads a whole city: a table per task on a few threads, the biggest tables first
 * so that the threads finish at about the same time (decoding geometries is most of the cost), the
 * layers assembled in catalogue order, then the imported layers in the order the store lists them.
 * A task's {@link StoreException} reaches the caller as it is.
 */
public final class ParallelRead {
  private ParallelRead() {}

  /**
   * Catalogue layers by the work of reading them in a full city: ~65k grids of ~30 vertices, then
   * the million-point layers.
   */
  static final List<LayerDef> BIGGEST_FIRST =
      List.of(
          Catalogue.GRIDS,
          Catalogue.EVENTS,
          Catalogue.FORCES,
          Catalogue.KEY_SITES,
          Catalogue.VILLAGES,
          Catalogue.STREETS,
          Catalogue.DISTRICTS);

  /**
   * @param name the threads' name prefix ("gpkg-read")
   * @param threads how many tables are read at once
   * @param metadata reads the dataset metadata
   * @param layer reads one layer
   * @param generalised reads the per-zoom generalised polygons
   */
  public static Dataset read(
      String name,
      int threads,
      Callable<DatasetMetadata> metadata,
      Function<LayerDef, Layer> layer,
      Callable<Generalised> generalised) {
    return read(name, threads, metadata, List.of(), layer, generalised);
  }

  /**
   * As above, with the store's imported layers, read after the catalogue's biggest (they are
   * usually small) and returned after them.
   */
  public static Dataset read(
      String name,
      int threads,
      Callable<DatasetMetadata> metadata,
      List<LayerDef> imported,
      Function<LayerDef, Layer> layer,
      Callable<Generalised> generalised) {
    AtomicInteger n = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, name + "-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    try {
      Future<Generalised> tiles = pool.submit(generalised);
      Map<String, Future<Layer>> layers = new HashMap<>();
      for (LayerDef def : BIGGEST_FIRST) {
        layers.put(def.name(), pool.submit(() -> layer.apply(def)));
      }
      for (LayerDef def : imported) {
        layers.put(def.name(), pool.submit(() -> layer.apply(def)));
      }
      Future<DatasetMetadata> meta = pool.submit(metadata);
      List<Layer> result = new ArrayList<>();
      for (LayerDef def : Catalogue.ALL) {
        result.add(await(layers.get(def.name())));
      }
      for (LayerDef def : imported) {
        result.add(await(layers.get(def.name())));
      }
      return Dataset.of(result, await(meta), await(tiles));
    } finally {
      pool.shutdownNow();
    }
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while reading the store", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new StoreException("reading the store failed: " + e.getCause(), e.getCause());
    }
  }
}
