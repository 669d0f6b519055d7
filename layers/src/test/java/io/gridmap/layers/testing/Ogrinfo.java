package io.gridmap.layers.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * GDAL's {@code ogrinfo} (Debian's gdal-bin) as an independent reader of our stores. A test that
 * uses it fails, never skips, where it is not installed: {@code ./mapserver test} installs it.
 */
public final class Ogrinfo {
  private Ogrinfo() {}

  /** What ogrinfo printed. */
  public record Result(String stdout, String stderr) {}

  /** Runs ogrinfo with {@code args}; fails the test unless it exits 0 within 60 s. */
  public static Result run(String... args) {
    List<String> command = new ArrayList<>();
    command.add(find());
    command.addAll(List.of(args));
    try {
      Path out = Files.createTempFile("ogrinfo", ".out");
      Path err = Files.createTempFile("ogrinfo", ".err");
      try {
        Process p =
            new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          return fail("ogrinfo did not finish within 60 s: " + command);
        }
        Result r =
            new Result(
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        assertThat(p.exitValue()).as("exit code of %s; stderr: %s", command, r.stderr).isZero();
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

  private static String find() {
    for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      Path p = Path.of(d, "ogrinfo");
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    if (Files.isExecutable(Path.of("/usr/bin/ogrinfo"))) {
      return "/usr/bin/ogrinfo";
    }
    return fail(
        "ogrinfo (GDAL) is not installed, and this test checks the store against it: install it with"
            + " 'apt-get install gdal-bin' (Debian) and run the tests again");
  }
}
