package io.gridmap.layers.store;

import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.DatasetMetadata;
import io.gridmap.layers.model.Feature;
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
 * A store that can ({@link Parts}) has its big tables read in id ranges, parts of a table on
 * different threads at once, joined in id order. A task's {@link StoreException} reaches the caller
 * as it is.
 */
public final class ParallelRead {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ParallelRead.class);

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
    return read(
        name,
        threads,
        metadata,
        imported,
        new Parts() {
          @Override
          public List<Long> splits(LayerDef def, int rows) {
            return List.of();
          }

          @Override
          public List<Feature> read(LayerDef def, long from, long to, ValuePool[] pools) {
            return layer.apply(def).features();
          }
        },
        PART_ROWS,
        generalised);
  }

  /** A store that can read a layer in parts, by id range, on several threads at once. */
  public interface Parts {
    /**
     * The ids at which the layer's parts of about {@code rows} rows each begin, in order, the first
     * part's left out; empty when the layer is read whole.
     */
    List<Long> splits(LayerDef def, int rows);

    /**
     * The layer's features with {@code from <= id < to}, in id order, each column's values shared
     * through {@code pools} (one per field, shared by the layer's parts).
     */
    List<Feature> read(LayerDef def, long from, long to, ValuePool[] pools);
  }

  /**
   * Rows a part of a layer holds at most. The two million-point tables are most of a city's read
   * (events 13.3 s, forces 7.5 s of a 15.3 s start read, both cores busy): read whole, one table
   * per thread, the thread that read forces then waited 3.7 s for the other to finish events. In
   * parts of a quarter of a million rows the threads finish within a part of each other.
   */
  public static final int PART_ROWS = 250_000;

  /** As above, reading the big layers in parts of about {@code partRows} rows. */
  public static Dataset read(
      String name,
      int threads,
      Callable<DatasetMetadata> metadata,
      List<LayerDef> imported,
      Parts parts,
      int partRows,
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
      // the generalised polygons are one task that cannot be split: it goes first
      Future<Generalised> tiles =
          pool.submit(
              () -> {
                long t0 = System.nanoTime();
                Generalised g = generalised.call();
                took(t0, () -> "the generalised polygons");
                return g;
              });
      List<LayerDef> order = new ArrayList<>(BIGGEST_FIRST);
      order.addAll(imported);
      Map<String, Future<List<Long>>> splits = new HashMap<>();
      for (LayerDef def : order) {
        splits.put(def.name(), pool.submit(() -> parts.splits(def, partRows)));
      }
      Map<String, List<Future<List<Feature>>>> layers = new HashMap<>();
      for (LayerDef def : order) {
        List<Long> at = await(splits.get(def.name()));
        ValuePool[] pools = new ValuePool[def.fields().size()];
        for (int i = 0; i < pools.length; i++) {
          pools[i] = new ValuePool();
        }
        List<Future<List<Feature>>> partsOfLayer = new ArrayList<>();
        for (int i = 0; i <= at.size(); i++) {
          long from = i == 0 ? Long.MIN_VALUE : at.get(i - 1);
          long to = i == at.size() ? Long.MAX_VALUE : at.get(i);
          int part = i;
          partsOfLayer.add(
              pool.submit(() -> timed(parts, def, from, to, pools, part, at.size() + 1)));
        }
        layers.put(def.name(), partsOfLayer);
      }
      Future<DatasetMetadata> meta = pool.submit(metadata);
      List<Layer> result = new ArrayList<>();
      for (LayerDef def : Catalogue.ALL) {
        result.add(assemble(def, layers.get(def.name())));
      }
      for (LayerDef def : imported) {
        result.add(assemble(def, layers.get(def.name())));
      }
      return Dataset.of(result, await(meta), await(tiles));
    } finally {
      pool.shutdownNow();
    }
  }

  private static Layer assemble(LayerDef def, List<Future<List<Feature>>> parts) {
    if (parts.size() == 1) {
      return new Layer(def, await(parts.get(0)));
    }
    List<List<Feature>> read = new ArrayList<>();
    int size = 0;
    for (Future<List<Feature>> part : parts) {
      read.add(await(part));
      size += read.get(read.size() - 1).size();
    }
    List<Feature> all = new ArrayList<>(size);
    read.forEach(all::addAll);
    return new Layer(def, all);
  }

  /** Reads one part of a layer, saying how long it took ({@link #took}). */
  private static List<Feature> timed(
      Parts parts, LayerDef def, long from, long to, ValuePool[] pools, int part, int of) {
    long t0 = System.nanoTime();
    List<Feature> l = parts.read(def, from, to, pools);
    took(t0, () -> def.name() + " part " + (part + 1) + "/" + of + ": " + l.size() + " features");
    return l;
  }

  /**
   * Says at DEBUG how long a read task begun at {@code t0} took and on which thread: how the tasks
   * fall on the threads decides whether a core waits while the other reads the last one.
   */
  private static void took(long t0, java.util.function.Supplier<String> what) {
    if (LOG.isDebugEnabled()) {
      LOG.debug(
          "read {} in {} ms on {}",
          what.get(),
          (System.nanoTime() - t0) / 1_000_000,
          Thread.currentThread().getName());
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
