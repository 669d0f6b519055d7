package io.gridmap.tiler.pack;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The PMTiles v3 directory encoding (spec/v3/spec.md, 4.2), before internal compression: the entry
 * count, then every entry's TileID as the delta from the previous one, every run length, every
 * length, every offset (0 when the bytes follow the previous entry's, else offset + 1), each a
 * protobuf-style varint. Grouping the columns and delta-coding them makes a directory of
 * neighbouring tiles mostly 1-byte values that gzip shrinks again: 60k entries of the city take
 * about 2 bytes each.
 */
public final class PmtilesDirectory {
  private PmtilesDirectory() {}

  /** The encoded directory; entries in ascending TileID order. */
  public static byte[] encode(List<PmtilesEntry> entries) {
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("a directory holds at least one entry");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(entries.size() * 4 + 8);
    writeVarint(out, entries.size());
    long last = 0;
    for (PmtilesEntry e : entries) {
      if (e.tileId() < last) {
        throw new IllegalArgumentException(
            "directory entries must ascend by TileID: " + e.tileId() + " after " + last);
      }
      writeVarint(out, e.tileId() - last);
      last = e.tileId();
    }
    for (PmtilesEntry e : entries) {
      writeVarint(out, e.runLength());
    }
    for (PmtilesEntry e : entries) {
      writeVarint(out, e.length());
    }
    PmtilesEntry previous = null;
    for (PmtilesEntry e : entries) {
      boolean contiguous = previous != null && e.offset() == previous.offset() + previous.length();
      writeVarint(out, contiguous ? 0 : e.offset() + 1);
      previous = e;
    }
    return out.toByteArray();
  }

  /** Decodes what {@link #encode(List)} wrote (tests, and checking a written archive). */
  public static List<PmtilesEntry> decode(byte[] bytes) {
    int[] pos = {0};
    long n = readVarint(bytes, pos);
    if (n <= 0 || n > bytes.length) {
      throw new IllegalArgumentException("a directory of " + n + " entries in " + bytes.length);
    }
    int count = (int) n;
    long[] ids = new long[count];
    long last = 0;
    for (int i = 0; i < count; i++) {
      last += readVarint(bytes, pos);
      ids[i] = last;
    }
    long[] runs = new long[count];
    for (int i = 0; i < count; i++) {
      runs[i] = readVarint(bytes, pos);
    }
    long[] lengths = new long[count];
    for (int i = 0; i < count; i++) {
      lengths[i] = readVarint(bytes, pos);
    }
    List<PmtilesEntry> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long v = readVarint(bytes, pos);
      long offset;
      if (v == 0 && i > 0) {
        PmtilesEntry p = out.get(i - 1);
        offset = p.offset() + p.length();
      } else {
        offset = v - 1;
      }
      out.add(new PmtilesEntry(ids[i], offset, (int) lengths[i], (int) runs[i]));
    }
    return out;
  }

  static void writeVarint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  static long readVarint(byte[] b, int[] pos) {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos[0] >= b.length) {
        throw new IllegalArgumentException("a varint runs past the directory's end");
      }
      int x = b[pos[0]++] & 0xFF;
      v |= (long) (x & 0x7F) << shift;
      if ((x & 0x80) == 0) {
        return v;
      }
    }
    throw new IllegalArgumentException("a varint longer than 10 bytes");
  }
}
