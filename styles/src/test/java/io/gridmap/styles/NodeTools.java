package io.gridmap.styles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Node helpers in tools/style-validate (gl-style-validate, the pbf glyph decoder). A
 * missing Node is a failure with instructions, never a skip: these checks are the independent
 * oracle for what we serve to MapLibre.
 */
public final class NodeTools {
  private NodeTools() {}

  /** Output and exit code of a finished command. */
  public record Result(int exitCode, String stdout, String stderr) {}

  /** tools/style-validate, found from the module or the repository root. */
  public static Path dir() {
    Path here = Path.of("").toAbsolutePath();
    for (Path p = here; p != null; p = p.getParent()) {
      Path candidate = p.resolve("tools/style-validate");
      if (Files.isRegularFile(candidate.resolve("package.json"))) {
        return candidate;
      }
    }
    throw new AssertionError("tools/style-validate/package.json not found above " + here);
  }

  /** tools/style-validate with its node_modules installed (npm ci from the lock file if absent). */
  public static synchronized Path ready() {
    Path dir = dir();
    Result node = run(dir, 30, "node", "--version");
    if (node.exitCode() != 0) {
      throw new AssertionError("node --version failed: " + node.stderr());
    }
    if (!Files.isDirectory(dir.resolve("node_modules/@maplibre/maplibre-gl-style-spec"))
        || !Files.isDirectory(dir.resolve("node_modules/pbf"))) {
      Result ci = run(dir, 300, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");
      if (ci.exitCode() != 0) {
        throw new AssertionError(
            "npm ci in "
                + dir
                + " failed (exit "
                + ci.exitCode()
                + "):\n"
                + ci.stdout()
                + ci.stderr());
      }
    }
    return dir;
  }

  /** Runs a command in a directory; fails the test if it cannot start or does not finish. */
  public static Result run(Path dir, int timeoutSeconds, String... command) {
    List<String> cmd = new ArrayList<>(List.of(command));
    Process p;
    try {
      Path out = Files.createTempFile("node-tool", ".out");
      Path err = Files.createTempFile("node-tool", ".err");
      try {
        p =
            new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new AssertionError(
              String.join(" ", cmd) + " did not finish in " + timeoutSeconds + " s");
        }
        return new Result(
            p.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new AssertionError(
          "cannot run '"
              + String.join(" ", cmd)
              + "' ("
              + e.getMessage()
              + "): the style and glyph checks need Node.js and npm;"
              + " install them (Debian packages nodejs and npm, or ./mapserver test as root installs them)",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted running " + cmd, e);
    }
  }
}
