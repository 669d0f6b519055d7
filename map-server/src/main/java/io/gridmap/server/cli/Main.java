package io.gridmap.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code mapserver}: the single entry point of the server binary. */
@Command(
    name = "mapserver",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "The grid-governance map server: a generated or imported city served as vector tiles.",
      "",
      "Start with: mapserver demo"
    },
    subcommands = {
      DemoCommand.class,
      GenerateCommand.class,
      ServeCommand.class,
      ImportCommand.class,
      ExportTilesCommand.class,
      ConfigCommand.class,
      TokenCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code (tests call this). */
  public static int run(String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler(
        (ex, cmd, parsed) -> {
          if (ex instanceof UserError || ex instanceof io.gridmap.server.config.ConfigException) {
            cmd.getErr().println("mapserver: " + ex.getMessage());
            return 2;
          }
          throw ex;
        });
    return cl.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** A problem caused by the user's input: printed as one line, no stack trace. */
  public static final class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserError(String message) {
      super(message);
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"mapserver " + (v == null ? "development build" : v)};
    }
  }
}
