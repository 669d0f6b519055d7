package io.gridmap.layers.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridmap.layers.schedule.ScheduledEdit;
import io.gridmap.layers.schedule.ScheduledEdits;
import io.gridmap.layers.testing.TestDatasets;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every store does with scheduled edits: kept as sent, listed, due in effective order, and
 * claimed by exactly one of several callers at once; a claimed edit cannot be cancelled. A store's
 * test extends this with where its store is.
 */
public abstract class StoreScheduledEditsContract {
  private static final Instant NOW = Instant.parse("2026-12-05T00:00:00Z");

  /** Where a fresh store for one test is: a file path or a URL. */
  protected abstract String location();

  @BeforeEach
  void write() {
    try (FeatureStore s = Stores.open(location())) {
      s.write(TestDatasets.tiny());
    }
  }

  private static ScheduledEdit rename(Instant effective, String name) {
    return ScheduledEdit.of(
        effective,
        "PATCH",
        "/collections/grids/items/1",
        "",
        "application/merge-patch+json",
        "\"abc\"",
        ("{\"properties\":{\"name\":\"" + name + "\"}}").getBytes(StandardCharsets.UTF_8),
        "planner-a",
        "planner",
        "500103",
        NOW,
        "{\"features\":[1]}");
  }

  @Test
  void anEditComesBackAsItWasSentAndDueInEffectiveOrder() {
    try (FeatureStore s = Stores.open(location())) {
      ScheduledEdits edits = s.scheduledEdits().orElseThrow();
      long later = edits.add(rename(NOW.plusSeconds(120), "later"));
      long sooner = edits.add(rename(NOW.plusSeconds(60), "sooner"));
      ScheduledEdit got = edits.find(sooner).orElseThrow();
      assertThat(got.status()).isEqualTo(ScheduledEdit.SCHEDULED);
      assertThat(got.effective()).isEqualTo(NOW.plusSeconds(60));
      assertThat(new String(got.body(), StandardCharsets.UTF_8)).contains("sooner");
      assertThat(got.ifMatch()).isEqualTo("\"abc\"");
      assertThat(got.scope()).isEqualTo("500103");
      assertThat(got.done()).isNull();
      assertThat(edits.due(NOW.plusSeconds(59), 10)).isEmpty();
      assertThat(edits.due(NOW.plusSeconds(600), 10))
          .extracting(ScheduledEdit::id)
          .containsExactly(sooner, later);
      assertThat(edits.list(null, 0, 10))
          .extracting(ScheduledEdit::id)
          .containsExactly(sooner, later);
      assertThat(edits.find(sooner + later + 1)).isEmpty();
    }
  }

  @Test
  void oneOfManyClaimsAtOnceWinsAndTheOutcomeIsKept() throws Exception {
    try (FeatureStore s = Stores.open(location())) {
      ScheduledEdits edits = s.scheduledEdits().orElseThrow();
      long id = edits.add(rename(NOW.plusSeconds(1), "x"));
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Callable<Boolean>> claims = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          claims.add(() -> edits.claim(id, NOW.plusSeconds(2)));
        }
        long won = 0;
        for (Future<Boolean> f : pool.invokeAll(claims)) {
          won += f.get() ? 1 : 0;
        }
        assertThat(won).as("claims that won").isEqualTo(1);
      } finally {
        pool.shutdown();
      }
      assertThat(edits.find(id).orElseThrow().status()).isEqualTo(ScheduledEdit.APPLYING);
      assertThat(edits.due(NOW.plusSeconds(600), 10)).isEmpty();
      assertThat(edits.cancel(id, "admin", NOW)).as("an edit being applied").isFalse();
      edits.finish(id, ScheduledEdit.APPLIED, 42L, "{\"status\":200}", NOW.plusSeconds(3));
      ScheduledEdit done = edits.find(id).orElseThrow();
      assertThat(done.status()).isEqualTo(ScheduledEdit.APPLIED);
      assertThat(done.seq()).isEqualTo(42L);
      assertThat(done.done()).isEqualTo(NOW.plusSeconds(3));
      assertThatThrownBy(
              () -> edits.finish(id, ScheduledEdit.FAILED, null, "{}", NOW.plusSeconds(4)))
          .isInstanceOf(StoreException.class);
      assertThat(edits.list(ScheduledEdit.APPLIED, 0, 10)).hasSize(1);
      assertThat(edits.list(ScheduledEdit.SCHEDULED, 0, 10)).isEmpty();
    }
  }

  @Test
  void aCancelledEditIsNeverDueAndWhoCancelledItIsKept() {
    try (FeatureStore s = Stores.open(location())) {
      ScheduledEdits edits = s.scheduledEdits().orElseThrow();
      long id = edits.add(rename(NOW.plusSeconds(1), "x"));
      assertThat(edits.cancel(id, "admin-1", NOW)).isTrue();
      assertThat(edits.cancel(id, "admin-1", NOW)).isFalse();
      assertThat(edits.claim(id, NOW.plusSeconds(2))).isFalse();
      assertThat(edits.due(NOW.plusSeconds(600), 10)).isEmpty();
      ScheduledEdit e = edits.find(id).orElseThrow();
      assertThat(e.status()).isEqualTo(ScheduledEdit.CANCELLED);
      assertThat(e.doneBy()).isEqualTo("admin-1");
    }
  }

  @Test
  void aClaimNeverFinishedBecomesInterruptedOnceStaleAndIsNeverDueAgain() {
    try (FeatureStore s = Stores.open(location())) {
      ScheduledEdits edits = s.scheduledEdits().orElseThrow();
      long stale = edits.add(rename(NOW.plusSeconds(1), "stale"));
      long fresh = edits.add(rename(NOW.plusSeconds(1), "fresh"));
      assertThat(edits.claim(stale, NOW.plusSeconds(2))).isTrue();
      assertThat(edits.claim(fresh, NOW.plusSeconds(60))).isTrue();
      assertThat(edits.interrupt(NOW.plusSeconds(30), NOW.plusSeconds(61))).isEqualTo(1);
      ScheduledEdit e = edits.find(stale).orElseThrow();
      assertThat(e.status()).isEqualTo(ScheduledEdit.INTERRUPTED);
      assertThat(e.outcome()).contains("history");
      assertThat(edits.find(fresh).orElseThrow().status()).isEqualTo(ScheduledEdit.APPLYING);
      assertThat(edits.claim(stale, NOW.plusSeconds(62))).isFalse();
      assertThat(edits.due(NOW.plusSeconds(600), 10)).isEmpty();
      assertThat(edits.interrupt(NOW.plusSeconds(30), NOW.plusSeconds(63))).isZero();
    }
  }

  @Test
  void editsOutliveTheStoreBeingClosed() {
    long id;
    try (FeatureStore s = Stores.open(location())) {
      id = s.scheduledEdits().orElseThrow().add(rename(NOW.plusSeconds(5), "kept"));
    }
    try (FeatureStore s = Stores.open(location())) {
      assertThat(s.scheduledEdits().orElseThrow().due(NOW.plusSeconds(5), 10))
          .extracting(ScheduledEdit::id)
          .containsExactly(id);
    }
  }
}
