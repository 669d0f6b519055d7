package io.gridmap.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./mapserver}'s build step, run against stand-ins for Maven, npm and Java in a copy of the
 * launcher (a real build takes minutes): two launches at once in one checkout build once, the
 * second waiting for the first, and the server a launch starts does not hold the build's lock.
 */
class LauncherTest {
  @TempDir Path root;

  @Test
  void twoLaunchesAtOnceBuildOnceTheSecondWaitingForTheFirst() throws Exception {
    Path bin = checkout();
    Process first = launch(bin, "first");
    // the first one is inside its (slow) build before the second starts
    Path building = root.resolve("building");
    for (int i = 0; i < 200 && !Files.exists(building); i++) {
      Thread.sleep(50);
    }
    assertThat(building).exists();
    Process second = launch(bin, "second");
    assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out1 = Files.readString(root.resolve("first.out"));
    String out2 = Files.readString(root.resolve("second.out"));
    assertThat(first.exitValue()).as(out1).isZero();
    assertThat(second.exitValue()).as(out2).isZero();

    // one build: the second found the jar fresh once it had the lock
    assertThat(Files.readAllLines(root.resolve("builds"))).hasSize(1);
    assertThat(out1).contains("mapserver: building (no jar yet)");
    assertThat(out2)
        .contains("another ./mapserver is building")
        .doesNotContain("mapserver: building");
    // both went on to Java, neither holding the lock while it ran
    assertThat(out1).contains("java ran with the lock free");
    assertThat(out2).contains("java ran with the lock free");
  }

  @Test
  void buildRebuildsAFreshJar() throws Exception {
    Path bin = checkout();
    Process p = launch(bin, "one");
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    Process b = launch(bin, "build", "build");
    assertThat(b.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(b.exitValue()).isZero();
    assertThat(Files.readString(root.resolve("build.out"))).contains("building (asked for)");
    assertThat(Files.readAllLines(root.resolve("builds"))).hasSize(2);
  }

  /** A checkout with the launcher and a pom, no jar; stand-ins for mvn, npm and java on a PATH. */
  private Path checkout() throws IOException {
    Files.copy(Path.of("..", "mapserver"), root.resolve("mapserver"));
    executable(root.resolve("mapserver"));
    Files.writeString(root.resolve("pom.xml"), "<project/>\n");
    Path bin = Files.createDirectories(root.resolve("bin"));
    script(
        bin.resolve("mvn"),
        "touch \"$ROOT/building\"",
        "sleep 2",
        "echo build >> \"$ROOT/builds\"",
        "mkdir -p \"$ROOT/map-server/target\"",
        "echo jar > \"$ROOT/map-server/target/mapserver.jar\"");
    script(bin.resolve("npm"), "exit 0");
    // java holds the lock when it inherited an open descriptor on the launcher (the lock is
    // flock's, on that descriptor); asking flock -n instead would also fail while the *other*
    // launch holds the lock for its own staleness check, which is right and not ours
    script(
        bin.resolve("java"),
        "held=no; me=$(readlink -f \"$ROOT/mapserver\")",
        "for fd in /proc/$$/fd/*; do [ \"$(readlink -f \"$fd\")\" = \"$me\" ] && held=yes; done",
        "if [ $held = no ]; then echo java ran with the lock free;"
            + " else echo java ran holding the lock; fi");
    return bin;
  }

  private Process launch(Path bin, String name, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("bash", "./mapserver"));
    command.addAll(args.length == 0 ? List.of("--help") : List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(root.resolve(name + ".out").toFile());
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    pb.environment().put("ROOT", root.toString());
    return pb.start();
  }

  private static void script(Path file, String... lines) throws IOException {
    Files.writeString(file, "#!/usr/bin/env bash\n" + String.join("\n", lines) + "\n");
    executable(file);
  }

  private static void executable(Path file) throws IOException {
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
