package io.gridmap.styles.glyphs;

import java.util.List;

/**
 * Encodes glyphs as the PBF MapLibre fetches from {@code glyphs} URLs. The schema (fontnik's {@code
 * glyphs.proto}, proto2, package {@code llmr.glyphs}):
 *
 * <pre>
 * message glyph {
 *   required uint32 id = 1;
 *   optional bytes bitmap = 2;     // (width + 6) * (height + 6) bytes of SDF
 *   required uint32 width = 3;
 *   required uint32 height = 4;
 *   required sint32 left = 5;
 *   required sint32 top = 6;
 *   required uint32 advance = 7;
 * }
 * message fontstack {
 *   required string name = 1;
 *   required string range = 2;     // "0-255"
 *   repeated glyph glyphs = 3;
 * }
 * message glyphs {
 *   repeated fontstack stacks = 1;
 * }
 * </pre>
 *
 * A copy of the schema sits in tools/style-validate/glyphs.proto, where the Node test decodes our
 * output with it.
 */
public final class GlyphPbf {
  private GlyphPbf() {}

  /** One {@code glyphs} message with one fontstack; an empty list gives a valid empty range. */
  public static byte[] encode(String stackName, GlyphRange range, List<Glyph> glyphs) {
    int size = 16 + stackName.length() * 3;
    for (Glyph g : glyphs) {
      size += g.bitmap().length + 24;
    }
    ProtoWriter stack = new ProtoWriter(size);
    stack.string(1, stackName);
    stack.string(2, range.toString());
    for (Glyph g : glyphs) {
      if (!range.contains(g.id())) {
        throw new IllegalArgumentException("glyph " + g.id() + " is outside range " + range);
      }
      stack.message(3, glyph(g));
    }
    return new ProtoWriter(size + 8).message(1, stack).toByteArray();
  }

  private static ProtoWriter glyph(Glyph g) {
    ProtoWriter w = new ProtoWriter(g.bitmap().length + 24);
    w.uint32(1, g.id());
    if (g.bitmap().length > 0) {
      w.bytes(2, g.bitmap());
    }
    w.uint32(3, g.width());
    w.uint32(4, g.height());
    w.sint32(5, g.left());
    w.sint32(6, g.top());
    w.uint32(7, g.advance());
    return w;
  }
}
