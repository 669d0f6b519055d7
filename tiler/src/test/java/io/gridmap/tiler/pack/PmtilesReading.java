package io.gridmap.tiler.pack;

import io.gridmap.tiler.encode.Gzip;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a PMTiles archive the way a client does (header, root directory, a leaf when the root
 * points to one), for the writer's tests. The independent check is the {@code pmtiles} npm package
 * (map-server's ExportTilesTest).
 */
record PmtilesReading(byte[] file, PmtilesHeader header) {
  static PmtilesReading of(Path p) throws IOException {
    byte[] b = Files.readAllBytes(p);
    return new PmtilesReading(b, PmtilesHeader.parse(b));
  }

  List<PmtilesEntry> root() {
    return directory(header.rootOffset(), header.rootLength());
  }

  List<PmtilesEntry> directory(long offset, long length) {
    byte[] d = Arrays.copyOfRange(file, (int) offset, (int) (offset + length));
    return PmtilesDirectory.decode(
        header.internalCompression() == PmtilesHeader.Compression.GZIP ? Gzip.decompress(d) : d);
  }

  byte[] metadata() {
    byte[] d =
        Arrays.copyOfRange(
            file,
            (int) header.metadataOffset(),
            (int) (header.metadataOffset() + header.metadataLength()));
    return header.internalCompression() == PmtilesHeader.Compression.GZIP ? Gzip.decompress(d) : d;
  }

  /** The tile's stored bytes, or null when the archive does not hold it. */
  byte[] tile(long tileId) {
    List<PmtilesEntry> dir = root();
    for (int depth = 0; depth < 3; depth++) {
      PmtilesEntry e = find(dir, tileId);
      if (e == null) {
        return null;
      }
      if (!e.isLeaf()) {
        long from = header.tileDataOffset() + e.offset();
        return Arrays.copyOfRange(file, (int) from, (int) from + e.length());
      }
      dir = directory(header.leavesOffset() + e.offset(), e.length());
    }
    throw new AssertionError("leaf directories nested deeper than the spec allows");
  }

  /** The entry whose TileID is the greatest at or below the wanted one, if it covers it. */
  private static PmtilesEntry find(List<PmtilesEntry> dir, long tileId) {
    PmtilesEntry best = null;
    for (PmtilesEntry e : dir) {
      if (e.tileId() > tileId) {
        break;
      }
      best = e;
    }
    if (best == null) {
      return null;
    }
    return best.isLeaf() || tileId < best.tileId() + best.runLength() ? best : null;
  }
}
