package io.gridmap.tiler;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class EncodedTileTest {
  private static byte[] bytesOf(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  @Test
  void servedAgainFromADirectCopyMadeOnce() {
    byte[] gz = {31, -117, 8, 0, 1, 2, 3, 4, 5};
    EncodedTile t = new EncodedTile(gz, "\"e\"", false, false, 5);
    ByteBuffer first = t.forSocket();
    assertThat(first.isDirect()).as("asked once: the array itself, no copy").isFalse();
    assertThat(first.array()).isSameAs(gz);
    assertThat(t.hasDirectCopy()).isFalse();

    ByteBuffer second = t.forSocket();
    assertThat(second.isDirect()).isTrue();
    assertThat(second.isReadOnly()).isTrue();
    assertThat(t.hasDirectCopy()).isTrue();
    ByteBuffer third = t.forSocket();
    assertThat(bytesOf(second)).containsExactly(gz);
    assertThat(bytesOf(third))
        .as("each caller its own view: reading one moves no other's position")
        .containsExactly(gz);
    assertThat(t.forSocket().remaining()).isEqualTo(gz.length);
  }

  @Test
  void equalWhenBytesAndTagsAreEqual() {
    EncodedTile a = new EncodedTile(new byte[] {1, 2}, "\"x\"", false, true, 2);
    EncodedTile b = new EncodedTile(new byte[] {1, 2}, "\"x\"", false, true, 2);
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(new EncodedTile(new byte[] {1, 3}, "\"x\"", false, true, 2));
  }
}
