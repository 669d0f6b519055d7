package io.gridmap.layers.store.gpkg;

import static io.gridmap.layers.store.gpkg.StoreCrashWriter.LAYER;
import static io.gridmap.layers.store.gpkg.StoreCrashWriter.STEP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.gridmap.layers.edit.FeatureVersion;
import io.gridmap.layers.index.SyntheticCity;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.Stores;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Point;

/**
 * DESIGN: "Edits are transactions: after a kill -9 mid-edit the store holds the old or the new
 * version, never a mix; history keeps every version." Proved with real kills: a child JVM ({@link
 * StoreCrashWriter}) applies change after change to all 3,000 forces of a store, each change moving
 * every force to a spot that encodes the change's number; the test SIGKILLs it and, after each
 * kill, opens the store and checks that every force holds the same change, the last one the child
 * reported or the one after it (a commit can land just before the kill, its line unread), that the
 * history of every force holds exactly the versions up to it, that the R-tree agrees and that
 * SQLite finds the file sound. Each round carries on from the store the last one left, so recovery
 * is followed by more changes too.
 *
 * <p>Three kinds of moment: seeded ones (after a seeded number of commits, a seeded fraction of one
 * change's time: mostly while rows are written, sometimes between changes or in a commit); the
 * moment a checkpoint starts overwriting the file with the write-ahead log's pages (the file then
 * holds part of a change whose whole is only in the log, and the next open must read the log over
 * it); and, for a writer on SQLite's rollback journal (the editor's fallback, the mode of stores
 * written before the log), the moment the journal turns hot (SQLite has synced it and is
 * overwriting pages of the file itself): only the journal's rollback on the next open restores the
 * old version. The state each kill left (the log's frames, an interrupted checkpoint, the
 * journal's) is read from the files before anything opens them, and printed.
 *
 * <p>Checked against a non-atomic editor (a scratch copy committing per row, every 1,000 rows, or
 * the features and their history in two transactions): each made both enabled tests fail.
 */
@Tag("slow")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@EnabledOnOs(OS.LINUX) // SIGKILL through Process.destroyForcibly, exit status 128 + 9
class StoreCrashTest {
  private static final long SEED = 0x5EED_C4A5L;
  private static final int FORCES = 3000;
  private static final int SAMPLE = 25;
  private static final int SIGKILL_EXIT = 128 + 9;
  private static final long TIMEOUT_MS = 60_000;

  @TempDir Path dir;

  /**
   * What one round saw of the child: the last change it reported committed, and how it was killed.
   */
  private record Kill(long lastReported, String moment) {}

  /** When to kill the writer, once it has reported {@code commits} more changes. */
  private sealed interface Moment {
    /** The changes to let the writer report first. */
    int commits();
  }

  /**
   * After a fraction of the time one change takes (a third of it when timed from the writer's
   * start).
   */
  private record Later(int commits, double fraction) implements Moment {}

  /**
   * As soon as the rollback journal turns hot (the writer is overwriting pages of the file itself),
   * after letting {@code passing} such transactions end: 0 kills the next change's transaction; 1
   * the one after it, which would be the next change's second transaction if a change were ever
   * written in more than one.
   */
  private record JournalHot(int commits, int passing) implements Moment {}

  /**
   * As soon as a checkpoint has begun and the file has been written since (SQLite copying the log's
   * pages into the file itself), after letting {@code passing} checkpoints end.
   */
  private record Checkpointing(int commits, int passing) implements Moment {}

  private Map<Long, Feature> originals;
  private Path file;

  @BeforeEach
  void writeStore() {
    SyntheticCity.Spec small = SyntheticCity.small();
    Dataset city =
        SyntheticCity.generate(
            new SyntheticCity.Spec(
                small.seed(),
                small.lonLat(),
                small.districts(),
                small.streetsPerDistrict(),
                small.villagesPerStreet(),
                small.gridsPerVillage(),
                0,
                0,
                FORCES,
                small.urgentShare(),
                small.personalShare(),
                false));
    file = dir.resolve("city.gpkg");
    try (FeatureStore s = Stores.open(file.toString())) {
      s.write(city);
    }
    originals = new LinkedHashMap<>();
    city.layer(LAYER).features().forEach(f -> originals.put(f.id(), f));
    assertThat(originals).hasSize(FORCES);
  }

