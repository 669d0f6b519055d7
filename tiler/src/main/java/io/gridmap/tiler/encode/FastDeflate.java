package io.gridmap.tiler.encode;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Raw deflate (RFC 1951) in one greedy pass, for tiles gzipped as they are drawn.
 *
 * <p>Hand-written because the JDK's zlib was half of an uncached tile's time: on the full city's
 * z12 sample it deflates a 29 KB tile in 450 µs at level 4 and 333 µs at level 1 (about 65-90 MB/s
 * on this data), as long as drawing the tile. Faster deflate encoders (libdeflate, zlib-ng) are not
 * served by the package registries here, as a Java library or a drop-in zlib. This one does what
 * libdeflate's and zlib-ng's fastest levels do, and no more:
 *
 * <ul>
 *   <li>matches of at least 4 bytes found through one hash table of the last position each 4-byte
 *       prefix was seen at (no chains, no lazy matching), extended 8 bytes at a time; the table is
 *       not cleared between inputs: positions are stored with a stamp that grows, so an entry of an
 *       earlier input reads as absent;
 *   <li>one block per input with Huffman codes made for it (the code lengths by Moffat and
 *       Katajainen's in-place algorithm, limited to 15 bits as miniz does), or stored blocks when
 *       that would be smaller (incompressible data grows by 5 bytes per 64 KiB, not more).
 * </ul>
 *
 * <p>Tiles come out a few percent larger than at zlib's level 4 (docs/benchmarks.md has the
 * figures). Any inflater reads the output; the tests check it against the JDK's.
 *
 * <p>Not thread-safe: one per thread ({@link Gzip} keeps them).
 */
final class FastDeflate {
  private static final int HASH_BITS = 14;
  private static final int WINDOW = 32 * 1024;
  private static final int MIN_MATCH = 4;
  private static final int MAX_MATCH = 258;
  private static final int MATCH = 0x8000_0000;
  private static final int END_OF_BLOCK = 256;
  private static final int STORED_MAX = 65_535;

  /** Tokens kept between inputs: a huge tile's array (4 bytes a byte of it) is let go after it. */
  private static final int TOKENS_KEPT = 1 << 18;

  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** Length codes 257-285 as 0-28: base length less 3, and extra bits. */
  private static final int[] LEN_BASE = {
    0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20, 24, 28, 32, 40, 48, 56, 64, 80, 96, 112, 128,
    160, 192, 224, 255
  };

  private static final int[] LEN_EXTRA = {
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0
  };

  /** The length code (0-28) of each match length less 3. */
  private static final byte[] LEN_CODE = new byte[256];

  /** Distance codes 0-29: base distance less 1, and extra bits. */
  static final int[] DIST_BASE = {
    0, 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048,
    3072, 4096, 6144, 8192, 12288, 16384, 24576
  };

  static final int[] DIST_EXTRA = {
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13
  };

  /** The order the code length code's lengths are sent in (RFC 1951, 3.2.7). */
  private static final int[] CL_ORDER = {
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15
  };

  static {
    for (int c = 0; c < LEN_BASE.length; c++) {
      for (int l = LEN_BASE[c]; l < LEN_BASE[c] + (1 << LEN_EXTRA[c]) && l < 256; l++) {
        LEN_CODE[l] = (byte) c; // 258 (255 here) ends as code 28, after code 27's range
      }
    }
  }

  private final int[] head = new int[1 << HASH_BITS];

  /** Added to a position when stored in {@link #head}: entries below it are earlier inputs'. */
  private int stamp = 1;

  /**
   * The parse's output: a literal as its byte (0-255), a match as {@link #MATCH}, its distance code
   * in bits 24-28, its length less 3 in bits 16-23 and its distance less 1 in bits 0-15.
   */
  private int[] tokens = new int[4096];

  private final int[] litFreq = new int[286];
  private final int[] distFreq = new int[30];
  private final int[] litLen = new int[286];
  private final int[] litCode = new int[286];
  private final int[] distLen = new int[30];
  private final int[] distCode = new int[30];
  private final int[] clFreq = new int[19];
  private final int[] clLen = new int[19];
  private final int[] clCode = new int[19];
  private final int[] clTokens = new int[286 + 30];
  private final int[] lengths = new int[286 + 30];
  private final int[] literalBits = new int[256];
  private final int[] lengthBits = new int[256];
  private final long[] distanceBits = new long[30];

