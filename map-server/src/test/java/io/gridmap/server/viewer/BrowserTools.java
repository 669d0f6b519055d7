package io.gridmap.server.viewer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the Node scripts of tools/browser-test (playwright-core driving Debian's Chromium). A
 * missing Chromium, Node or npm fails the test with what to install, never skips it: the browser is
 * the only judge of whether the viewer really draws.
 */
final class BrowserTools {
  private BrowserTools() {}

  /** Output and exit code of a finished command. */
  record Result(int exitCode, String output) {}

  static Path chromium() {
    Path p = Path.of(System.getenv().getOrDefault("GRIDMAP_CHROMIUM", "/usr/bin/chromium"));
    if (!Files.isExecutable(p)) {
      throw new AssertionError(
          "Chromium not found at "
              + p
              + ": the viewer's browser tests need it; install the Debian package chromium"
              + " (apt-get install chromium; ./mapserver test as root installs it) or set GRIDMAP_CHROMIUM");
    }
    return p;
  }

  /** tools/browser-test, found from the module or the repository root. */
  static Path dir() {
    Path here = Path.of("").toAbsolutePath();
    for (Path p = here; p != null; p = p.getParent()) {
      Path candidate = p.resolve("tools/browser-test");
      if (Files.isRegularFile(candidate.resolve("package.json"))) {
        return candidate;
      }
    }
    throw new AssertionError("tools/browser-test/package.json not found above " + here);
  }

  /** The repository root (the folder holding tools/). */
  static Path repoRoot() {
    return dir().getParent().getParent();
  }

  /**
   * tools/browser-test with its packages installed (npm ci from the lock file if one is absent).
   */
  static synchronized Path ready() {
    chromium();
    Path dir = dir();
    Result node = run(dir, 30, "node", "--version");
    if (node.exitCode() != 0) {
      throw new AssertionError("node --version failed: " + node.output());
    }
    if (!Stream.of("playwright-core", "esbuild", "ol", "ol-mapbox-style", "upng-js")
        .allMatch(m -> Files.isDirectory(dir.resolve("node_modules").resolve(m)))) {
      Result ci = run(dir, 300, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");
      if (ci.exitCode() != 0) {
        throw new AssertionError(
            "npm ci in " + dir + " failed (exit " + ci.exitCode() + "):\n" + ci.output());
      }
    }
    return dir;
  }

  /**
   * Runs a command in a directory with stdout and stderr merged; fails if it cannot start or
   * finish.
   */
  static Result run(Path dir, int timeoutSeconds, String... command) {
    List<String> cmd = List.of(command);
    try {
      Path out = Files.createTempFile("browser-test", ".out");
      try {
        Process p =
            new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
          throw new AssertionError(
              String.join(" ", cmd)
                  + " did not finish in "
                  + timeoutSeconds
                  + " s; output so far:\n"
                  + Files.readString(out, StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new AssertionError(
          "cannot run '"
              + String.join(" ", cmd)
              + "' ("
              + e.getMessage()
              + "): the viewer's browser tests need Node.js"
              + " and npm; install them (Debian packages nodejs and npm, or ./mapserver test as root installs them)",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted running " + cmd, e);
    }
  }
}
