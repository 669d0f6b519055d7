package io.gridmap.layers.track;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.edit.Change;
import io.gridmap.layers.edit.Provenance;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.testing.TestDatasets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrackRecorderTest {
  private static final Provenance WHO =
      new Provenance("gateway", "commander", "positions", Instant.parse("2026-11-25T02:00:00Z"));
  private static final int UPDATED_AT = Catalogue.FORCES.fieldIndex("updated_at");
  private static final long T0 = Instant.parse("2026-11-25T02:00:00Z").toEpochMilli();

  private static Feature force(long id, long time, double lon) {
    Object[] v = new Object[Catalogue.FORCES.fields().size()];
    v[UPDATED_AT] = time;
    return new Feature(id, TestDatasets.point(lon, 29.5), v, false);
  }

  /** Force {@code id} moves to a new place at {@code time}, in a transaction of its own. */
  private static void move(TrackRecorder r, long id, long time) {
    Change c =
        Change.of(
            "forces",
            List.of(
                new Change.Replacement(
                    force(id, time - 5_000, 106.5), force(id, time, 106.5 + time % 1000 * 1e-6))));
    TrackRecorder.Staged s = r.stage(List.of(c), List.of(WHO));
    assertThat(s.rows()).isNotEmpty();
    r.commit(s);
  }

  @Test
  void theOpenChunkOfAForceSilentForLongerThanAChunkSpansIsLetGo() {
    TrackRecorder r = new TrackRecorder();
    move(r, 1, T0);
    move(r, 2, T0 + 1_000);
    assertThat(r.openChunks()).isEqualTo(2);

    // force 2 reports on; force 1 falls silent: once force 2's fixes are a chunk's span past force
    // 1's first, force 1's chunk could grow no more and is let go
    for (long t = T0 + 60_000; t < T0 + TrackRecorder.MAX_SPAN_MS; t += 60_000) {
      move(r, 2, t);
    }
    assertThat(r.openChunks()).isEqualTo(2);
    move(r, 2, T0 + TrackRecorder.MAX_SPAN_MS + TrackRecorder.SWEEP_EVERY_MS);
    assertThat(r.openChunks()).isEqualTo(1);
  }
}
