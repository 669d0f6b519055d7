package io.gridmap.server.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code tools/pmtiles-read}: the {@code pmtiles} npm package reading a PMTiles archive, the
 * independent reader our writer is checked against. A missing Node or npm fails the test with what
 * to install; it never skips. Its node_modules is installed from the lock file on first use.
 */
final class PmtilesReadTool {
  private PmtilesReadTool() {}

  /** Runs {@code node read.mjs args...}; returns stdout, or fails the test with stderr. */
  static synchronized String run(List<String> args) throws IOException, InterruptedException {
    Path dir = dir();
    if (!Files.isDirectory(dir.resolve("node_modules/pmtiles"))) {
      String out = exec(dir, 300, List.of("npm", "ci", "--no-audit", "--no-fund"));
      if (!Files.isDirectory(dir.resolve("node_modules/pmtiles"))) {
        throw new AssertionError("npm ci in " + dir + " did not install pmtiles:\n" + out);
      }
    }
    List<String> cmd = new ArrayList<>(List.of("node", "read.mjs"));
    cmd.addAll(args);
    return exec(dir, 120, cmd);
  }

  private static String exec(Path dir, int seconds, List<String> cmd)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("pmtiles-read", ".out");
    Path err = Files.createTempFile("pmtiles-read", ".err");
    try {
      Process p;
      try {
        p =
            new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
      } catch (IOException e) {
        throw new AssertionError(
            "cannot run '"
                + String.join(" ", cmd)
                + "' ("
                + e.getMessage()
                + "): reading PMTiles with the pmtiles npm package needs Node.js and npm;"
                + " install them (apt-get install nodejs npm, or ./mapserver test, which runs"
                + " scripts/setup.sh)",
            e);
      }
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", cmd) + " did not finish in " + seconds + " s");
      }
      String stdout = Files.readString(out, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new AssertionError(
            String.join(" ", cmd)
                + " exited "
                + p.exitValue()
                + ":\n"
                + Files.readString(err, StandardCharsets.UTF_8)
                + stdout);
      }
      return stdout;
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  static Path dir() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("tools/pmtiles-read");
      if (Files.isRegularFile(candidate.resolve("package.json"))) {
        return candidate;
      }
    }
    throw new AssertionError(
        "tools/pmtiles-read/package.json not found above " + Path.of("").toAbsolutePath());
  }
}
