package io.gridmap.server.cli;

import io.gridmap.server.config.ServerConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Prints every configuration key with its default and meaning, as a ready-to-edit file. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "Print the documented configuration keys and defaults (a template for --config).")
public final class ConfigCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.out.print(ServerConfig.documentedTemplate());
    return 0;
  }
}
