package io.gridmap.layers.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.edit.Change;
import io.gridmap.layers.edit.Provenance;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.testing.TestDatasets;
import io.gridmap.layers.track.TrackPoint;
import io.gridmap.layers.track.TrackRecorder;
import io.gridmap.layers.track.TrackStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every store does with the forces' tracks: the moves of applied changes come back as a track,
 * in time order, inside a window; retention deletes whole old chunks. A store's test extends this
 * with where its store is.
 */
public abstract class StoreTrackContract {
  protected static final Provenance WHO =
      new Provenance("gateway", "commander", "positions", Instant.parse("2026-11-25T02:00:00Z"));
  private static final int UPDATED_AT = 4;
  private Dataset tiny;

  /** Where a fresh store for one test is: a file path or a URL. */
  protected abstract String location();

  @BeforeEach
  void write() {
    tiny = TestDatasets.tiny();
    try (FeatureStore s = Stores.open(location())) {
      s.write(tiny);
    }
  }

  /**
   * Moves force {@code id} to each fix in turn, one change per fix, {@code perGroup} per applyAll.
   */
  private Feature move(FeatureStore s, Feature from, List<TrackPoint> fixes, int perGroup) {
    Feature current = from;
    List<Change> group = new ArrayList<>();
    for (TrackPoint p : fixes) {
      Object[] v = current.values().clone();
      v[UPDATED_AT] = p.time();
      Feature next =
          new Feature(current.id(), TestDatasets.point(p.lon(), p.lat()), v, current.personal());
      group.add(Change.of("forces", List.of(new Change.Replacement(current, next))));
      current = next;
      if (group.size() == perGroup) {
        s.applyAll(group, java.util.Collections.nCopies(group.size(), WHO));
        group.clear();
      }
    }
    if (!group.isEmpty()) {
      s.applyAll(group, java.util.Collections.nCopies(group.size(), WHO));
    }
    return current;
  }

  private Feature force(long id) {
    return tiny.layer("forces").features().stream().filter(f -> f.id() == id).findFirst().get();
  }

  private static List<TrackPoint> walk(long start, int n, long stepMs) {
    List<TrackPoint> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      // east, then back west: differences of both signs
      double lon = 106.0120000 + (i < n / 2 ? i : n - i) * 0.0000713;
      double lat = 29.0200000 - i * 0.0000391;
      out.add(TrackPoint.of(start + i * stepMs, lon, lat));
    }
    return out;
  }

  @Test
  void movesAppliedToTheStoreComeBackAsTheForcesTrackInOrder() {
    long t0 = TestDatasets.T0 + 1_000;
    List<TrackPoint> fixes = walk(t0, 600, 5_000); // past MAX_POINTS: several chunks
    try (FeatureStore s = Stores.open(location())) {
      move(s, force(1), fixes, 7);
      TrackStore tracks = s.tracks().orElseThrow();

      assertThat(tracks.track(1, t0, t0 + 600 * 5_000L)).containsExactlyElementsOf(fixes);
      assertThat(tracks.track(2, t0, t0 + 600 * 5_000L)).isEmpty();
    }
    // and after a reopen: the chunks were in the moves' transactions
    try (FeatureStore s = Stores.open(location())) {
      assertThat(s.tracks().orElseThrow().track(1, 0, Long.MAX_VALUE))
          .containsExactlyElementsOf(fixes);
    }
  }

  @Test
  void aWindowHoldsTheFixesAtItsBoundsAndNoneOutside() {
    long t0 = TestDatasets.T0 + 1_000;
    List<TrackPoint> fixes = walk(t0, 300, 5_000);
    try (FeatureStore s = Stores.open(location())) {
      move(s, force(1), fixes, 50);
      TrackStore tracks = s.tracks().orElseThrow();
      long from = fixes.get(100).time();
      long to = fixes.get(280).time();

      assertThat(tracks.track(1, from, to)).containsExactlyElementsOf(fixes.subList(100, 281));
      assertThat(tracks.track(1, from + 1, to - 1))
          .containsExactlyElementsOf(fixes.subList(101, 280));
      assertThat(tracks.track(1, t0 - 10_000, t0 - 1)).isEmpty();
    }
  }

  @Test
  void anAttributeEditAndAMoveNotNewerThanTheTracksLastFixAddNoFix() {
    long t0 = TestDatasets.T0 + 1_000;
    try (FeatureStore s = Stores.open(location())) {
      Feature moved = move(s, force(1), List.of(TrackPoint.of(t0, 106.013, 29.021)), 1);
      Object[] v = moved.values().clone();
      v[1] = false; // off duty, same place and time
      s.apply(
          Change.of(
              "forces",
              List.of(
                  new Change.Replacement(
                      moved, new Feature(1, moved.geometry(), v, moved.personal())))),
          WHO);

      assertThat(s.tracks().orElseThrow().track(1, 0, Long.MAX_VALUE))
          .containsExactly(TrackPoint.of(t0, 106.013, 29.021));
    }
  }

  @Test
  void retentionDeletesWholeChunksOlderThanItInBoundedBatches() {
    long day = 86_400_000L;
    long old = TestDatasets.T0 + 1_000;
    long recent = old + 40 * day;
    List<TrackPoint> oldFixes = walk(old, 3 * TrackRecorder.MAX_POINTS, 5_000); // 3 chunks
    List<TrackPoint> newFixes = walk(recent, 10, 5_000);
    try (FeatureStore s = Stores.open(location())) {
      Feature f = move(s, force(1), oldFixes, 100);
      move(s, f, newFixes, 100);
      TrackStore tracks = s.tracks().orElseThrow();

      long cutoff = recent - 30 * day;
      assertThat(tracks.deleteBefore(cutoff, 2)).isEqualTo(2);
      assertThat(tracks.deleteBefore(cutoff, 2)).isEqualTo(1);
      assertThat(tracks.deleteBefore(cutoff, 2)).isZero();

      assertThat(tracks.track(1, 0, Long.MAX_VALUE)).containsExactlyElementsOf(newFixes);
    }
  }

  @Test
  void withRecordingOffMovesLeaveNoTrack() {
    try (FeatureStore s = Stores.open(location())) {
      s.tracks().orElseThrow().recording(false);
      move(s, force(1), walk(TestDatasets.T0 + 1_000, 5, 5_000), 1);

      assertThat(s.tracks().orElseThrow().track(1, 0, Long.MAX_VALUE)).isEmpty();
    }
  }
}
