package io.gridmap.tiler.pack;

/**
 * One entry of a PMTiles directory (spec/v3/spec.md, 4.1).
 *
 * @param tileId the TileID of the (first) tile, or of the first tile a leaf directory holds
 * @param offset where the bytes start: in the tile data section for tiles, in the leaf directories
 *     section for a leaf
 * @param length how many bytes, always above 0
 * @param runLength how many consecutive TileIDs share these bytes; 0 for a leaf directory
 */
public record PmtilesEntry(long tileId, long offset, int length, int runLength) {
  public PmtilesEntry {
    if (tileId < 0 || offset < 0) {
      throw new IllegalArgumentException(
          "an entry needs a TileID and offset >= 0, got " + tileId + " and " + offset);
    }
    if (length <= 0) {
      throw new IllegalArgumentException(
          "an entry's length must be above 0, got " + length + " for TileID " + tileId);
    }
    if (runLength < 0) {
      throw new IllegalArgumentException(
          "an entry's run length must be >= 0, got " + runLength + " for TileID " + tileId);
    }
  }

  public boolean isLeaf() {
    return runLength == 0;
  }

  /** The first TileID after the run. */
  long end() {
    return tileId + Math.max(1, runLength);
  }
}
