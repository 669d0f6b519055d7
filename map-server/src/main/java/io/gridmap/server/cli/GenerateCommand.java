package io.gridmap.server.cli;

import io.gridmap.importer.generate.CityGenerator;
import io.gridmap.importer.generate.GeneratorConfig;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.Stores;
import io.gridmap.server.config.ServerConfig;
import io.gridmap.server.security.AuditLog;
import io.gridmap.server.security.Principal;
import io.gridmap.server.security.Role;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Generates the demo city and writes it to the store. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Generate the demo city (real district outlines, generated streets, villages, grids, key sites,",
      "forces and a year of events) and write it to the store with its per-zoom generalised polygons."
    })
public final class GenerateCommand implements Callable<Integer> {
  @Mixin StoreOptions storeOptions;
  @Mixin GeneratorOptions generator;

  @Option(names = "--force", description = "replace an existing store")
  boolean force;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "settings file (for audit_log, where the import is recorded)")
  Path configFile;

  @Override
  public Integer call() {
    if (!force && StoreOptions.holdsACity(storeOptions.store)) {
      throw new Main.UserError(
          io.gridmap.layers.store.StoreLocation.parse(storeOptions.store)
              + " already holds a city; pass --force to replace it");
    }
    generate(storeOptions.store, generator, ServerConfig.load(configFile, Map.of()).auditLog());
    return 0;
  }

  /** Generates and writes; shared with {@code demo}. */
  static void generate(String store, GeneratorOptions g, String auditLog) {
    if (!(g.scale > 0 && g.scale <= 1)) {
      throw new Main.UserError("--scale must be in (0, 1], got " + g.scale);
    }
    long start = System.nanoTime();
    GeneratorConfig config = new GeneratorConfig(g.seed, g.scale, g.districts);
    Dataset dataset;
    try {
      dataset = new CityGenerator(config, msg -> System.err.println("generate: " + msg)).generate();
    } catch (IllegalArgumentException e) {
      throw new Main.UserError(e.getMessage());
    }
    StoreOptions.makeRoom(store);
    String shown;
    try (FeatureStore s = Stores.open(store)) {
      shown = s.location(); // a URL without its password
      System.err.println("generate: writing " + shown);
      s.write(dataset);
    } catch (IllegalArgumentException e) {
      throw new Main.UserError(e.getMessage());
    } catch (Exception e) {
      throw new Main.UserError("cannot write " + store + ": " + e.getMessage());
    }
    // an import is a write like any other: audited in the server's log
    try (AuditLog audit = AuditLog.open(Path.of(auditLog))) {
      audit.record(
          new Principal(System.getProperty("user.name", "cli"), Role.ADMIN, "", "cli"),
          "dataset.generate",
          shown,
          Map.of(
              "seed",
              g.seed,
              "scale",
              g.scale,
              "districts",
              g.districts,
              "counts",
              dataset.metadata().counts()));
    } catch (java.io.IOException | IllegalArgumentException e) {
      throw new Main.UserError(
          "wrote " + shown + " but cannot record it in the audit log: " + e.getMessage());
    }
    System.err.printf(
        "generate: wrote %s in %.1f s in all: %s%n",
        shown, (System.nanoTime() - start) / 1e9, dataset.metadata().counts());
  }
}