  // Huffman scratch
  private final long[] sorted = new long[286];
  private final int[] depth = new int[286];
  private final int[] counts = new int[33];
  private final int[] nextCode = new int[16];

  // the bit writer
  private byte[] out;
  private int pos;
  private long bitBuf;
  private int bitCount;

  /** Bytes {@link #deflate} may write for {@code n} bytes of input, whichever block it makes. */
  static int bound(int n) {
    return n + 5 * (n / STORED_MAX + 1) + 5 + 16;
  }

  /**
   * Deflates {@code in[off, off + len)} into {@code dst} from {@code dstOff}, which must have room
   * for {@link #bound}{@code (len)} bytes: the final block of a stream when {@code last}, else a
   * non-final block followed by an empty stored block (zlib's full flush), so that the output ends
   * on a byte boundary and another stream's blocks may follow it.
   *
   * @return the bytes written
   */
  int deflate(byte[] in, int off, int len, boolean last, byte[] dst, int dstOff) {
    out = dst;
    pos = dstOff;
    bitBuf = 0;
    bitCount = 0;
    if (len == 0) {
      if (last) {
        writeBits(1, 1); // BFINAL
        writeBits(1, 2); // fixed codes
        writeBits(0, 7); // end of block: seven zero bits
      }
    } else {
      int n = parse(in, off, len);
      block(in, off, len, n, last);
    }
    if (!last) {
      writeBits(0, 3); // an empty stored block: not final, type 00
      alignToByte();
      out[pos++] = 0;
      out[pos++] = 0;
      out[pos++] = (byte) 0xff;
      out[pos++] = (byte) 0xff;
    }
    alignToByte();
    out = null;
    if (tokens.length > TOKENS_KEPT) {
      tokens = new int[4096];
    }
    return pos - dstOff;
  }

  /** The greedy LZ77 pass: fills {@link #tokens} and the frequencies; returns the token count. */
  private int parse(byte[] in, int off, int len) {
    if (tokens.length < len) {
      tokens = new int[Math.max(len, tokens.length * 2)];
    }
    if (stamp > Integer.MAX_VALUE - len - WINDOW - 2) {
      Arrays.fill(head, 0);
      stamp = 1;
    }
    int s = stamp;
    stamp += len + 1; // every position of this input reads as absent to the next one
    Arrays.fill(litFreq, 0);
    Arrays.fill(distFreq, 0);
    int[] tk = tokens;
    int[] hd = head;
    int[] lf = litFreq;
    int[] df = distFreq;
    int end = off + len;
    int i = off;
    int t = 0;
    while (i <= end - MIN_MATCH) {
      int v = (int) INT.get(in, i);
      int h = (v * 0x9E37_79B1) >>> (32 - HASH_BITS);
      int candidate = hd[h] - s;
      int p = i - off;
      hd[h] = p + s;
      if (candidate >= 0 && p - candidate <= WINDOW && (int) INT.get(in, off + candidate) == v) {
        int from = off + candidate;
        int max = Math.min(MAX_MATCH, end - i);
        int m = MIN_MATCH;
        while (m + 8 <= max) {
          long x = (long) LONG.get(in, i + m) ^ (long) LONG.get(in, from + m);
          if (x != 0) {
            m += Long.numberOfTrailingZeros(x) >>> 3;
            max = m; // stops the byte loop below
            break;
          }
          m += 8;
        }
        while (m < max && in[i + m] == in[from + m]) {
          m++;
        }
        int dist = p - candidate - 1;
        int dc = distCode(dist);
        tk[t++] = MATCH | dc << 24 | (m - 3) << 16 | dist;
        lf[257 + LEN_CODE[m - 3]]++;
        df[dc]++;
        int q = i + m - 2; // a position near the match's end, for the next matches
        if (q <= end - MIN_MATCH) {
          hd[((int) INT.get(in, q) * 0x9E37_79B1) >>> (32 - HASH_BITS)] = q - off + s;
        }
        i += m;
      } else {
        int b = in[i] & 0xff;
        tk[t++] = b;
        lf[b]++;
        i++;
      }
    }
    while (i < end) {
      int b = in[i++] & 0xff;
      tk[t++] = b;
      lf[b]++;
    }
    lf[END_OF_BLOCK] = 1;
    return t;
  }

