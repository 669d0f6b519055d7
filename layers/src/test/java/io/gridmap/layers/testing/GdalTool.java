package io.gridmap.layers.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * GDAL's command-line tools (Debian's gdal-bin: ogrinfo, ogr2ogr, gdaltransform, gdalsrsinfo) as
 * independent readers of our stores, packages and coordinates. A test that uses them fails, never
 * skips, where they are not installed: {@code ./mapserver test} installs them.
 */
public final class GdalTool {
  private GdalTool() {}

  /** What a tool printed. */
  public record Result(String stdout, String stderr) {}

  /**
   * Runs {@code tool args}, feeding it {@code stdin} (empty for none); fails the test unless it
   * exits 0 within 60 s.
   */
  public static Result run(String tool, String stdin, String... args) {
    List<String> command = new ArrayList<>();
    command.add(find(tool));
    command.addAll(List.of(args));
    try {
      Path out = Files.createTempFile(tool, ".out");
      Path err = Files.createTempFile(tool, ".err");
      try {
        Process p =
            new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        try (OutputStream in = p.getOutputStream()) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          return fail(tool + " did not finish within 60 s: " + command);
        }
        Result r =
            new Result(
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        assertThat(p.exitValue()).as("exit code of %s; stderr: %s", command, r.stderr()).isZero();
        return r;
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      return fail("cannot run " + command + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail("interrupted running " + command);
    }
  }

  private static String find(String tool) {
    List<String> dirs =
        new ArrayList<>(
            List.of(System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)));
    dirs.add("/usr/bin");
    for (String d : dirs) {
      Path p = Path.of(d, tool);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return fail(
        tool
            + " (GDAL) is not installed, and this test checks our work against it: install it with"
            + " 'apt-get install gdal-bin' (Debian) and run the tests again");
  }
}
