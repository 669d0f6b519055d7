package io.gridmap.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.store.pg.PostgisStore;
import io.gridmap.server.cli.Main;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * The server as it was at an earlier git commit, built from that commit's own sources, for tests
 * that run old and new nodes side by side (a rolling upgrade). The commit's tree is taken with
 * {@code git archive} into {@code map-server/target/old-release/<commit>/} and built there with
 * {@code mvn -DskipTests package -pl map-server -am}; what is kept is its {@code mapserver.jar},
 * the jar a release ships, so a second run finds it at once.
 *
 * <p>To keep the build short (about 30 s on 2 cores, against 50 s for the whole tree) the old
 * tree's test sources are left out, and the npm folders (styles/fonts-npm, map-server/viewer-npm)
 * get this tree's installed {@code node_modules} when their package-lock.json is the same, so no
 * {@code npm ci} runs; with another lock file the build installs its own. A commit this clone does
 * not have (a shallow clone) or a build that fails is an {@link AssertionError} saying what is
 * missing: a rolling-upgrade test that cannot build the old release fails, it never skips.
 */
public final class OldRelease {
  /** The folders whose node_modules the build copies files from (the CJK fonts, MapLibre). */
  private static final List<String> NPM_FOLDERS =
      List.of("styles/fonts-npm", "map-server/viewer-npm");

  private static final String MIGRATIONS = "io/gridmap/layers/store/pg/migration/";
  private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__[^/]*\\.sql");

  /** The full hash of the commit. */
  public final String commit;

  /** Its {@code mapserver.jar}: the whole server, as released. */
  public final Path jar;

  private OldRelease(String commit, Path jar) {
    this.commit = commit;
    this.jar = jar;
  }

