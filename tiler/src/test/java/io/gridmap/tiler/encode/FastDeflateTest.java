package io.gridmap.tiler.encode;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

class FastDeflateTest {
  private final FastDeflate deflate = new FastDeflate();

  /** The JDK's inflater on a raw stream that must end exactly where the input does. */
  static byte[] inflate(byte[] raw, int length) throws Exception {
    Inflater inf = new Inflater(true);
    inf.setInput(raw, 0, length);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[64 * 1024];
    while (!inf.finished()) {
      int n = inf.inflate(buf);
      if (n == 0 && !inf.finished() && (inf.needsInput() || inf.needsDictionary())) {
        throw new AssertionError("the stream ended before its final block");
      }
      out.write(buf, 0, n);
    }
    assertThat(inf.getRemaining()).as("bytes after the final block").isZero();
    inf.end();
    return out.toByteArray();
  }

  private byte[] deflated(byte[] data, boolean last) {
    byte[] out = new byte[FastDeflate.bound(data.length)];
    int n = deflate.deflate(data, 0, data.length, last, out, 0);
    return Arrays.copyOf(out, n);
  }

  private void roundTrips(byte[] data) throws Exception {
    byte[] raw = deflated(data, true);
    assertThat(raw.length).isLessThanOrEqualTo(FastDeflate.bound(data.length));
    assertThat(inflate(raw, raw.length)).isEqualTo(data);
  }

  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }

  @Test
  void emptyAndTinyInputsInflateToThemselves() throws Exception {
    roundTrips(new byte[0]);
    roundTrips(new byte[] {42});
    roundTrips(new byte[] {1, 2, 3});
    roundTrips(new byte[] {7, 7, 7, 7, 7, 7, 7, 7, 7});
  }

  @Test
  void tileLikeDataInflatesToItselfAndIsSmallerThanHalf() throws Exception {
    for (int seed = 0; seed < 20; seed++) {
      byte[] data = GzipTest.layerLike(1 + seed * 7_919, seed);
      roundTrips(data);
    }
    byte[] big = GzipTest.layerLike(300_000, 99);
    byte[] raw = deflated(big, true);
    assertThat(inflate(raw, raw.length)).isEqualTo(big);
    Deflater z = new Deflater(1, true);
    z.setInput(big);
    z.finish();
    byte[] zout = new byte[400_000];
    int zn = z.deflate(zout);
    z.end();
    System.out.println("ours " + raw.length + " zlib level 1 " + zn);
    assertThat(raw.length).isLessThan(zn * 11 / 10);
  }

  @Test
  void incompressibleDataGoesIntoStoredBlocksAndGrowsByFiveBytesA64KiB() throws Exception {
    for (int n : new int[] {1, 100, 65_535, 65_536, 200_000}) {
      byte[] data = random(n, n);
      byte[] raw = deflated(data, true);
      assertThat(inflate(raw, raw.length)).isEqualTo(data);
      assertThat(raw.length).isLessThanOrEqualTo(n + 5 * ((n + 65_534) / 65_535) + 1);
    }
  }

  @Test
  void longRunsAndFarMatchesUseEveryLengthAndDistanceCode() throws Exception {
    // runs of every length up to past 258, and blocks repeated at distances up to the window
    SplittableRandom rnd = new SplittableRandom(5);
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    byte[] block = random(4_096, 6);
    for (int len = 1; len < 300; len++) {
      byte v = (byte) rnd.nextInt(256);
      for (int i = 0; i < len; i++) {
        b.write(v);
      }
      b.write(block, 0, rnd.nextInt(1, 40));
    }
    for (int d = 1; d <= 32_768; d *= 2) {
      byte[] noise = random(Math.max(0, d - 300), d);
      b.write(block, 0, 300);
      b.write(noise, 0, noise.length);
      b.write(block, 0, 300); // 300 bytes again, d bytes after the first copy's start
    }
    byte[] data = b.toByteArray();
    roundTrips(data);
    assertThat(deflated(data, true).length).isLessThan(data.length * 3 / 4);
  }

  @Test
  void repeatsBeyondTheWindowAndSixtyFourKiBBackAreNotMatched() throws Exception {
    // the table keeps 16 bits of a position: a block seen 65,536 bytes back names the position
    // itself, one seen 40,000 or 70,000 back a position 4,464 bytes back holding other bytes
    byte[] block = random(600, 11);
    for (int gap : new int[] {40_000, 65_536, 70_000, 131_072}) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      b.write(block);
      b.write(random(gap - block.length, gap));
      b.write(block);
      byte[] data = b.toByteArray();
      roundTrips(data);
      assertThat(deflated(data, true).length)
          .as("nothing to match within the window at a gap of %d", gap)
          .isGreaterThan(data.length);
    }
  }

  @Test
  void oneDeflaterReusedForManyInputsForgetsTheEarlierOnes() throws Exception {
    byte[] a = GzipTest.layerLike(50_000, 1);
    for (int i = 0; i < 30; i++) {
      byte[] data = i % 3 == 0 ? a : GzipTest.layerLike(1_000 + i * 997, i);
      roundTrips(data);
    }
  }

  @Test
  void aNonFinalBlockEndsOnAByteBoundaryAndJoinsOtherStreamsBlocks() throws Exception {
    byte[] a = GzipTest.layerLike(20_000, 11);
    byte[] b = GzipTest.layerLike(3_000, 12);
    byte[] segA = deflated(a, false);
    // zlib's full-flushed segment of b after ours, then a final empty block
    Deflater z = new Deflater(6, true);
    z.setInput(b);
    byte[] zb = new byte[10_000];
    int zn = z.deflate(zb, 0, zb.length, Deflater.FULL_FLUSH);
    z.end();
    ByteArrayOutputStream s = new ByteArrayOutputStream();
    s.write(segA, 0, segA.length);
    s.write(zb, 0, zn);
    s.write(new byte[] {0x03, 0x00}, 0, 2);
    byte[] stream = s.toByteArray();
    assertThat(inflate(stream, stream.length)).isEqualTo(GzipTest.concat(a, b));
    // the flush marker of an empty stored block ends the segment
    assertThat(Arrays.copyOfRange(segA, segA.length - 4, segA.length))
        .containsExactly(0, 0, 0xff, 0xff);
  }

  @Test
  void codeLengthsAreLimitedToFifteenBitsAndFillTheCodeSpace() {
    // Fibonacci frequencies make the deepest code as long as the symbols are many
    int n = 40;
    int[] a = new int[n];
    a[0] = 1;
    a[1] = 1;
    for (int i = 2; i < n; i++) {
      a[i] = a[i - 1] + a[i - 2];
    }
    FastDeflate.minimumRedundancy(a, n);
    assertThat(a[0]).isEqualTo(n - 1);
    int[] counts = new int[33];
    for (int len : a) {
      counts[Math.min(len, 32)]++;
    }
    FastDeflate.limit(counts, 15);
    long kraft = 0;
    int codes = 0;
    for (int len = 1; len <= 32; len++) {
      assertThat(len <= 15 || counts[len] == 0).isTrue();
      kraft += len <= 15 ? (long) counts[len] << (15 - len) : 0;
      codes += counts[len];
    }
    assertThat(codes).isEqualTo(n);
    assertThat(kraft).isEqualTo(1L << 15);
  }

  @Test
  void aRareFarLongMatchAmongSkewedLiteralsInflatesToItself() throws Exception {
    // literals in Fibonacci proportions (one byte value about as common as the rest together, and
    // so on) make the rare symbols' codes long; a match of up to 200 bytes (5 extra bits) about
    // 20,000 back (13 extra bits), seen once, is among the rarest: a token near the longest the
    // encoder writes, after each count of bits left over from the tokens before it
    SplittableRandom rnd = new SplittableRandom(11);
    int[] fib = new int[22];
    fib[0] = 1;
    fib[1] = 1;
    for (int i = 2; i < fib.length; i++) {
      fib[i] = fib[i - 1] + fib[i - 2];
    }
    byte[] once = random(200, 12);
    for (int shift = 0; shift < 8; shift++) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      for (int i = 0; i < shift; i++) {
        b.write(i);
      }
      b.write(once, 0, once.length);
      while (b.size() < 20_000 + shift) {
        int r = rnd.nextInt(fib[fib.length - 1]);
        int sym = 0;
        while (r >= fib[sym]) {
          r -= fib[sym];
          sym++;
        }
        b.write(0x80 + sym);
      }
      b.write(once, 0, once.length);
      roundTrips(b.toByteArray());
    }
  }

  @Test
  void everyDistanceFallsInItsCodesRange() {
    for (int d = 0; d < 32_768; d++) {
      int c = FastDeflate.distCode(d);
      assertThat(d)
          .isBetween(
              FastDeflate.DIST_BASE[c],
              FastDeflate.DIST_BASE[c] + (1 << FastDeflate.DIST_EXTRA[c]) - 1);
    }
  }
}