  /** The distance code (0-29) of a distance less 1. */
  static int distCode(int d) {
    if (d < 4) {
      return d;
    }
    int l = 31 - Integer.numberOfLeadingZeros(d);
    return 2 * l + ((d >>> (l - 1)) & 1);
  }

  /** Writes the tokens as one block with their own codes, or as stored blocks if smaller. */
  private void block(byte[] in, int off, int len, int n, boolean last) {
    huffman(litFreq, 286, 15, litLen);
    huffman(distFreq, 30, 15, distLen);
    int nlit = 286;
    while (nlit > 257 && litLen[nlit - 1] == 0) {
      nlit--;
    }
    int ndist = 30;
    while (ndist > 1 && distLen[ndist - 1] == 0) {
      ndist--;
    }
    int ncl = codeLengthTokens(nlit, ndist);
    huffman(clFreq, 19, 7, clLen);
    int nclOrder = 19;
    while (nclOrder > 4 && clLen[CL_ORDER[nclOrder - 1]] == 0) {
      nclOrder--;
    }
    long bits = 3 + 5 + 5 + 4 + 3L * nclOrder;
    for (int i = 0; i < ncl; i++) {
      int sym = clTokens[i] & 0xff;
      bits += clLen[sym] + (sym == 16 ? 2 : sym == 17 ? 3 : sym == 18 ? 7 : 0);
    }
    for (int sym = 0; sym < 286; sym++) {
      bits += (long) litFreq[sym] * litLen[sym];
      if (sym > END_OF_BLOCK) {
        bits += (long) litFreq[sym] * LEN_EXTRA[sym - 257];
      }
    }
    for (int c = 0; c < 30; c++) {
      bits += (long) distFreq[c] * (distLen[c] + DIST_EXTRA[c]);
    }
    long storedBits = 8L * (len + 5L * ((len + STORED_MAX - 1) / STORED_MAX)) + 7;
    if (bits > storedBits) {
      stored(in, off, len, last);
      return;
    }
    canonical(litLen, nlit, litCode);
    canonical(distLen, ndist, distCode);
    canonical(clLen, 19, clCode);
    writeBits(last ? 1 : 0, 1);
    writeBits(2, 2); // dynamic codes
    writeBits(nlit - 257, 5);
    writeBits(ndist - 1, 5);
    writeBits(nclOrder - 4, 4);
    for (int i = 0; i < nclOrder; i++) {
      writeBits(clLen[CL_ORDER[i]], 3);
    }
    for (int i = 0; i < ncl; i++) {
      int sym = clTokens[i] & 0xff;
      writeBits(clCode[sym], clLen[sym]);
      if (sym >= 16) {
        writeBits(clTokens[i] >>> 8, sym == 16 ? 2 : sym == 17 ? 3 : 7);
      }
    }
    // each literal, match length and distance code as one value and its bit count: one write each
    int[] lit = literalBits;
    for (int sym = 0; sym < 256; sym++) {
      lit[sym] = litCode[sym] | litLen[sym] << 24;
    }
    int[] lens = lengthBits;
    for (int l = 0; l < 256; l++) {
      int lc = LEN_CODE[l];
      int codeLen = litLen[257 + lc];
      lens[l] =
          (litCode[257 + lc] | (l - LEN_BASE[lc]) << codeLen) | (codeLen + LEN_EXTRA[lc]) << 24;
    }
    // and each distance code's: its code, and above bit 32 its bit count with the extra bits
    long[] dists = distanceBits;
    for (int dc = 0; dc < ndist; dc++) {
      dists[dc] =
          distCode[dc] | (long) distLen[dc] << 32 | (long) (distLen[dc] + DIST_EXTRA[dc]) << 40;
    }
    // The tokens' bits go out with no branch on the buffer's fill (it was a tenth of a tile's
    // deflate, mispredicted every few tokens): each token ORs its bits in, all eight bytes of the
    // buffer are stored, and the position moves on by its whole bytes. A token adds at most 48
    // bits (a length's 15 + 5, a distance's 15 + 13) to at most 7 left over, so nothing is lost;
    // the store may reach 8 bytes past the last whole byte, which bound() leaves room for.
    int[] tk = tokens;
    byte[] o = out;
    int at = pos;
    long buf = bitBuf;
    int count = bitCount;
    while (count >= 8) { // the header's bits, down to fewer than a byte
      o[at++] = (byte) buf;
      buf >>>= 8;
      count -= 8;
    }
    for (int i = 0; i < n; i++) {
      int token = tk[i];
      if (token >= 0) {
        int v = lit[token];
        buf |= (long) (v & 0xff_ffff) << count;
        count += v >>> 24;
      } else {
        int v = lens[(token >>> 16) & 0xff];
        int dc = (token >>> 24) & 0x1f;
        long dv = dists[dc];
        long distance =
            (dv & 0xffff) | (long) ((token & 0xffff) - DIST_BASE[dc]) << (int) (dv >>> 32 & 0xff);
        buf |= ((v & 0xff_ffff) | distance << (v >>> 24)) << count;
        count += (v >>> 24) + (int) (dv >>> 40);
      }
      LONG.set(o, at, buf);
      int bytes = count >>> 3;
      at += bytes;
      buf >>>= bytes << 3;
      count &= 7;
    }
    pos = at;
    bitBuf = buf;
    bitCount = count;
    writeBits(litCode[END_OF_BLOCK], litLen[END_OF_BLOCK]);
  }

