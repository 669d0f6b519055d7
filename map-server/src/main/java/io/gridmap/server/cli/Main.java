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
    cl.setParameterExceptionHandler(Main::badArguments);
    return cl.execute(args);
  }

  /**
   * picocli's answer to bad arguments, with the option the user mistyped named first: for {@code
   * import --layr x f} picocli says only that {@code --layer} is missing.
   */
  private static int badArguments(CommandLine.ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    java.io.PrintWriter err = cmd.getErr();
    // picocli suggests only by prefix ("--prot" finds no "--port") and counts a mistyped
    // option's value as one more unknown argument ("Unknown options: '--prot', '8080'"): each
    // unknown long option is named here once, with the near one when there is one, and picocli's
    // own line only when it says something else (a missing required option, an unknown short
    // option or a stray argument alone)
    boolean unmatched = ex instanceof CommandLine.UnmatchedArgumentException;
    java.util.Set<String> known = cmd.getCommandSpec().optionsMap().keySet();
    boolean named = false;
    for (String a : args) {
      String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
      if (name.startsWith("--") && name.length() > 2 && !known.contains(name)) {
        java.util.Optional<String> near =
            known.stream().filter(k -> k.startsWith("--") && distance(k, name) <= 2).findFirst();
        err.println(
            "Unknown option: '"
                + name
                + "'"
                + near.map(k -> " (did you mean " + k + "?)").orElse(""));
        named = true;
      }
    }
    if (!unmatched || !named) {
      err.println(ex.getMessage());
    }
    if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, err)) {
      cmd.usage(err);
    }
    return cmd.getCommandSpec().exitCodeOnInvalidInput();
  }

  /** Levenshtein distance: how many letters to add, remove or change. */
  static int distance(String a, String b) {
    int[] row = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      row[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      int diagonal = row[0];
      row[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int above = row[j];
        row[j] =
            Math.min(
                Math.min(row[j] + 1, row[j - 1] + 1),
                diagonal + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
        diagonal = above;
      }
    }
    return row[b.length()];
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