  @Test
  void aWriterKilledAtAnyMomentLeavesEveryForceAtTheSameChangeWithItsWholeHistory()
      throws Exception {
    SplittableRandom rnd = new SplittableRandom(SEED);
    long n = 0;
    for (int round = 1; round <= 5; round++) {
      Kill kill = runAndKill(round, n, new Later(rnd.nextInt(1, 4), rnd.nextDouble()), false);
      LogState log = logState();
      // read first, as a restarting server does, whatever the log holds
      n = check(kill, rnd, true);
      if (log.unfinished() > 0) {
        assertThat(n)
            .as("a change whose frames in the log have no commit frame never committed")
            .isEqualTo(kill.lastReported());
      }
      log(round, kill, n, log.toString());
    }
  }

  /**
   * The most dangerous moment with the write-ahead log: a checkpoint is overwriting the file with
   * pages of the log, so the file alone holds part of a change. The change that began the
   * checkpoint committed (the checkpoint runs inside its commit, before the writer can report it),
   * so the store must hold it: one change more than the writer reported. Odd rounds read first, as
   * a restarting server does (a read-only connection must rebuild the log's index itself), even
   * ones open the editor's connection first.
   */
  @Test
  void aWriterKilledWhileCopyingTheLogIntoTheFileLosesNoChangeItCommitted() throws Exception {
    SplittableRandom rnd = new SplittableRandom(SEED + 3);
    long n = 0;
    int readFirst = 0;
    int editorFirst = 0;
    for (int round = 1; round <= 4; round++) {
      Kill kill =
          runAndKill(round, n, new Checkpointing(rnd.nextInt(1, 3), (round - 1) / 2), false);
      LogState log = logState();
      boolean first = round % 2 == 1;
      n = check(kill, rnd, first);
      if (log.checkpointInterrupted()) {
        assertThat(n)
            .as("the change whose commit began the interrupted checkpoint is in the store")
            .isEqualTo(kill.lastReported() + 1);
        readFirst += first ? 1 : 0;
        editorFirst += first ? 0 : 1;
      }
      log(round, kill, n, log.toString());
    }
    assertThat(readFirst)
        .as("rounds read first after a kill mid-checkpoint (else this test tested nothing)")
        .isPositive();
    assertThat(editorFirst)
        .as("rounds opened for writing first after a kill mid-checkpoint")
        .isPositive();
  }

  /**
   * A writer on the rollback journal killed while it overwrites the file (a commit, or a cache
   * spill of a large change): the file has a hot journal, and the next open must roll it back. A
   * read-only SQLite connection cannot (SQLITE_READONLY_ROLLBACK), and a server restarted after
   * such a crash reads the store first, so the reader rolls it back itself
   * (GeoPackageReader.recoverHotJournal): odd rounds read first (this failed before it did), even
   * ones open the editor's connection first.
   */
  @Test
  void aWriterOnTheRollbackJournalKilledWhileOverwritingTheFileLeavesTheOldVersion()
      throws Exception {
    SplittableRandom rnd = new SplittableRandom(SEED + 1);
    long n = 0;
    int readFirst = 0;
    int editorFirst = 0;
    for (int round = 1; round <= 4; round++) {
      Kill kill = runAndKill(round, n, new JournalHot(rnd.nextInt(1, 3), (round - 1) / 2), true);
      String journal = journalState();
      boolean first = round % 2 == 1;
      n = check(kill, rnd, first);
      if (journal.equals("hot")) {
        assertThat(n)
            .as("a change whose journal was still hot never committed")
            .isEqualTo(kill.lastReported());
        readFirst += first ? 1 : 0;
        editorFirst += first ? 0 : 1;
      }
      log(round, kill, n, "journal " + journal);
    }
    assertThat(readFirst)
        .as("rounds read first after a kill with a hot journal (else this test tested nothing)")
        .isPositive();
    assertThat(editorFirst)
        .as("rounds opened for writing first after a kill with a hot journal")
        .isPositive();
  }

