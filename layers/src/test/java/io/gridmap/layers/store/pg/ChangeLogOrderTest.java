package io.gridmap.layers.store.pg;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.edit.Change;
import io.gridmap.layers.edit.LoggedChange;
import io.gridmap.layers.edit.Provenance;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.Stores;
import io.gridmap.layers.testing.TestDatasets;
import io.gridmap.layers.testing.TestPostgis;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Change-log positions follow commit order (V6__commit_ordered_log.sql): a reader that has seen a
 * position has every change below it, so a node or a live client resuming after it misses nothing.
 * Other programs' transactions are the ones that commit out of step with the server and with each
 * other.
 */
class ChangeLogOrderTest {
  private static final Provenance WHO =
      new Provenance("planner-7", "planner", "force.move", Instant.parse("2026-12-04T08:00:00Z"));

  private final String schema = TestPostgis.newSchema();
  private Dataset tiny;

  @BeforeEach
  void write() {
    tiny = TestDatasets.tiny();
    try (FeatureStore s = Stores.open(TestPostgis.storeUrl(schema))) {
      s.write(tiny);
    }
  }

  @AfterEach
  void drop() {
    TestPostgis.drop(schema);
  }

  @Test
  void anotherProgramsTransactionThatCommitsLastGetsTheLaterPosition() throws Exception {
    try (FeatureStore store = Stores.open(TestPostgis.storeUrl(schema));
        Connection first = connect();
        Connection second = connect()) {
      long before = store.logRange().last();
      first.setAutoCommit(false);
      try (Statement st = first.createStatement()) { // opened first, still open
        st.executeUpdate("UPDATE forces SET on_duty = NOT on_duty WHERE fid = 1");
      }
      try (Statement st = second.createStatement()) { // begun later, committed first
        st.executeUpdate("UPDATE forces SET on_duty = NOT on_duty WHERE fid = 2");
      }
      List<LoggedChange> seen = store.changesAfter(before, 10);
      assertThat(seen).extracting(LoggedChange::layer).containsExactly("forces");
      long secondAt = seen.get(0).seq();
      assertThat(seen.get(0).ids()).containsExactly(2L);
      first.commit();

      List<LoggedChange> all = store.changesAfter(before, 10);
      assertThat(all).hasSize(2);
      assertThat(all.get(1).ids()).containsExactly(1L);
      assertThat(all.get(1).seq())
          .as("the transaction that committed last is after what a reader had already seen")
          .isGreaterThan(secondAt);
    }
  }

  @Test
  void theServersWriteIsOrderedWithAnotherProgramsCommit() throws Exception {
    try (FeatureStore store = Stores.open(TestPostgis.storeUrl(schema));
        Connection other = connect()) {
      long before = store.logRange().last();
      other.setAutoCommit(false);
      try (Statement st = other.createStatement()) {
        st.executeUpdate("UPDATE events SET status = status WHERE fid = 1");
      }
      Feature force = tiny.layer("forces").features().get(0);
      Feature moved =
          new Feature(force.id(), TestDatasets.point(106.02, 29.03), force.values(), false);
      long server =
          store.apply(Change.of("forces", List.of(new Change.Replacement(force, moved))), WHO);
      other.commit();
      List<LoggedChange> all = store.changesAfter(before, 10);
      assertThat(all).extracting(LoggedChange::seq).containsExactly(server, server + 1);
      assertThat(all.get(1).layer()).isEqualTo("events");
    }
  }

  @Test
  void aPositionIsGivenOnlyOnceTheTransactionHoldingTheLowerOneHasEnded() throws Exception {
    try (FeatureStore store = Stores.open(TestPostgis.storeUrl(schema));
        Connection holder = connect();
        Connection next = connect()) {
      long before = store.logRange().last();
      holder.setAutoCommit(false);
      try (Statement st = holder.createStatement()) {
        st.executeUpdate("UPDATE key_sites SET name = name WHERE fid = 1");
        // committing runs the deferred trigger; SET CONSTRAINTS runs it now, inside the open
        // transaction, as a program that logs early would
        st.execute("SET CONSTRAINTS ALL IMMEDIATE");
      }
      CompletableFuture<Void> later =
          CompletableFuture.runAsync(
              () -> {
                try (Statement st = next.createStatement()) {
                  st.executeUpdate("UPDATE key_sites SET name = name WHERE fid = 2");
                } catch (java.sql.SQLException e) {
                  throw new IllegalStateException(e);
                }
              });
      Thread.sleep(500);
      assertThat(later).as("waits for the open transaction's position to settle").isNotDone();
      holder.rollback();
      later.get(10, TimeUnit.SECONDS);
      List<LoggedChange> all = store.changesAfter(before, 10);
      assertThat(all).hasSize(1);
      assertThat(all.get(0).ids()).containsExactly(2L);
      assertThat(all.get(0).seq())
          .as("the rolled-back position is a gap below it, never filled later")
          .isEqualTo(before + 2);
    }
  }

  @Test
  void aLoadStartsBelowAPositionWhoseTransactionIsStillOpen() throws Exception {
    try (FeatureStore store = Stores.open(TestPostgis.storeUrl(schema));
        Connection open = connect()) {
      open.setAutoCommit(false);
      try (Statement st = open.createStatement()) {
        st.executeUpdate("UPDATE key_sites SET name = 'renamed' WHERE fid = 2");
        st.execute("SET CONSTRAINTS ALL IMMEDIATE"); // its position is taken, not committed
      }
      long given = store.logRange().last();
      store.read(); // without the rename: it is not committed
      assertThat(store.readPosition())
          .as("a load's position leaves the open transaction's entry to be taken after it")
          .isLessThan(given);
      open.commit();
      assertThat(store.changesAfter(store.readPosition(), 10))
          .extracting(LoggedChange::seq)
          .containsExactly(given);
    }
  }

  private Connection connect() throws Exception {
    Connection c = TestPostgis.connect();
    try (Statement st = c.createStatement()) {
      st.execute("SET search_path TO \"" + schema + "\", public");
    }
    return c;
  }
}
