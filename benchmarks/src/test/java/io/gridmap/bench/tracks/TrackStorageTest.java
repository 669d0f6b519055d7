package io.gridmap.bench.tracks;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.bench.BenchCity;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tiny mode of the storage measurement runs in the test suite, so that it cannot rot. */
class TrackStorageTest {
  @TempDir Path dir;

  @Test
  void aQuarterHourOfFiveForcesIsStoredInChunksSmallerThanARowPerMove() throws Exception {
    TrackStorage.Result r = TrackStorage.run(BenchCity.load(), 5, 0.25, 5, dir);
    System.out.println(TrackStorage.report(r, 0.25, 5));

    assertThat(r.fixes()).isEqualTo(5 * 180);
    assertThat(r.chunks()).isBetween(5L, 10L);
    assertThat((double) r.chunkPayloadBytes() / r.fixes()).isLessThan(10);
    assertThat(r.chunkFileBytes()).isLessThan(r.rowFileBytes());
  }
}