  private static void log(int round, Kill kill, long held, String state) {
    System.out.printf(
        "StoreCrashTest round %d: %s; last reported commit %d, store holds change %d; left: %s%n",
        round, kill.moment(), kill.lastReported(), held, state);
  }

  /**
   * Starts the writer on a store holding change {@code n}, kills it at the given moment, waits for
   * it.
   */
  private Kill runAndKill(int round, long n, Moment moment, boolean rollbackJournal)
      throws Exception {
    Path err = dir.resolve("writer-" + round + ".err");
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    Process child =
        new ProcessBuilder(
                java,
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                StoreCrashWriter.class.getName(),
                file.toString(),
                "1000",
                rollbackJournal ? "rollback-journal" : "write-ahead-log")
            .redirectError(err.toFile())
            .start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  lines.add(line);
                }
              } catch (IOException ignored) {
                // the pipe closes when the child dies
              } finally {
                lines.add("EOF");
              }
            },
            "crash-writer-stdout");
    reader.setDaemon(true);
    reader.start();
    try {
      String start = next(lines, child, err);
      assertThat(start).as("the writer's first line").isEqualTo("start " + n);
      int commits = moment.commits();
      long last = n;
      long lastAt = System.nanoTime();
      long interval = 0;
      for (int seen = 0; seen < commits; seen++) {
        String line = next(lines, child, err);
        assertThat(line).as("a line of the writer").isEqualTo("committed " + (last + 1));
        long now = System.nanoTime();
        interval = now - lastAt;
        lastAt = now;
        last++;
      }
      String how;
      if (moment instanceof Later l) {
        // the first interval includes the writer's start-up and read; later ones are one change
        // each
        long delayMs =
            Math.round(
                l.fraction() * TimeUnit.NANOSECONDS.toMillis(interval) * (commits == 1 ? 0.3 : 1));
        Thread.sleep(delayMs);
        child.destroyForcibly();
        how =
            String.format(
                "killed %d ms after commit %d was read (%d ms per change)",
                delayMs, last, TimeUnit.NANOSECONDS.toMillis(interval));
      } else if (moment instanceof Checkpointing c) {
        int[] passed = {0};
        java.nio.file.attribute.FileTime[] fileAtStart = {null};
        await(
            child,
            err,
            "the writer did not checkpoint " + (c.passing() + 1) + " times",
            () -> {
              int[] progress = checkpointProgress();
              if (progress[1] > progress[0]) { // a checkpoint has begun and not ended
                java.nio.file.attribute.FileTime written = Files.getLastModifiedTime(file);
                if (fileAtStart[0] == null) {
                  fileAtStart[0] = written;
                } else if (!written.equals(fileAtStart[0]) && passed[0] >= c.passing()) {
                  // the checkpoint has begun to overwrite the file; at least, not exactly, so many
                  // passed: one seen only after its last write (the file's time moves in steps of
                  // a clock tick) passes uncaught, and the next is as good a moment
                  return true;
                }
              } else if (fileAtStart[0] != null) {
                passed[0]++; // that checkpoint ended
                fileAtStart[0] = null;
              }
              return false;
            });
        child.destroyForcibly();
        how =
            String.format(
                "killed while checkpoint %d after commit %d was read overwrote the file",
                c.passing() + 1, last);
      } else {
        JournalHot d = (JournalHot) moment;
        int[] passed = {0};
        boolean[] wasHot = {false};
        await(
            child,
            err,
            "the writer's journal did not turn hot " + (d.passing() + 1) + " times",
            () -> {
              boolean hot = journalState().equals("hot");
              if (hot && !wasHot[0] && passed[0]++ == d.passing()) {
                return true;
              }
              wasHot[0] = hot;
              return false;
            });
        child.destroyForcibly();
        how =
            String.format(
                "killed when the journal turned hot the %s time after commit %d was read",
                d.passing() == 0 ? "first" : "second", last);
      }
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("the writer died").isTrue();
      assertThat(child.exitValue())
          .as("the writer was killed by SIGKILL (exit status 128 + 9)")
          .isEqualTo(SIGKILL_EXIT);
      // lines the writer printed before it died are still in the pipe
      for (String line = next(lines, child, err);
          !line.equals("EOF");
          line = next(lines, child, err)) {
        assertThat(line).as("a line of the writer").isEqualTo("committed " + (last + 1));
        last++;
      }
      return new Kill(last, how);
    } finally {
      child.destroyForcibly();
      child.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** A condition on the files the writer is writing, polled while it runs. */
  @FunctionalInterface
  private interface Poll {
    boolean reached() throws IOException;
  }

  /**
   * Polls {@code poll} every 20 µs until it is reached; fails with {@code what} and the writer's
   * stderr if the writer dies first or a minute passes.
   */
  private static void await(Process child, Path err, String what, Poll poll) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
    while (!poll.reached()) {
      if (System.nanoTime() > deadline || !child.isAlive()) {
        fail(what + "; its stderr: " + Files.readString(err));
      }
      LockSupport.parkNanos(20_000);
    }
  }

  /**
   * The writer's next line, or "EOF" once it has died of SIGKILL; fails if it falls silent or exits
   * otherwise.
   */
  private static String next(BlockingQueue<String> lines, Process child, Path err)
      throws Exception {
    String line = lines.poll(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    if (line == null) {
      fail(
          "the writer printed nothing for "
              + TIMEOUT_MS
              + " ms; its stderr: "
              + Files.readString(err));
    }
    if (line.equals("EOF")
        && (!child.waitFor(30, TimeUnit.SECONDS) || child.exitValue() != SIGKILL_EXIT)) {
      fail(
          "the writer closed its output "
              + (child.isAlive()
                  ? "but did not exit"
                  : "and exited with status " + child.exitValue())
              + "; its stderr: "
              + Files.readString(err));
    }
    return line;
  }

  /**
   * Opens the store after a kill and checks it; returns the change it holds.
   *
   * @param readFirst read before anything opens the file for writing, as a restarted server does;
   *     else open the editor's connection first (it rolls back a hot journal)
   */
  private long check(Kill kill, SplittableRandom rnd, boolean readFirst) throws Exception {
    long n;
    Map<Long, Feature> stored = new HashMap<>();
    try (GeoPackageStore store = new GeoPackageStore(file)) {
      if (!readFirst) {
        store.history(LAYER, originals.keySet().iterator().next());
      }
      store.read().layer(LAYER).features().forEach(f -> stored.put(f.id(), f));
      assertThat(stored.keySet()).as("the forces in the store").isEqualTo(originals.keySet());

      // no mix: every force holds the same change
      Map<Long, Integer> bySequence = new HashMap<>();
      stored.values().forEach(f -> bySequence.merge(StoreCrashWriter.sequence(f), 1, Integer::sum));
      assertThat(bySequence)
          .as("number of forces per change they hold (a mix of changes if more than one)")
          .hasSize(1);
      n = bySequence.keySet().iterator().next();
      assertThat(n)
          .as("the change the store holds, given the last one the writer reported committed")
          .isIn(kill.lastReported(), kill.lastReported() + 1);
      for (Feature f : stored.values()) {
        Feature expected = StoreCrashWriter.version(originals.get(f.id()), n);
        assertThat(f.geometry().equalsExact(expected.geometry()))
            .as("force %d is where change %d put it", f.id(), n)
            .isTrue();
        assertThat(f.values()).as("force %d values", f.id()).containsExactly(expected.values());
      }

      // history keeps every version: 1 is the generated force, v > 1 is change v - 1
      List<Long> ids = new ArrayList<>(originals.keySet());
      Set<Long> sample = new TreeSet<>(List.of(ids.get(0), ids.get(ids.size() - 1)));
      while (sample.size() < SAMPLE) {
        sample.add(ids.get(rnd.nextInt(ids.size())));
      }
      for (long id : sample) {
        List<FeatureVersion> history = store.history(LAYER, id);
        assertThat(history)
            .extracting(FeatureVersion::version)
            .as("versions of force %d", id)
            .containsExactlyElementsOf(IntStream.rangeClosed(1, (int) n + 1).boxed().toList());
        Feature original = originals.get(id);
        assertThat(history.get(0).provenance()).isNull();
        assertThat(history.get(0).feature().geometry().equalsExact(original.geometry())).isTrue();
        assertThat(history.get(0).feature().values()).containsExactly(original.values());
        for (FeatureVersion v : history.subList(1, history.size())) {
          Feature expected = StoreCrashWriter.version(original, v.version() - 1);
          assertThat(v.feature().geometry().equalsExact(expected.geometry()))
              .as("force %d version %d", id, v.version())
              .isTrue();
          assertThat(v.feature().values())
              .as("force %d version %d", id, v.version())
              .containsExactly(expected.values());
          assertThat(v.provenance()).isEqualTo(StoreCrashWriter.provenance(v.version() - 1));
        }
      }
    }

    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
        List<String> problems = new ArrayList<>();
        while (rs.next()) {
          problems.add(rs.getString(1));
        }
        assertThat(problems).as("PRAGMA integrity_check").containsExactly("ok");
      }
      // every force, not only the sample, has exactly the versions 1..n+1
      try (ResultSet rs =
          s.executeQuery(
              "SELECT COUNT(*), COUNT(DISTINCT fid),"
                  + " (SELECT COUNT(*) FROM (SELECT fid FROM "
                  + GeoPackageEditor.HISTORY
                  + " WHERE layer = '"
                  + LAYER
                  + "'"
                  + "   GROUP BY fid HAVING COUNT(*) != "
                  + (n + 1)
                  + " OR MIN(version) != 1 OR MAX(version) != "
                  + (n + 1)
                  + ")),"
                  + " (SELECT COUNT(*) FROM "
                  + GeoPackageEditor.HISTORY
                  + " WHERE layer != '"
                  + LAYER
                  + "')"
                  + " FROM "
                  + GeoPackageEditor.HISTORY
                  + " WHERE layer = '"
                  + LAYER
                  + "'")) {
        rs.next();
        assertThat(rs.getLong(1))
            .as("history rows of forces")
            .isEqualTo(originals.size() * (n + 1));
        assertThat(rs.getLong(2)).as("forces with a history").isEqualTo(originals.size());
        assertThat(rs.getLong(3))
            .as("forces whose versions are not exactly 1.." + (n + 1))
            .isZero();
        assertThat(rs.getLong(4)).as("history rows of other layers").isZero();
      }
      // the R-tree (float32 bounds, rounded outwards), set aside while the writer moved the forces
      // and built again from the rows when the store above closed (DeferredRTree), is at the
      // change the rows hold
      int indexed = 0;
      try (ResultSet rs =
          s.executeQuery("SELECT id, minx, maxx, miny, maxy FROM rtree_" + LAYER + "_geom")) {
        while (rs.next()) {
          indexed++;
          long id = rs.getLong(1);
          assertThat(stored).containsKey(id);
          Point at = StoreCrashWriter.position(id, n);
          assertThat(rs.getDouble(2))
              .as("R-tree minx of force %d (change %d puts it at %s)", id, n, at.getX())
              .isLessThanOrEqualTo(at.getX())
              .isGreaterThan(at.getX() - STEP / 2);
          assertThat(rs.getDouble(3))
              .as("R-tree maxx of force %d", id)
              .isGreaterThanOrEqualTo(at.getX())
              .isLessThan(at.getX() + STEP / 2);
          assertThat(rs.getDouble(4)).isLessThanOrEqualTo(at.getY());
          assertThat(rs.getDouble(5)).isGreaterThanOrEqualTo(at.getY());
        }
      }
      assertThat(indexed).as("forces in the R-tree").isEqualTo(originals.size());
    }
    assertThat(journalState()).as("the rollback journal after recovery").isNotEqualTo("hot");
    assertThat(file.resolveSibling(file.getFileName() + "-wal"))
        .as(
            "the log once the editor closed with no other connection open (a store at rest is one"
                + " file)")
        .doesNotExist();
    return n;
  }

  /**
   * What the write-ahead log holds, read from its two files as a killed writer left them: the
   * frames of committed changes not yet copied into the file, a checkpoint that began and did not
   * end, and frames at the log's end that no commit frame closes (a change killed while its pages
   * were being appended: SQLite must ignore them).
   *
   * @param committed frames up to the log's last commit frame
   * @param copied of those, the frames a finished checkpoint copied into the file
   * @param attempted the frames the last checkpoint set out to copy (more than copied: it did not
   *     end)
   * @param unfinished frames after the last commit frame
   */
  private record LogState(int committed, int copied, int attempted, int unfinished) {
    boolean checkpointInterrupted() {
      return attempted > copied;
    }

    @Override
    public String toString() {
      if (committed == 0 && unfinished == 0 && attempted == 0) {
        return "an empty log";
      }
      return String.format(
          "a log of %d committed frames, %d copied into the file%s%s",
          committed,
          copied,
          checkpointInterrupted() ? ", a checkpoint of " + attempted + " interrupted" : "",
          unfinished > 0 ? ", " + unfinished + " frames of an unfinished change" : "");
    }
  }

  /**
   * Reads the log's state. The layouts are SQLite's (sqlite.org/fileformat2.html#walformat and
   * wal.c): the log is a 32-byte header (page size at 8, salts at 16 and 20, big-endian), then
   * frames of a 24-byte header (at 4 the file's size in pages after a commit, else 0; the salts at
   * 8 and 12) and a page; a frame belongs to the log while its salts are the header's. The index
   * ({@code -shm}, native byte order) holds the checkpoint's progress: frames copied at 96, frames
   * attempted at 128.
   */
  private LogState logState() throws IOException {
    Path wal = file.resolveSibling(file.getFileName() + "-wal");
    int[] progress = checkpointProgress();
    int committed = 0;
    int frames = 0;
    try (var ch = java.nio.channels.FileChannel.open(wal)) {
      java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(32);
      if (ch.read(header, 0) == 32) {
        int pageSize = header.getInt(8);
        long salt = header.getLong(16);
        java.nio.ByteBuffer frame = java.nio.ByteBuffer.allocate(24);
        for (long at = 32; ; at += 24 + pageSize) {
          frame.clear();
          if (ch.read(frame, at) != 24 || frame.getLong(8) != salt) {
            break;
          }
          frames++;
          if (frame.getInt(4) != 0) {
            committed = frames;
          }
        }
      }
    } catch (java.nio.file.NoSuchFileException e) {
      // no log
    }
    return new LogState(committed, progress[0], progress[1], frames - committed);
  }

  /** The frames the last checkpoint copied and set out to copy, from the log's index. */
  private int[] checkpointProgress() throws IOException {
    Path shm = file.resolveSibling(file.getFileName() + "-shm");
    try (var ch = java.nio.channels.FileChannel.open(shm)) {
      java.nio.ByteBuffer b =
          java.nio.ByteBuffer.allocate(136).order(java.nio.ByteOrder.nativeOrder());
      if (ch.read(b, 0) == 136) {
        return new int[] {b.getInt(96), b.getInt(128)};
      }
    } catch (java.nio.file.NoSuchFileException e) {
      // no index: no log either, or one no connection has opened
    }
    return new int[] {0, 0};
  }

  /**
   * The rollback journal the killed writer left: none (killed between changes), stale (killed
   * before the commit synced it: its header is still zero and SQLite ignores it) or hot (killed
   * during the commit: SQLite rolls it back when the file is next opened).
   */
  private String journalState() throws IOException {
    Path journal = file.resolveSibling(file.getFileName() + "-journal");
    if (!Files.exists(journal)) {
      return "none";
    }
    try (var in = Files.newInputStream(journal)) {
      int first = in.read();
      return first > 0 ? "hot" : "stale";
    } catch (java.nio.file.NoSuchFileException e) {
      return "none"; // deleted since
    }
  }
}
