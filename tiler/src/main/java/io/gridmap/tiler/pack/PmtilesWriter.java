package io.gridmap.tiler.pack;

import io.gridmap.tiler.encode.Gzip;
import io.gridmap.tiler.geo.TileCoord;
import io.gridmap.tiler.pack.PmtilesHeader.Compression;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a PMTiles v3 archive (github.com/protomaps/PMTiles, spec/v3/spec.md). Hand-written: no
 * PMTiles writer for Java is served by the registry here (Planetiler's is part of its whole
 * pipeline), and the format is small: a header, varint directories and the tile bytes.
 *
 * <p>Tiles arrive in ascending TileID order and their bytes go straight to a side file, so memory
 * holds only the directory entries. Repeated bytes are stored once ({@link RepeatedTiles}), and a
 * tile equal to the one just before on the Hilbert curve extends that entry's run length instead of
 * adding an entry. The archive is clustered: tile data is in TileID order, each entry's bytes
 * follow the previous entry's or point back at a repeat. {@link #finish} lays the file out as
 * header, root directory, metadata, leaf directories, tile data; the root directory stays within
 * the first 16 KiB, with leaf directories when all entries would not fit.
 */
public final class PmtilesWriter implements TileArchive {
  private final Path file;
  private final Path dataFile;
  private final OutputStream data;
  private final Compression internal;
  private final RepeatedTiles repeats = new RepeatedTiles();
  private final List<PmtilesEntry> entries = new ArrayList<>();
  private long dataLength;
  private long addressed;
  private long contents;
  private long lastId = -1;
  private boolean finished;

  /**
   * @param file where the archive goes (the caller renames it into place when whole)
   * @param internal how directories and metadata are compressed: {@code GZIP} (what readers expect)
   *     or {@code NONE}
   */
  public PmtilesWriter(Path file, Compression internal) throws IOException {
    if (internal != Compression.GZIP && internal != Compression.NONE) {
      throw new IllegalArgumentException(
          "internal compression must be GZIP or NONE, got " + internal);
    }
    this.file = file;
    this.internal = internal;
    this.dataFile = file.resolveSibling(file.getFileName() + ".tiledata");
    this.data =
        new BufferedOutputStream(
            Files.newOutputStream(
                dataFile, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING),
            1 << 16);
  }

  @Override
  public void write(TileCoord tile, byte[] gzipped) throws IOException {
    long id = TileId.of(tile);
    if (id <= lastId) {
      throw new IllegalArgumentException(
          "tiles must come in ascending TileID order: " + tile + " (" + id + ") after " + lastId);
    }
    if (gzipped.length == 0) {
      throw new IllegalArgumentException("tile " + tile + " has no bytes");
    }
    lastId = id;
    addressed++;
    long offset = repeats.find(gzipped);
    if (offset < 0) {
      offset = dataLength;
      data.write(gzipped);
      dataLength += gzipped.length;
      contents++;
      repeats.remember(gzipped, offset);
    }
    int last = entries.size() - 1;
    PmtilesEntry previous = last < 0 ? null : entries.get(last);
    if (previous != null
        && previous.offset() == offset
        && previous.length() == gzipped.length
        && previous.end() == id) {
      entries.set(
          last,
          new PmtilesEntry(previous.tileId(), offset, gzipped.length, previous.runLength() + 1));
    } else {
      entries.add(new PmtilesEntry(id, offset, gzipped.length, 1));
    }
  }

  @Override
  public Counts counts() {
    return new Counts(addressed, contents, dataLength);
  }

  @Override
  public void finish(ArchiveMetadata m) throws IOException {
    if (entries.isEmpty()) {
      throw new IllegalStateException(
          "no tile of the area holds any feature: a PMTiles archive needs at least one");
    }
    data.close();
    Directories dirs = directories(entries, internal);
    byte[] metadata =
        compress(ArchiveMetadata.toJson(m.json()).getBytes(StandardCharsets.UTF_8), internal);
    long rootOffset = PmtilesHeader.LENGTH;
    long metadataOffset = rootOffset + dirs.root().length;
    long leavesOffset = metadataOffset + metadata.length;
    long dataOffset = leavesOffset + dirs.leaves().length;
    PmtilesHeader header =
        new PmtilesHeader(
            rootOffset,
            dirs.root().length,
            metadataOffset,
            metadata.length,
            leavesOffset,
            dirs.leaves().length,
            dataOffset,
            dataLength,
            addressed,
            entries.size(),
            contents,
            true,
            internal,
            Compression.GZIP,
            PmtilesHeader.TYPE_MVT,
            m.minZoom(),
            m.maxZoom(),
            m.bounds().getMinX(),
            m.bounds().getMinY(),
            m.bounds().getMaxX(),
            m.bounds().getMaxY(),
            m.centerZoom(),
            m.centerLon(),
            m.centerLat());
    try (FileChannel out =
            FileChannel.open(
                file,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        FileChannel in = FileChannel.open(dataFile, StandardOpenOption.READ)) {
      writeFully(out, header.bytes());
      writeFully(out, dirs.root());
      writeFully(out, metadata);
      writeFully(out, dirs.leaves());
      long done = 0;
      while (done < dataLength) {
        done += in.transferTo(done, dataLength - done, out);
      }
      out.force(true);
    }
    finished = true;
    Files.deleteIfExists(dataFile);
  }

  private static void writeFully(FileChannel out, byte[] bytes) throws IOException {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
    while (b.hasRemaining()) {
      out.write(b);
    }
  }

  @Override
  public void close() throws IOException {
    if (!finished) {
      data.close();
    }
    Files.deleteIfExists(dataFile);
  }

  /** The root directory and the leaf directories section, each compressed. */
  record Directories(byte[] root, byte[] leaves, int leafCount) {}

  /** The largest compressed root directory: it and the header fit the first 16 KiB. */
  static final int MAX_ROOT = PmtilesHeader.FIRST_FETCH - PmtilesHeader.LENGTH;

  /**
   * All entries in the root when they fit in {@link #MAX_ROOT} once compressed; else leaves of
   * {@code leafSize} entries each and a root of one entry per leaf, with leaves made larger until
   * the root fits. One level of leaves, as the spec advises: starting at 4,096 entries a leaf (a
   * few KiB gzipped), 16 KiB of root hold ~3,000 leaves, some 12 million entries, and each pass
   * grows the leaves by a fifth.
   */
  static Directories directories(List<PmtilesEntry> entries, Compression internal) {
    byte[] root = compress(PmtilesDirectory.encode(entries), internal);
    if (root.length <= MAX_ROOT) {
      return new Directories(root, new byte[0], 0);
    }
    int leafSize = 4096;
    while (true) {
      java.io.ByteArrayOutputStream leaves = new java.io.ByteArrayOutputStream();
      List<PmtilesEntry> rootEntries = new ArrayList<>();
      for (int from = 0; from < entries.size(); from += leafSize) {
        List<PmtilesEntry> part = entries.subList(from, Math.min(entries.size(), from + leafSize));
        byte[] leaf = compress(PmtilesDirectory.encode(part), internal);
        rootEntries.add(new PmtilesEntry(part.get(0).tileId(), leaves.size(), leaf.length, 0));
        leaves.writeBytes(leaf);
      }
      root = compress(PmtilesDirectory.encode(rootEntries), internal);
      if (root.length <= MAX_ROOT) {
        return new Directories(root, leaves.toByteArray(), rootEntries.size());
      }
      leafSize += leafSize / 5;
    }
  }

  static byte[] compress(byte[] bytes, Compression c) {
    return c == Compression.GZIP ? Gzip.compress(bytes, 6) : bytes;
  }
}
