package io.gridmap.tiler.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The directory encoding of spec/v3/spec.md 4.2, byte for byte. */
class PmtilesDirectoryTest {
  @Test
  void encodesColumnsOfVarintsWithDeltaTileIdsAndContiguousOffsetsAsZero() {
    // the spec's examples: TileIDs 5, 42, 69 are written 5, 37, 27; a tile whose bytes follow the
    // previous one's has offset 0, any other offset + 1
    List<PmtilesEntry> entries =
        List.of(
            new PmtilesEntry(5, 0, 42, 1),
            new PmtilesEntry(42, 42, 300, 3),
            new PmtilesEntry(69, 0, 42, 1));
    byte[] bytes = PmtilesDirectory.encode(entries);
    assertThat(bytes)
        .containsExactly(
            3, // entries
            5,
            37,
            27, // TileID deltas
            1,
            3,
            1, // run lengths
            42,
            (byte) 0xAC,
            0x02,
            42, // lengths: 300 = 0xAC 0x02
            1,
            0,
            1); // offsets: 0 + 1, contiguous, 0 + 1 (a repeat pointing back)
    assertThat(PmtilesDirectory.decode(bytes)).isEqualTo(entries);
  }

  @Test
  void leafEntriesHaveRunLengthZero() {
    List<PmtilesEntry> leaves =
        List.of(new PmtilesEntry(0, 0, 100, 0), new PmtilesEntry(5000, 100, 90, 0));
    byte[] bytes = PmtilesDirectory.encode(leaves);
    assertThat(bytes).containsExactly(2, 0, (byte) 0x88, 0x27, 0, 0, 100, 90, 1, 0);
    assertThat(PmtilesDirectory.decode(bytes)).allMatch(PmtilesEntry::isLeaf);
  }

  @Test
  void largeValuesRoundTrip() {
    List<PmtilesEntry> entries = new ArrayList<>();
    long id = 0;
    long offset = 0;
    for (int i = 0; i < 1000; i++) {
      id += 1 + (i * 7919L) % 100_000;
      int length = 1 + (i * 104_729) % 70_000;
      entries.add(new PmtilesEntry(id, offset, length, 1 + i % 3));
      offset += length + (i % 10 == 0 ? 5_000_000_000L : 0);
    }
    assertThat(PmtilesDirectory.decode(PmtilesDirectory.encode(entries))).isEqualTo(entries);
  }

  @Test
  void refusesAnEmptyOrUnorderedDirectory() {
    assertThatThrownBy(() -> PmtilesDirectory.encode(List.of())).hasMessageContaining("at least");
    assertThatThrownBy(
            () ->
                PmtilesDirectory.encode(
                    List.of(new PmtilesEntry(9, 0, 1, 1), new PmtilesEntry(3, 1, 1, 1))))
        .hasMessageContaining("ascend");
  }
}