  /**
   * The literal/length and distance code lengths run-length coded with the code length alphabet
   * (16: repeat the last 3-6 times, 17: 3-10 zeros, 18: 11-138 zeros) into {@link #clTokens}
   * (symbol, extra bits' value above bit 8), counted in {@link #clFreq}; returns their number.
   */
  private int codeLengthTokens(int nlit, int ndist) {
    int total = nlit + ndist;
    System.arraycopy(litLen, 0, lengths, 0, nlit);
    System.arraycopy(distLen, 0, lengths, nlit, ndist);
    Arrays.fill(clFreq, 0);
    int n = 0;
    int i = 0;
    while (i < total) {
      int cur = lengths[i];
      int run = 1;
      while (i + run < total && lengths[i + run] == cur) {
        run++;
      }
      i += run;
      if (cur == 0) {
        while (run >= 11) {
          int k = Math.min(run, 138);
          n = clToken(n, 18, k - 11);
          run -= k;
        }
        if (run >= 3) {
          n = clToken(n, 17, run - 3);
          run = 0;
        }
      } else {
        n = clToken(n, cur, 0);
        run--;
        while (run >= 3) {
          int k = Math.min(run, 6);
          n = clToken(n, 16, k - 3);
          run -= k;
        }
      }
      while (run-- > 0) {
        n = clToken(n, cur, 0);
      }
    }
    return n;
  }

  private int clToken(int n, int sym, int extra) {
    clTokens[n] = sym | extra << 8;
    clFreq[sym]++;
    return n + 1;
  }

  /**
   * Code lengths of at most {@code maxBits} for the symbols' frequencies, 0 for unused symbols; at
   * least two symbols get a code (an unused one if needed), so that every code is complete.
   */
  private void huffman(int[] freq, int n, int maxBits, int[] lens) {
    Arrays.fill(lens, 0, n, 0);
    int used = 0;
    for (int s = 0; s < n; s++) {
      if (freq[s] > 0) {
        sorted[used++] = (long) freq[s] << 16 | s;
      }
    }
    for (int s = 0; used < 2; s++) {
      if (freq[s] == 0) {
        sorted[used++] = s; // frequency 0: sorts first, gets the longest code
      }
    }
    Arrays.sort(sorted, 0, used);
    for (int i = 0; i < used; i++) {
      depth[i] = (int) (sorted[i] >>> 16);
    }
    minimumRedundancy(depth, used);
    Arrays.fill(counts, 0);
    for (int i = 0; i < used; i++) {
      counts[Math.min(depth[i], 32)]++;
    }
    limit(counts, maxBits);
    // the least frequent symbols take the longest codes
    int i = 0;
    for (int bits = maxBits; bits > 0; bits--) {
      for (int k = counts[bits]; k > 0; k--) {
        lens[(int) (sorted[i++] & 0xffff)] = bits;
      }
    }
  }

