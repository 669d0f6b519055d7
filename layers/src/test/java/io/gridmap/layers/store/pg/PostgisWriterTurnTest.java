package io.gridmap.layers.store.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridmap.layers.edit.Change;
import io.gridmap.layers.edit.LoggedChange;
import io.gridmap.layers.edit.Provenance;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.NotTheWriterException;
import io.gridmap.layers.store.Stores;
import io.gridmap.layers.testing.TestDatasets;
import io.gridmap.layers.testing.TestPostgis;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One node writes at a time, and a node that lost its turn can never write with it again: two
 * stores on one schema stand for two server nodes. The turn's epoch is checked inside every write's
 * transaction (a fencing token), so a node that still believes it writes (it was paused past its
 * turn) is refused and nothing of its write lands.
 */
class PostgisWriterTurnTest {
  private static final Provenance WHO =
      new Provenance("gateway", "admin", "positions", Instant.parse("2026-12-04T04:00:00Z"));
  private final String schema = TestPostgis.newSchema();

  @AfterEach
  void drop() {
    TestPostgis.drop(schema);
  }

  private static Change move(Dataset d, double lon) {
    Feature f = d.layer("forces").features().get(0);
    return Change.of(
        "forces",
        List.of(
            new Change.Replacement(
                f, new Feature(f.id(), TestDatasets.point(lon, 29.03), f.values(), f.personal()))));
  }

  @Test
  void onlyTheNodeWhoseTurnItIsWritesAndOneWhoseTurnEndedIsFencedOff() throws Exception {
    Dataset tiny = TestDatasets.tiny();
    String url = TestPostgis.storeUrl(schema);
    try (FeatureStore init = Stores.open(url)) {
      init.write(tiny);
    }
    try (FeatureStore a = Stores.open(url);
        FeatureStore b = Stores.open(url)) {
      assertThat(a.takeTurn(Duration.ofSeconds(1))).isTrue();
      assertThat(b.takeTurn(Duration.ofSeconds(10))).as("a's turn has not ended").isFalse();

      assertThatThrownBy(() -> b.apply(move(tiny, 106.0201), WHO))
          .isInstanceOf(NotTheWriterException.class)
          .hasMessageContaining("does not hold the turn")
          .hasMessageContaining("nothing was written");
      long seq = a.apply(move(tiny, 106.0202), WHO);
      LoggedChange logged = a.changesAfter(seq - 1, 1).get(0);
      assertThat(logged.writer()).isEqualTo(a.node());

      // a is paused past its turn; b takes the next one
      Thread.sleep(1_500);
      assertThat(b.takeTurn(Duration.ofSeconds(10))).isTrue();
      assertThatThrownBy(() -> a.apply(move(tiny, 106.0203), WHO))
          .as("a still holds epoch 1 in its memory: the store refuses it")
          .isInstanceOf(NotTheWriterException.class)
          .hasMessageContaining(b.node() + " holds epoch 2");
      assertThat(a.takeTurn(Duration.ofSeconds(10))).as("b's turn is live").isFalse();
      long next = b.apply(move(tiny, 106.0204), WHO);

      assertThat(a.changesAfter(0, 10))
          .as("exactly the two writes of the nodes whose turn it was")
          .extracting(LoggedChange::seq, LoggedChange::writer)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(seq, a.node()),
              org.assertj.core.groups.Tuple.tuple(next, b.node()));
      Feature back = b.read().layer("forces").features().get(0);
      assertThat(back.geometry().getCoordinate().x).isEqualTo(106.0204);
    }
  }

  @Test
  void aNodeThatStopsEndsItsTurnSoTheNextWritesAtOnce() throws Exception {
    Dataset tiny = TestDatasets.tiny();
    String url = TestPostgis.storeUrl(schema);
    try (FeatureStore init = Stores.open(url)) {
      init.write(tiny);
    }
    try (FeatureStore a = Stores.open(url);
        FeatureStore b = Stores.open(url)) {
      assertThat(a.takeTurn(Duration.ofSeconds(60))).isTrue();
      assertThat(b.takeTurn(Duration.ofSeconds(60))).isFalse();
      a.releaseTurn();
      assertThat(b.takeTurn(Duration.ofSeconds(60)))
          .as("a minute's turn, ended by its holder")
          .isTrue();
      assertThatThrownBy(() -> a.apply(move(tiny, 106.0205), WHO))
          .isInstanceOf(NotTheWriterException.class);
      b.releaseTurn();
      a.releaseTurn(); // holds none: nothing to end, b's ended turn untouched
      assertThat(a.takeTurn(Duration.ofSeconds(60))).isTrue();
    }
  }

  @Test
  void aCatchUpThatWaitsForAWriteUnderWayDoesNotHoldItUp() throws Exception {
    Dataset tiny = TestDatasets.tiny();
    String url = TestPostgis.storeUrl(schema);
    try (FeatureStore init = Stores.open(url)) {
      init.write(tiny);
    }
    try (FeatureStore a = Stores.open(url)) {
      assertThat(a.takeTurn(Duration.ofSeconds(1))).isTrue();
    }
    Thread.sleep(1_200); // a's turn ends
    FeatureStore b = Stores.open(url);
    // the catch-up waits for the writer thread, which is busy with a write that needs the store
    java.util.concurrent.CompletableFuture<Boolean> took =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () ->
                b.takeTurn(
                    Duration.ofSeconds(10),
                    () ->
                        java.util.concurrent.CompletableFuture.runAsync(
                                () ->
                                    assertThatThrownBy(() -> b.apply(move(tiny, 106.0206), WHO))
                                        .as("not yet b's to write with")
                                        .isInstanceOf(NotTheWriterException.class))
                            .join()));
    try {
      assertThat(took.get(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    } catch (java.util.concurrent.TimeoutException deadlock) {
      // b stays open: closing it would wait for the lock the stuck catch-up holds
      throw new AssertionError("the catch-up and the write wait for each other", deadlock);
    }
    try (b) {
      b.apply(move(tiny, 106.0207), WHO);
    }
  }
}
