package io.gridmap.styles.glyphs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A small protobuf reader for the glyphs schema, written for the tests from the wire-format
 * description and sharing no code with {@link ProtoWriter}. Strict: it fails on wire types the
 * schema does not use for a field, on truncated input and on missing required fields.
 */
final class GlyphPbfDecoder {
  record DecodedGlyph(
      int id, byte[] bitmap, int width, int height, int left, int top, int advance) {}

  record DecodedStack(String name, String range, List<DecodedGlyph> glyphs) {
    DecodedGlyph glyph(int codePoint) {
      return glyphs.stream()
          .filter(g -> g.id() == codePoint)
          .findFirst()
          .orElseThrow(
              () -> new AssertionError("no glyph " + codePoint + " in " + name + " " + range));
    }
  }

  private final byte[] buf;
  private int pos;
  private final int end;

  private GlyphPbfDecoder(byte[] buf, int pos, int end) {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
  }

  static List<DecodedStack> decode(byte[] pbf) {
    GlyphPbfDecoder r = new GlyphPbfDecoder(pbf, 0, pbf.length);
    List<DecodedStack> stacks = new ArrayList<>();
    while (r.pos < r.end) {
      long tag = r.varint();
      if (tag == ((1 << 3) | 2)) {
        stacks.add(r.sub().stack());
      } else {
        throw new AssertionError("unexpected tag " + tag + " in glyphs at byte " + r.pos);
      }
    }
    return stacks;
  }

  private DecodedStack stack() {
    String name = null;
    String range = null;
    List<DecodedGlyph> glyphs = new ArrayList<>();
    while (pos < end) {
      long tag = varint();
      int field = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      if (wire != 2) {
        throw new AssertionError(
            "fontstack field " + field + " has wire type " + wire + ", expected 2");
      }
      switch (field) {
        case 1 -> name = new String(lengthDelimited(), StandardCharsets.UTF_8);
        case 2 -> range = new String(lengthDelimited(), StandardCharsets.UTF_8);
        case 3 -> glyphs.add(sub().glyph());
        default -> lengthDelimited();
      }
    }
    if (name == null || range == null) {
      throw new AssertionError("fontstack without name or range");
    }
    return new DecodedStack(name, range, glyphs);
  }

  private DecodedGlyph glyph() {
    Integer id = null, width = null, height = null, left = null, top = null, advance = null;
    byte[] bitmap = new byte[0];
    while (pos < end) {
      long tag = varint();
      int field = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      if (field == 2) {
        if (wire != 2) throw new AssertionError("bitmap has wire type " + wire);
        bitmap = lengthDelimited();
        continue;
      }
      if (wire != 0) {
        throw new AssertionError(
            "glyph field " + field + " has wire type " + wire + ", expected 0");
      }
      long v = varint();
      switch (field) {
        case 1 -> id = (int) v;
        case 3 -> width = (int) v;
        case 4 -> height = (int) v;
        case 5 -> left = unzigzag(v);
        case 6 -> top = unzigzag(v);
        case 7 -> advance = (int) v;
        default -> {}
      }
    }
    if (id == null
        || width == null
        || height == null
        || left == null
        || top == null
        || advance == null) {
      throw new AssertionError("glyph with a missing required field (id " + id + ")");
    }
    return new DecodedGlyph(id, bitmap, width, height, left, top, advance);
  }

  private static int unzigzag(long v) {
    return (int) ((v >>> 1) ^ -(v & 1));
  }

  private GlyphPbfDecoder sub() {
    int len = (int) varint();
    if (pos + len > end) throw new AssertionError("message runs past its parent at byte " + pos);
    GlyphPbfDecoder d = new GlyphPbfDecoder(buf, pos, pos + len);
    pos += len;
    return d;
  }

  private byte[] lengthDelimited() {
    int len = (int) varint();
    if (pos + len > end) throw new AssertionError("field runs past its message at byte " + pos);
    byte[] b = java.util.Arrays.copyOfRange(buf, pos, pos + len);
    pos += len;
    return b;
  }

  private long varint() {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= end) throw new AssertionError("truncated varint at byte " + pos);
      int b = buf[pos++] & 0xff;
      result |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) return result;
    }
    throw new AssertionError("varint longer than 10 bytes");
  }
}
