package io.gridmap.server.tiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Finds {@code tools/mvt-decode/decode.js} (the independent MVT decoder) and makes sure Node and
 * its packages are there. Missing Node fails the test with what to install; it never skips.
 */
final class NodeTool {
  private NodeTool() {}

  static synchronized Path decodeScript() throws IOException, InterruptedException {
    Path dir = repoRoot().resolve("tools/mvt-decode");
    try {
      Process v = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      v.getInputStream().readAllBytes();
      if (v.waitFor(30, TimeUnit.SECONDS)
          && v.exitValue() == 0
          && Files.isDirectory(dir.resolve("node_modules"))) {
        return dir.resolve("decode.js");
      }
    } catch (IOException e) {
      throw new AssertionError(
          "Node.js is needed as the independent MVT decoder: apt-get install nodejs npm (./mapserver test does)",
          e);
    }
    Process ci =
        new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(ci.getInputStream().readAllBytes());
    if (!ci.waitFor(300, TimeUnit.SECONDS) || ci.exitValue() != 0) {
      throw new AssertionError("npm ci in " + dir + " failed:\n" + out);
    }
    return dir.resolve("decode.js");
  }

  static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("tools/mvt-decode"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new AssertionError(
          "cannot find tools/mvt-decode above " + Path.of("").toAbsolutePath());
    }
    return p;
  }
}