  /**
   * The server at {@code commit} (a hash or any name git resolves), built now unless an earlier run
   * built it.
   */
  public static synchronized OldRelease at(String commit) throws Exception {
    Path root = repositoryRoot();
    String full = resolve(root, commit);
    Path dir = root.resolve("map-server/target/old-release").resolve(full);
    Path jar = dir.resolve("mapserver.jar");
    Files.createDirectories(dir);
    // another test process building the same commit at once waits for it, then finds the jar
    try (FileChannel lockFile =
            FileChannel.open(
                dir.resolve("build.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock ignored = lockFile.lock()) {
      if (!Files.isRegularFile(jar)) {
        build(root, full, dir, jar);
      }
    }
    return new OldRelease(full, jar);
  }

  /** The classpath to run it with: its jar alone. */
  public String classpath() {
    return jar.toString();
  }

  /**
   * Runs one command of its {@code mapserver} CLI (e.g. {@code generate}) to the end, 5 minutes at
   * most, and fails with its output unless it exits 0.
   */
  public void run(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(ServerProcess.java(), "-cp", classpath()));
    command.add(Main.class.getName());
    command.addAll(Arrays.asList(args));
    Path out = Files.createTempFile("old-release", ".log");
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError(
            "the release at " + commit + " did not finish " + command + " in 5 minutes");
      }
      assertThat(p.exitValue())
          .as("the release at %s: %s; its output:%n%s", commit, args[0], Files.readString(out))
          .isZero();
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** The versions of the schema migrations (V&lt;n&gt;__*.sql) this release ships. */
  public TreeSet<Integer> migrations() throws IOException {
    return migrationsIn(jar);
  }

  /** The versions of the schema migrations on this test's own classpath: the new release's. */
  public static TreeSet<Integer> currentMigrations() throws IOException {
    try {
      return migrationsIn(
          Path.of(PostgisStore.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
  }

  /** The migration versions in a jar or a classes folder. */
  static TreeSet<Integer> migrationsIn(Path jarOrFolder) throws IOException {
    List<String> names = new ArrayList<>();
    if (Files.isDirectory(jarOrFolder)) {
      Path folder = jarOrFolder.resolve(MIGRATIONS);
      if (Files.isDirectory(folder)) {
        try (Stream<Path> files = Files.list(folder)) {
          files.forEach(f -> names.add(f.getFileName().toString()));
        }
      }
    } else {
      try (ZipFile zip = new ZipFile(jarOrFolder.toFile())) {
        zip.stream()
            .map(e -> e.getName())
            .filter(n -> n.startsWith(MIGRATIONS))
            .forEach(n -> names.add(n.substring(MIGRATIONS.length())));
      }
    }
    TreeSet<Integer> versions = new TreeSet<>();
    for (String name : names) {
      Matcher m = VERSIONED.matcher(name);
      if (m.matches()) {
        versions.add(Integer.parseInt(m.group(1)));
      }
    }
    if (versions.isEmpty()) {
      throw new AssertionError("no schema migrations (" + MIGRATIONS + "V*.sql) in " + jarOrFolder);
    }
    return versions;
  }

  /** The root of the git work tree the tests run in (map-server's parent). */
  private static Path repositoryRoot() throws Exception {
    Path here = Path.of("").toAbsolutePath();
    GitResult top = git(here, "rev-parse", "--show-toplevel");
    if (top.code != 0) {
      throw new AssertionError(
          "the rolling-upgrade test builds an older release from git, but "
              + here
              + " is not in a git work tree (git rev-parse --show-toplevel: "
              + top.out.strip()
              + "); run it in a clone of the repository");
    }
    return Path.of(top.out.strip());
  }

  private static String resolve(Path root, String commit) throws Exception {
    GitResult r = git(root, "rev-parse", "--verify", "--quiet", commit + "^{commit}");
    if (r.code == 0) {
      return r.out.strip();
    }
    GitResult shallow = git(root, "rev-parse", "--is-shallow-repository");
    throw new AssertionError(
        "the rolling-upgrade test builds the release at commit "
            + commit
            + ", which this clone ("
            + root
            + ") does not have"
            + ("true".equals(shallow.out.strip())
                ? ": it is a shallow clone; run git fetch --unshallow (or clone with a depth that"
                    + " reaches the commit)"
                : ": fetch the branch that holds it"));
  }

  private static void build(Path root, String commit, Path dir, Path jar) throws Exception {
    long start = System.nanoTime();
    Path tree = dir.resolve("main");
    deleteTree(tree);
    Files.createDirectories(tree);
    Path log = dir.resolve("build.log");
    // the commit's whole tree, as a release is built from it, without its tests: a release runs
    // none of them and they would double the time (the layers test-jar map-server names as a
    // test dependency is built empty)
    Path tar = dir.resolve("source.tar");
    GitResult archive = git(root, "archive", "--format=tar", "-o", tar.toString(), commit);
    if (archive.code != 0) {
      throw new AssertionError("git archive " + commit + " failed: " + archive.out);
    }
    exec(dir, log, List.of("tar", "-xf", tar.toString(), "-C", tree.toString()), 5);
    Files.delete(tar);
    try (Stream<Path> modules = Files.list(tree)) {
      for (Path module : modules.toList()) {
        deleteTree(module.resolve("src/test"));
      }
    }
    for (String npm : NPM_FOLDERS) {
      Path ours = root.resolve(npm);
      Path theirs = tree.resolve(npm);
      if (Files.isDirectory(ours.resolve("node_modules"))
          && Files.isRegularFile(theirs.resolve("package-lock.json"))
          && Arrays.equals(
              Files.readAllBytes(ours.resolve("package-lock.json")),
              Files.readAllBytes(theirs.resolve("package-lock.json")))) {
        Files.createSymbolicLink(theirs.resolve("node_modules"), ours.resolve("node_modules"));
      }
    }
    List<String> mvn =
        List.of("mvn", "-B", "-q", "-DskipTests", "package", "-pl", "map-server", "-am");
    int code;
    try {
      code = exec(tree, log, mvn, 10);
    } catch (IOException e) {
      throw new AssertionError(
          "the rolling-upgrade test builds the release at "
              + commit
              + " with Maven, which is not on the PATH: "
              + e.getMessage(),
          e);
    }
    Path built = tree.resolve("map-server/target/mapserver.jar");
    if (code != 0 || !Files.isRegularFile(built)) {
      throw new AssertionError(
          "building the release at "
              + commit
              + " failed ("
              + String.join(" ", mvn)
              + " in "
              + tree
              + ", exit "
              + code
              + "); its output, also in "
              + log
              + ":\n"
              + tail(log));
    }
    Files.move(built, jar, StandardCopyOption.ATOMIC_MOVE);
    deleteTree(tree);
    System.out.printf(
        "built the release at %s in %d s: %s%n",
        commit, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start), jar);
  }

  /** Runs a command in {@code dir} with its output appended to {@code log}; its exit code. */
  private static int exec(Path dir, Path log, List<String> command, int minutes) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    // the same JDK as the tests, whatever JAVA_HOME says
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process p = pb.start();
    if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError(
          command + " did not finish in " + minutes + " minutes; its output:\n" + tail(log));
    }
    return p.exitValue();
  }

  private record GitResult(int code, String out) {}

  private static GitResult git(Path dir, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
    command.addAll(Arrays.asList(args));
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError(
          "the rolling-upgrade test builds an older release from git, which is not on the PATH", e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
    return new GitResult(p.exitValue(), out);
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }

  private static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    // symbolic links (the borrowed node_modules) are removed, never followed
    try (Stream<Path> all = Files.walk(path)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
