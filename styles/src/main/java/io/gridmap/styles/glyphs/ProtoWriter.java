package io.gridmap.styles.glyphs;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The few protocol-buffer encodings the glyph format needs: varints, zigzag varints and
 * length-delimited fields.
 *
 * <p>Hand-written on purpose, though protobuf-java is on Maven Central like every other dependency:
 * the glyph schema has three messages and seven scalar fields, and forty lines of encoder cost less
 * than a runtime dependency plus a protoc code-generation step in the build. The encoding is the
 * public wire format (protobuf.dev/programming-guides/encoding); tests decode our output with an
 * independent decoder and with the {@code pbf} npm package.
 */
final class ProtoWriter {
  private static final int VARINT = 0;
  private static final int LENGTH_DELIMITED = 2;

  private final ByteArrayOutputStream out;

  ProtoWriter(int expectedSize) {
    out = new ByteArrayOutputStream(expectedSize);
  }

  ProtoWriter uint32(int field, long value) {
    if (value < 0 || value > 0xFFFFFFFFL) {
      throw new IllegalArgumentException("field " + field + ": uint32 out of range: " + value);
    }
    tag(field, VARINT);
    varint(value);
    return this;
  }

  /** sint32: zigzag, so small negative numbers stay one byte. */
  ProtoWriter sint32(int field, int value) {
    tag(field, VARINT);
    varint(((long) (value << 1) ^ (value >> 31)) & 0xFFFFFFFFL);
    return this;
  }

  ProtoWriter string(int field, String value) {
    return bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  ProtoWriter bytes(int field, byte[] value) {
    tag(field, LENGTH_DELIMITED);
    varint(value.length);
    out.writeBytes(value);
    return this;
  }

  /** An embedded message, already encoded. */
  ProtoWriter message(int field, ProtoWriter message) {
    return bytes(field, message.toByteArray());
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }

  private void tag(int field, int wireType) {
    varint(((long) field << 3) | wireType);
  }

  private void varint(long value) {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }
}