  /**
   * Moffat and Katajainen's in-place minimum-redundancy code ("In-Place Calculation of
   * Minimum-Redundancy Codes", 1995): {@code a} holds {@code n >= 2} frequencies in increasing
   * order and comes back holding each one's code length (the largest first).
   */
  static void minimumRedundancy(int[] a, int n) {
    // phase 1: internal nodes' weights, then parent pointers
    a[0] += a[1];
    int root = 0;
    int leaf = 2;
    for (int next = 1; next < n - 1; next++) {
      if (leaf >= n || a[root] < a[leaf]) {
        a[next] = a[root];
        a[root++] = next;
      } else {
        a[next] = a[leaf++];
      }
      if (leaf >= n || (root < next && a[root] < a[leaf])) {
        a[next] += a[root];
        a[root++] = next;
      } else {
        a[next] += a[leaf++];
      }
    }
    // phase 2: internal nodes' depths
    a[n - 2] = 0;
    for (int next = n - 3; next >= 0; next--) {
      a[next] = a[a[next]] + 1;
    }
    // phase 3: leaves' depths
    int available = 1;
    int usedNodes = 0;
    int d = 0;
    root = n - 2;
    int next = n - 1;
    while (available > 0) {
      while (root >= 0 && a[root] == d) {
        usedNodes++;
        root--;
      }
      while (available > usedNodes) {
        a[next--] = d;
        available--;
      }
      available = 2 * usedNodes;
      d++;
      usedNodes = 0;
    }
  }

  /**
   * Makes the code lengths counted in {@code counts} (how many codes of each length, index 32
   * holding every longer one) fit {@code maxBits}: the longer codes are cut to {@code maxBits},
   * then, while the lengths over-fill the code space, a code of the longest length is dropped and a
   * shorter one made one bit longer to make room (the method of miniz).
   */
  static void limit(int[] counts, int maxBits) {
    for (int i = maxBits + 1; i < counts.length; i++) {
      counts[maxBits] += counts[i];
      counts[i] = 0;
    }
    long total = 0;
    for (int i = maxBits; i > 0; i--) {
      total += (long) counts[i] << (maxBits - i);
    }
    while (total > 1L << maxBits) {
      counts[maxBits]--;
      for (int i = maxBits - 1; i > 0; i--) {
        if (counts[i] != 0) {
          counts[i]--;
          counts[i + 1] += 2;
          break;
        }
      }
      total--;
    }
  }

  /** Canonical codes for the lengths, bit-reversed: deflate sends a code's first bit first. */
  private void canonical(int[] lens, int n, int[] codes) {
    Arrays.fill(counts, 0);
    for (int s = 0; s < n; s++) {
      counts[lens[s]]++;
    }
    counts[0] = 0;
    int code = 0;
    for (int bits = 1; bits < 16; bits++) {
      code = (code + counts[bits - 1]) << 1;
      nextCode[bits] = code;
    }
    for (int s = 0; s < n; s++) {
      int l = lens[s];
      if (l > 0) {
        codes[s] = Integer.reverse(nextCode[l]++) >>> (32 - l);
      }
    }
  }

  private void stored(byte[] in, int off, int len, boolean last) {
    int done = 0;
    do {
      int k = Math.min(STORED_MAX, len - done);
      boolean fin = last && done + k == len;
      writeBits(fin ? 1 : 0, 1);
      writeBits(0, 2);
      alignToByte();
      out[pos++] = (byte) k;
      out[pos++] = (byte) (k >>> 8);
      out[pos++] = (byte) ~k;
      out[pos++] = (byte) (~k >>> 8);
      System.arraycopy(in, off + done, out, pos, k);
      pos += k;
      done += k;
    } while (done < len);
  }

  private void writeBits(int value, int n) {
    bitBuf |= (long) value << bitCount;
    bitCount += n;
    if (bitCount >= 32) {
      INT.set(out, pos, (int) bitBuf);
      pos += 4;
      bitBuf >>>= 32;
      bitCount -= 32;
    }
  }

  private void alignToByte() {
    while (bitCount > 0) {
      out[pos++] = (byte) bitBuf;
      bitBuf >>>= 8;
      bitCount -= 8;
    }
    bitBuf = 0;
    bitCount = 0;
  }
}
