package io.gridmap.server.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options of the demo-city generator. */
final class GeneratorOptions {
  @Option(
      names = "--seed",
      description = "generator seed; the same seed gives the same city (default: ${DEFAULT-VALUE})",
      defaultValue = "20261124")
  long seed;

  @Option(
      names = "--scale",
      description =
          "fraction of the full city's units and points under each district, in (0, 1] (default: ${DEFAULT-VALUE})",
      defaultValue = "1.0")
  double scale;

  @Option(
      names = "--districts",
      split = ",",
      paramLabel = "CODE",
      description = "only these districts, by GB/T 2260 code, e.g. 500103,500153 (default: all 38)")
  List<String> districts = new ArrayList<>();
}
