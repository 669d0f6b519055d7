package io.gridmap.server.cli;

import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.Stores;
import io.gridmap.server.MapServer;
import io.gridmap.server.config.ServerConfig;
import io.gridmap.server.content.Content;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Serves a store over HTTP until SIGTERM or Ctrl-C. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description =
        "Load the store into memory and serve it: vector tiles, TileJSON, health and metrics.")
public final class ServeCommand implements Callable<Integer> {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ServeCommand.class);

  @Option(
      names = "--store",
      paramLabel = "STORE",
      description =
          "the feature store: "
              + StoreOptions.STORE_FORMS
              + " (default: the config's store, else data/chongqing.gpkg)")
  String store;

  @Option(names = "--port", description = "HTTP port (default: the config's port, else 8080)")
  Integer port;

  @Option(
      names = "--host",
      description = "listen address (default: the config's host, else 0.0.0.0)")
  String host;

  @Option(
      names = "--cluster",
      description =
          "join the other nodes serving the same PostGIS store (cluster_host, cluster_port,"
              + " cluster_members in the config; docs/scaling.md)")
  boolean cluster;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "settings file of 'key = value' lines; `mapserver config` prints every key")
  Path configFile;

  @Override
  public Integer call() throws Exception {
    serve(config());
    return 0;
  }

  ServerConfig config() {
    Map<String, String> flags = new LinkedHashMap<>();
    if (store != null) {
      flags.put("store", store);
    }
    if (port != null) {
      flags.put("port", port.toString());
    }
    if (host != null) {
      flags.put("host", host);
    }
    if (cluster) {
      flags.put("cluster", "true");
    }
    return ServerConfig.load(configFile, flags);
  }

  /** Starts the server, prints where to look, blocks until the JVM is asked to stop. */
  static void serve(ServerConfig config) throws Exception {
    java.util.Map<String, Integer> counts;
    try (FeatureStore s = Stores.open(config.store())) {
      s.metadata(); // fails fast, before listening, on a missing or foreign file
      counts = s.counts();
    } catch (RuntimeException e) {
      throw new Main.UserError(e.getMessage());
    }
    try {
      // a heap too small for what the store holds fails now, not after half a minute of loading
      io.gridmap.server.content.HeapCheck.require(counts, Runtime.getRuntime().maxMemory());
    } catch (IllegalStateException e) {
      throw new Main.UserError(
          "cannot serve "
              + io.gridmap.layers.store.StoreLocation.parse(config.store())
              + ": "
              + e.getMessage());
    }
    MapServer server = start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    server.close();
                  } catch (Exception e) {
                    System.err.println("mapserver: error while shutting down: " + e);
                  } finally {
                    stopped.countDown();
                  }
                },
                "shutdown"));
    String base =
        "http://"
            + ("0.0.0.0".equals(config.host()) ? "127.0.0.1" : config.host())
            + ":"
            + server.port();
    server
        .ready()
        .onSuccess(
            c ->
                System.err.println(
                    String.join(
                        "\n",
                        "",
                        "mapserver: ready. Open:",
                        "  " + base + "/viewer/               the map (command-centre view)",
                        "  "
                            + base
                            + "/                      landing page: collections, API, tiles",
                        "  "
                            + base
                            + "/tiles/cq.json          TileJSON for MapLibre, OpenLayers, QGIS",
                        "  "
                            + base
                            + "/tiles/cq/12/3260/1695.mvt   a vector tile (central Chongqing)",
                        "  " + base + "/health                 readiness and counts",
                        "  "
                            + base
                            + "/metrics                Prometheus metrics (admin token: mapserver token --role admin)",
                        "Stop with Ctrl-C.")))
        .onFailure(
            e -> {
              System.err.println(
                  "mapserver: cannot serve "
                      + io.gridmap.layers.store.StoreLocation.parse(config.store())
                      + ": "
                      + e.getMessage());
              System.exit(2);
            });
    stopped.await(Long.MAX_VALUE, TimeUnit.DAYS);
  }

  /**
   * Starts the server; a setting it cannot use (an unreadable secret or log) is one line, no stack
   * trace.
   */
  private static MapServer start(ServerConfig config) throws Exception {
    try {
      return MapServer.start(
          config,
          () -> {
            // the store stays open: edits and positions are written to it (closed with the server)
            FeatureStore s = Stores.open(config.store());
            java.util.Map<String, Integer> counts = s.counts();
            long heap = Runtime.getRuntime().maxMemory();
            long cache =
                io.gridmap.server.content.HeapCheck.tileCacheBytes(
                    counts, config.tileCacheBytes(), heap);
            if (cache < config.tileCacheBytes()) {
              LOG.info(
                  "tile cache bound: {} MiB (tile_cache_mb is {}: lowered to what a heap of {}"
                      + " MiB leaves beside this store; more with {})",
                  cache >> 20,
                  config.tileCacheBytes() >> 20,
                  heap >> 20,
                  io.gridmap.server.content.HeapCheck.JAVA_OPTS);
            }
            try {
              long t0 = System.nanoTime();
              Dataset d = s.read();
              long t1 = System.nanoTime();
              // s.location(): a database URL without its password
              Content c = Content.of(d, cache, config.closedWindow(), s.location(), s);
              // where a start's time goes, for whoever sizes the machine or waits on a restart
              LOG.info(
                  "read {} features in {} ms, indexed them in {} ms",
                  d.layers().values().stream().mapToLong(l -> l.features().size()).sum(),
                  (t1 - t0) / 1_000_000,
                  (System.nanoTime() - t1) / 1_000_000);
              return c;
            } catch (OutOfMemoryError e) {
              // what was read is garbage now: there is room to say what to do
              throw new IllegalStateException(
                  io.gridmap.server.content.HeapCheck.outOfMemory(counts, heap));
            }
          });
    } catch (IllegalArgumentException e) {
      throw new Main.UserError(e.getMessage());
    }
  }
}
