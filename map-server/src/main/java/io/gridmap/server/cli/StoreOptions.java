package io.gridmap.server.cli;

import picocli.CommandLine.Option;

/** Options every command that touches the store shares. */
final class StoreOptions {
  @Option(
      names = "--store",
      paramLabel = "STORE",
      description = "the feature store: a .gpkg file path (default: ${DEFAULT-VALUE})",
      defaultValue = "data/chongqing.gpkg")
  String store;
}
