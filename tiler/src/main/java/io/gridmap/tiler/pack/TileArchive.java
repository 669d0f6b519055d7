package io.gridmap.tiler.pack;

import io.gridmap.tiler.geo.TileCoord;
import java.io.IOException;

/**
 * A tile package being written: tiles in ascending TileID order (what PMTiles needs to be
 * clustered; MBTiles does not care), then the metadata once. {@link #close()} without {@link
 * #finish} leaves an unfinished file that the caller deletes.
 */
public interface TileArchive extends AutoCloseable {
  /**
   * Adds one tile.
   *
   * @param gzipped the MVT bytes gzipped, as the server sends them
   */
  void write(TileCoord tile, byte[] gzipped) throws IOException;

  /** Writes the metadata and whatever the format keeps until the end; the file is then whole. */
  void finish(ArchiveMetadata metadata) throws IOException;

  /** Tiles written, distinct byte blobs stored, bytes of tile data stored. */
  Counts counts();

  @Override
  void close() throws IOException;

  /**
   * @param tiles tiles written (each z/x/y once)
   * @param contents distinct tile blobs stored: tiles minus repeats
   * @param tileBytes bytes of tile data stored
   */
  record Counts(long tiles, long contents, long tileBytes) {}
}
