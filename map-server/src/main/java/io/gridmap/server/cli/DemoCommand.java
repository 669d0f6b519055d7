package io.gridmap.server.cli;

import io.gridmap.server.config.ServerConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Generates the demo city when the store is absent, then serves it. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Generate the demo city into the store if it does not exist yet, then serve it.",
      "The ./mapserver launcher builds the server first when its sources changed."
    })
public final class DemoCommand implements Callable<Integer> {
  @Mixin StoreOptions storeOptions;
  @Mixin GeneratorOptions generator;

  @Option(
      names = "--port",
      description = "HTTP port (default: ${DEFAULT-VALUE})",
      defaultValue = "8080")
  int port;

  @Override
  public Integer call() throws Exception {
    boolean exists = StoreOptions.holdsACity(storeOptions.store);
    String stale = exists ? stale(storeOptions.store) : null;
    if (!exists) {
      System.err.println(
          "demo: "
              + storeOptions.store
              + " does not exist yet; generating the demo city (about a minute)");
      GenerateCommand.generate(storeOptions.store, generator, ServerConfig.defaults().auditLog());
    } else if (stale != null) {
      System.err.println(
          "demo: " + storeOptions.store + " " + stale + "; generating the demo city again");
      GenerateCommand.generate(storeOptions.store, generator, ServerConfig.defaults().auditLog());
    } else {
      System.err.println(
          "demo: serving the existing "
              + storeOptions.store
              + " (delete it or run `mapserver generate --force` to regenerate)");
    }
    ServeCommand serve = new ServeCommand();
    serve.store = storeOptions.store;
    serve.port = port;
    ServeCommand.serve(serve.config());
    return 0;
  }

  /**
   * Why a generated store must be made again (an older generator made it), or null when it is
   * current, was imported (never overwritten) or cannot be read (serving it says why).
   */
  static String stale(String store) {
    io.gridmap.layers.model.DatasetMetadata m;
    try (io.gridmap.layers.store.FeatureStore s = io.gridmap.layers.store.Stores.open(store)) {
      m = s.metadata();
    } catch (RuntimeException e) {
      return null; // not ours to overwrite: serving it says what is wrong
    }
    String made = m.notes().get(io.gridmap.importer.generate.CityGenerator.VERSION_NOTE);
    if (m.seed() == 0 && made == null) {
      return null; // an import: the demo never overwrites it
    }
    return io.gridmap.importer.generate.CityGenerator.VERSION.equals(made)
        ? null
        : "was made by generator version "
            + (made == null ? "1 or 2" : made)
            + ", this one is "
            + io.gridmap.importer.generate.CityGenerator.VERSION;
  }
}
