package io.gridmap.layers.store.gpkg;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.edit.Change;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.StoreChangeContract;
import io.gridmap.layers.store.Stores;
import io.gridmap.layers.testing.TestDatasets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The change contract on a GeoPackage file, and what only a GeoPackage does. */
class GeoPackageChangeTest extends StoreChangeContract {
  @TempDir Path dir;

  @Override
  protected String location() {
    return dir.resolve("city.gpkg").toString();
  }

  @Test
  void theRTreeThatQgisAndGdalFilterByFollowsAMove() throws Exception {
    Feature force = feature(tiny, "forces", 1);
    try (FeatureStore s = Stores.open(location())) {
      Feature moved = new Feature(1, TestDatasets.point(106.021, 29.031), force.values(), false);
      s.apply(Change.of("forces", List.of(new Change.Replacement(force, moved))), WHO);
    }
    // the GeoPackage R-tree (float32 bounds) followed the move
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + location());
        java.sql.ResultSet rs =
            c.createStatement()
                .executeQuery("SELECT minx, miny FROM rtree_forces_geom WHERE id = 1")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getDouble(1)).isCloseTo(106.021, org.assertj.core.data.Offset.offset(1e-4));
      assertThat(rs.getDouble(2)).isCloseTo(29.031, org.assertj.core.data.Offset.offset(1e-4));
    }
  }

  @Test
  void whileForcesMoveTheirRTreeIsSetAsideAndTheStoreAtRestHasItAgain() throws Exception {
    Feature force = feature(tiny, "forces", 1);
    int forces = tiny.layer("forces").features().size();
    try (FeatureStore s = Stores.open(location())) {
      Feature moved = new Feature(1, TestDatasets.point(106.021, 29.031), force.values(), false);
      s.apply(Change.of("forces", List.of(new Change.Replacement(force, moved))), WHO);
      // served: no tree, no triggers, no registration: a valid GeoPackage without a spatial index
      assertThat(rtreeState("forces")).isEqualTo(new RTreeState(false, 0, 0));
      assertThat(rtreeState("grids"))
          .as("the grids keep theirs")
          .isEqualTo(new RTreeState(true, 6, 1));
      // a second move writes no tree either
      Feature again = new Feature(1, TestDatasets.point(106.022, 29.032), force.values(), false);
      s.apply(Change.of("forces", List.of(new Change.Replacement(moved, again))), WHO);
      assertThat(rtreeState("forces").table()).isFalse();
    }
    assertThat(rtreeState("forces")).isEqualTo(new RTreeState(true, 6, 1));
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + location());
        java.sql.Statement st = c.createStatement();
        java.sql.ResultSet rs =
            st.executeQuery(
                "SELECT count(*), sum(id = 1 AND minx > 106.0215) FROM rtree_forces_geom")) {
      rs.next();
      assertThat(rs.getInt(1)).as("forces indexed at rest").isEqualTo(forces);
      assertThat(rs.getInt(2)).as("force 1 where its last move put it").isEqualTo(1);
    }
  }

  @Test
  void aStoreLeftWithoutTheForcesRTreeGetsItBackWhenTheEditorNextCloses() throws Exception {
    // as a crash while served leaves it
    try (java.sql.Connection c =
        java.sql.DriverManager.getConnection("jdbc:sqlite:" + location())) {
      assertThat(DeferredRTree.setAside(c, "forces")).isTrue();
    }
    assertThat(rtreeState("forces")).isEqualTo(new RTreeState(false, 0, 0));
    Feature grid = feature(tiny, "grids", 500103001001001L);
    try (FeatureStore s = Stores.open(location())) {
      // a change that moves no force
      s.apply(
          Change.of("grids", List.of(new Change.Replacement(grid, withValue(grid, 1, "一")))), WHO);
    }
    assertThat(rtreeState("forces")).isEqualTo(new RTreeState(true, 6, 1));
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + location());
        java.sql.ResultSet rs =
            c.createStatement().executeQuery("SELECT count(*) FROM rtree_forces_geom")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(tiny.layer("forces").features().size());
    }
  }

  /**
   * A layer's R-tree as a reader of the file sees it: its table, its triggers, its registration.
   */
  record RTreeState(boolean table, int triggers, int registered) {}

  private RTreeState rtreeState(String layer) throws java.sql.SQLException {
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + location());
        java.sql.ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT (SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name ="
                        + " 'rtree_"
                        + layer
                        + "_geom'), (SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND"
                        + " name LIKE 'rtree_"
                        + layer
                        + "_geom_%'), (SELECT count(*) FROM gpkg_extensions WHERE table_name = '"
                        + layer
                        + "' AND extension_name = 'gpkg_rtree_index')")) {
      rs.next();
      return new RTreeState(rs.getInt(1) == 1, rs.getInt(2), rs.getInt(3));
    }
  }

  @Test
  void aChangeThatKeepsTheGeometryLeavesTheRTreeAlone() throws Exception {
    // a trigger of the test's own counts what the R-tree's update triggers see: an UPDATE OF geom
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + location());
        java.sql.Statement st = c.createStatement()) {
      st.execute("CREATE TABLE geom_updates (fid INTEGER)");
      st.execute(
          "CREATE TRIGGER count_geom_updates AFTER UPDATE OF geom ON grids"
              + " BEGIN INSERT INTO geom_updates VALUES (NEW.fid); END");
    }
    Feature grid = feature(tiny, "grids", 500103001001001L);
    Feature renamed = withValue(grid, 1, "解放碑第一网格");
    Feature moved =
        new Feature(
            grid.id(),
            grid.geometry().buffer(0.0001).getEnvelope(),
            renamed.values(),
            renamed.personal());
    try (FeatureStore s = Stores.open(location())) {
      s.apply(Change.of("grids", List.of(new Change.Replacement(grid, renamed))), WHO);
      assertThat(geomUpdates()).as("a rename sets no geometry").isZero();
      assertThat(feature(s.read(), "grids", grid.id()).value(1)).isEqualTo("解放碑第一网格");
      s.apply(Change.of("grids", List.of(new Change.Replacement(renamed, moved))), WHO);
      assertThat(geomUpdates()).as("a new outline sets it").isEqualTo(1);
    }
  }

  private int geomUpdates() throws java.sql.SQLException {
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + location());
        java.sql.ResultSet rs =
            c.createStatement().executeQuery("SELECT count(*) FROM geom_updates")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @Test
  void anInsertMarkedForNoGeneratedKeysRunsNoQueryForThem() throws Exception {
    try (java.sql.Connection c =
            java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("keys.db"));
        java.sql.Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
      try (java.sql.PreparedStatement plain = c.prepareStatement("INSERT INTO t (v) VALUES (?)")) {
        plain.setString(1, "a");
        plain.executeUpdate();
        try (java.sql.ResultSet keys = plain.getGeneratedKeys()) {
          // the driver queried last_insert_rowid() unasked; when it stops, the marker can go
          assertThat(keys.next()).as("sqlite-jdbc fetched the key of a plain INSERT").isTrue();
        }
      }
      try (java.sql.PreparedStatement marked =
          c.prepareStatement(GeoPackageEditor.NO_GENERATED_KEYS + "INSERT INTO t (v) VALUES (?)")) {
        marked.setString(1, "b");
        marked.executeUpdate();
        try (java.sql.ResultSet keys = marked.getGeneratedKeys()) {
          assertThat(keys.next()).as("a key fetched for a marked INSERT").isFalse();
        }
      }
      try (java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FROM t")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(2);
      }
    }
  }

  @Test
  void changesGoThroughTheWriteAheadLogAndAStoreAtRestIsOneFile() throws Exception {
    Path wal = Path.of(location() + "-wal");
    Feature force = feature(tiny, "forces", 1);
    try (FeatureStore s = Stores.open(location())) {
      Feature moved = new Feature(1, TestDatasets.point(106.021, 29.031), force.values(), false);
      s.apply(Change.of("forces", List.of(new Change.Replacement(force, moved))), WHO);
      assertThat(journalMode()).as("the journal mode while a change was written").isEqualTo("wal");
      assertThat(wal).as("the log while the store is open").exists();
    }
    assertThat(journalMode()).as("the journal mode once the store closed").isEqualTo("delete");
    assertThat(wal).as("the log once the store closed").doesNotExist();
    assertThat(Path.of(location() + "-shm")).as("the log's index").doesNotExist();
  }

  /**
   * A transaction far larger than the log's usual cycle (an import through a running server) grows
   * the {@code -wal} to its size; once a checkpoint has copied it, the next change cuts the file
   * back, instead of leaving it at its largest until the server stops.
   */
  @Test
  void theLogIsCutBackOnceABigTransactionIsCopiedIntoTheStore() throws Exception {
    long limit = 256 << 10;
    Path wal = Path.of(location() + "-wal");
    GeoPackageEditor editor = new GeoPackageEditor(Path.of(location()), true, limit);
    try {
      editor.withConnection(
          c -> {
            try (java.sql.Statement s = c.createStatement()) {
              s.execute("CREATE TABLE scratch (b BLOB)");
              // the last write before the look at the log: any write after it cuts the log back
              s.execute("INSERT INTO scratch VALUES (zeroblob(8000000))");
            }
            return null;
          });
      assertThat(java.nio.file.Files.size(wal))
          .as("the log after an 8 MB transaction")
          .isGreaterThan(8_000_000L);
      Feature force = feature(tiny, "forces", 1);
      Feature moved = new Feature(1, TestDatasets.point(106.021, 29.031), force.values(), false);
      editor.apply(Change.of("forces", List.of(new Change.Replacement(force, moved))), WHO);
      assertThat(java.nio.file.Files.size(wal))
          .as("the log after the next change")
          .isLessThanOrEqualTo(limit);
    } finally {
      editor.close();
    }
    try (FeatureStore s = Stores.open(location())) {
      assertThat(feature(s.read(), "forces", 1).geometry().getCoordinate().x).isEqualTo(106.021);
    }
  }

  /**
   * A server killed while its store was in the log's mode leaves the {@code -wal} and {@code -shm}
   * beside the file; writing the store again (generate, import) replaces the file, and SQLite would
   * read the old log's pages into the new file the first time it turns to the log (it does not
   * check that a log belongs to its file).
   */
  @Test
  void aStoreWrittenOverTheFileOfAKilledServerLeavesItsLogOut() throws Exception {
    Path file = Path.of(location());
    List<String> parts = List.of("", "-wal", "-shm");
    Path crashed = dir.resolve("crashed");
    java.nio.file.Files.createDirectories(crashed);
    Feature force = feature(tiny, "forces", 1);
    try (FeatureStore s = Stores.open(location())) {
      Feature moved = new Feature(1, TestDatasets.point(106.021, 29.031), force.values(), false);
      s.apply(Change.of("forces", List.of(new Change.Replacement(force, moved))), WHO);
      // what a kill -9 now would leave: the move is in the log only
      for (String part : parts) {
        java.nio.file.Files.copy(Path.of(location() + part), crashed.resolve("city.gpkg" + part));
      }
    }
    for (String part : parts) {
      java.nio.file.Files.copy(
          crashed.resolve("city.gpkg" + part),
          Path.of(location() + part),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    Feature other = feature(tiny, "forces", 2);
    try (FeatureStore s = Stores.open(location())) {
      s.write(tiny); // generated again, over the killed server's file
      Feature moved = new Feature(2, TestDatasets.point(106.022, 29.032), other.values(), false);
      s.apply(Change.of("forces", List.of(new Change.Replacement(other, moved))), WHO);
      Feature first = feature(s.read(), "forces", 1);
      assertThat(first.geometry().equalsExact(force.geometry()))
          .as("force 1 as the new write put it, not as the old log had it: %s", first.geometry())
          .isTrue();
      assertThat(feature(s.read(), "forces", 2).geometry().equalsExact(moved.geometry()))
          .as("the change after the write")
          .isTrue();
    }
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
        java.sql.ResultSet rs = c.createStatement().executeQuery("PRAGMA integrity_check")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("ok");
    }
  }

  @Test
  void auditEntriesCommitWithTheirChangesAndAFailedChangeLeavesNone() throws Exception {
    Feature a = feature(tiny, "grids", 500103001001001L);
    Feature force = feature(tiny, "forces", 1);
    try (FeatureStore s = Stores.open(location())) {
      assertThat(s.keepsAudit()).isTrue();
      Feature moved = new Feature(1, TestDatasets.point(106.021, 29.031), force.values(), false);
      long[] seqs =
          s.applyAll(
              List.of(
                  Change.of("grids", List.of(new Change.Replacement(a, withValue(a, 1, "一")))),
                  Change.of("forces", List.of(new Change.Replacement(force, moved)))),
              List.of(WHO, WHO),
              List.of("{\"action\":\"grid.update\"}", "{\"action\":\"positions\"}"));
      s.audit("{\"action\":\"token.issue\"}");
      // a change the store refuses (a feature without its fields) takes its entry with it
      Feature broken = new Feature(1, moved.geometry(), new Object[0], false);
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () ->
                  s.applyAll(
                      List.of(Change.of("forces", List.of(new Change.Replacement(moved, broken)))),
                      List.of(WHO),
                      List.of("{\"action\":\"refused\"}")))
          .isInstanceOf(RuntimeException.class);
      List<String> newestFirst = new java.util.ArrayList<>();
      s.readAudit(newestFirst::add);
      assertThat(newestFirst)
          .containsExactly(
              "{\"action\":\"token.issue\"}",
              "{\"action\":\"positions\"}",
              "{\"action\":\"grid.update\"}");
      List<String> first = new java.util.ArrayList<>();
      s.readAudit(e -> first.add(e) && false);
      assertThat(first).as("read until the visitor has enough").hasSize(1);
      assertThat(auditSeqs()).containsExactly(seqs[0], seqs[1], null);
    }
  }

  @Test
  void readingTheAuditLogDoesNotHoldTheWriter() throws Exception {
    try (FeatureStore s = Stores.open(location())) {
      s.audit("{\"action\":\"grid.update\"}");
      java.util.concurrent.atomic.AtomicBoolean written =
          new java.util.concurrent.atomic.AtomicBoolean();
      // an admin's scan of the log, paused at its first entry while a write comes in
      s.readAudit(
          e -> {
            var write =
                java.util.concurrent.CompletableFuture.runAsync(
                    () -> s.audit("{\"action\":\"positions\"}"));
            try {
              write.get(10, java.util.concurrent.TimeUnit.SECONDS);
              written.set(true);
            } catch (Exception timedOutOrFailed) {
              written.set(false);
            }
            return false;
          });
      assertThat(written).as("the write went through while the log was read").isTrue();
      List<String> all = new java.util.ArrayList<>();
      s.readAudit(all::add);
      assertThat(all).containsExactly("{\"action\":\"positions\"}", "{\"action\":\"grid.update\"}");
    }
  }

  @Test
  void aWholeWriteCarriesTheAuditLogIntoTheNewFile() throws Exception {
    try (FeatureStore s = Stores.open(location())) {
      s.audit("{\"action\":\"grid.update\"}");
      s.audit("{\"action\":\"positions\"}");
      s.write(tiny); // generated again over it
      List<String> after = new java.util.ArrayList<>();
      s.readAudit(after::add);
      assertThat(after)
          .containsExactly("{\"action\":\"positions\"}", "{\"action\":\"grid.update\"}");
      s.write(tiny);
      List<String> again = new java.util.ArrayList<>();
      s.readAudit(again::add);
      assertThat(again).as("carried once, not twice").hasSize(2);
    }
    // a file that is no database is replaced with a warning, nothing carried
    java.nio.file.Files.writeString(Path.of(location()), "not a GeoPackage");
    try (FeatureStore s = Stores.open(location())) {
      s.write(tiny);
      List<String> none = new java.util.ArrayList<>();
      s.readAudit(none::add);
      assertThat(none).isEmpty();
    }
  }

  private List<Long> auditSeqs() throws java.sql.SQLException {
    List<Long> out = new java.util.ArrayList<>();
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + location());
        java.sql.ResultSet rs =
            c.createStatement().executeQuery("SELECT seq FROM audit_log ORDER BY id")) {
      while (rs.next()) {
        long v = rs.getLong(1);
        out.add(rs.wasNull() ? null : v);
      }
    }
    return out;
  }

  private String journalMode() throws java.sql.SQLException {
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + location());
        java.sql.ResultSet rs = c.createStatement().executeQuery("PRAGMA journal_mode")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
