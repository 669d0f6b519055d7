package io.gridmap.tiler.encode;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

class GzipTest {
  /** Bytes that compress as MVT does: repeated keys and small varints among noise. */
  static byte[] layerLike(int n, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (rnd.nextInt(4) == 0 ? rnd.nextInt(256) : "grid_code=500103".charAt(i % 16));
    }
    return b;
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static byte[] joined(byte[]... raws) {
    return joined(new int[] {6}, raws);
  }

  /** The raws' segments, each at the next of {@code levels} in turn, joined. */
  static byte[] joined(int[] levels, byte[]... raws) {
    byte[][] segments = new byte[raws.length][];
    CRC32 crc = new CRC32();
    int total = 0;
    for (int i = 0; i < raws.length; i++) {
      segments[i] = Gzip.segment(raws[i], levels[i % levels.length]);
      crc.update(raws[i]);
      total += raws[i].length;
    }
    return Gzip.join(segments, crc.getValue(), total);
  }

  @Test
  void segmentsJoinedInOrderGunzipToTheirDataConcatenated() {
    byte[] a = layerLike(70_000, 1);
    byte[] b = layerLike(300, 2);
    byte[] c = layerLike(250_000, 3); // larger than the first output guess: the flush loops
    byte[] gz = joined(a, new byte[0], b, c);
    assertThat(Gzip.isGzipped(gz)).isTrue();
    assertThat(Gzip.decompress(gz)).isEqualTo(concat(a, b, c));
    assertThat(gz.length).isLessThan(a.length + b.length + c.length);
  }

  @Test
  void aJoinedStreamIsOneValidDeflateStreamWithNothingAfterIt() throws Exception {
    byte[] a = layerLike(5_000, 4);
    byte[] b = layerLike(9_000, 5);
    byte[] gz = joined(a, b);
    // the raw deflate stream between the 10-byte header and the 8-byte trailer must end exactly
    // at its final block: GZIPInputStream alone would accept some trailing garbage
    Inflater inf = new Inflater(true);
    inf.setInput(gz, 10, gz.length - 18);
    byte[] out = new byte[a.length + b.length + 10];
    int n = inf.inflate(out);
    assertThat(inf.finished()).isTrue();
    assertThat(inf.getRemaining()).isZero();
    assertThat(java.util.Arrays.copyOf(out, n)).isEqualTo(concat(a, b));
  }

  @Test
  void aSegmentDoesNotDependOnWhatCameBeforeIt() {
    byte[] stat = layerLike(20_000, 6);
    byte[] live1 = layerLike(3_000, 7);
    byte[] live2 = layerLike(3_100, 8);
    byte[] cachedStatic = Gzip.segment(stat, 6);
    // the static layer's segment, deflated once, serves beside either version of the live layer
    for (byte[] live : new byte[][] {live1, live2}) {
      CRC32 crc = new CRC32();
      crc.update(stat);
      crc.update(live);
      byte[] gz =
          Gzip.join(
              new byte[][] {cachedStatic, Gzip.segment(live, 6)},
              crc.getValue(),
              stat.length + live.length);
      assertThat(Gzip.decompress(gz)).isEqualTo(concat(stat, live));
    }
  }

  @Test
  void theEmptyDataGivesAnEmptySegment() {
    assertThat(Gzip.segment(new byte[0], 6)).isEmpty();
    assertThat(Gzip.segment(new byte[0], Gzip.FAST)).isEmpty();
  }

  @Test
  void fastSegmentsJoinWithZlibsAndFastGzipReadsAsAnyOther() {
    byte[] a = layerLike(70_000, 21);
    byte[] b = layerLike(500, 22);
    byte[] c = layerLike(40_000, 23);
    byte[] mixed = joined(new int[] {Gzip.FAST, 4}, a, b, c, new byte[0]);
    assertThat(Gzip.decompress(mixed)).isEqualTo(concat(a, b, c));
    byte[] gz = Gzip.compress(c, Gzip.FAST);
    assertThat(Gzip.isGzipped(gz)).isTrue();
    assertThat(Gzip.decompress(gz)).isEqualTo(c);
    assertThat(Gzip.decompress(Gzip.compress(new byte[0], Gzip.FAST))).isEmpty();
  }
}
