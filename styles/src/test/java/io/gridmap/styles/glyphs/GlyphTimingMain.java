package io.gridmap.styles.glyphs;

import io.gridmap.styles.Fonts;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * Measures how long the glyph service takes to draw a range, uncached. Not a test (latency belongs
 * in measurements, not assertions); run by hand after {@code mvn test-compile}:
 *
 * <pre>
 * cd styles && java -cp target/classes:target/test-classes:$(ls ~/.m2/repository/com/github/ben-manes/caffeine/caffeine/3.3.1/caffeine-3.3.1.jar) \
 *     io.gridmap.styles.glyphs.GlyphTimingMain
 * </pre>
 *
 * For each range it draws once cold (first use of the font and the JIT), then {@code ROUNDS} times
 * with a fresh service (so nothing is cached) and prints wall-clock min, median and max and the
 * median CPU time of the drawing thread (steadier than wall time on a shared machine).
 */
public final class GlyphTimingMain {
  private static final int ROUNDS = 7;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  public static void main(String[] args) {
    long t0 = System.nanoTime();
    FontLibrary fonts = FontLibrary.defaults();
    System.out.printf(
        "font library load: %.0f ms (%d shipped, %d files)%n",
        ms(System.nanoTime() - t0), fonts.resources().size(), fonts.files().size());
    int[] ranges = {0, 19968, 30208, 65280};
    String[] names = {
      "0-255 (digits, Latin)",
      "19968-20223 (CJK U+4E00)",
      "30208-30463 (CJK U+7600)",
      "65280-65535 (full-width forms)"
    };
    for (String stack : new String[] {Fonts.REGULAR, Fonts.BOLD}) {
      for (int i = 0; i < ranges.length; i++) {
        int start = ranges[i];
        long c = System.nanoTime();
        byte[] first = new GlyphService(fonts, 1 << 26).range(stack, start, start + 255);
        double cold = ms(System.nanoTime() - c);
        double[] t = new double[ROUNDS];
        double[] cpu = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
          GlyphService fresh = new GlyphService(fonts, 1 << 26);
          long s = System.nanoTime();
          long sc = THREADS.getCurrentThreadCpuTime();
          fresh.range(stack, start, start + 255);
          cpu[r] = ms(THREADS.getCurrentThreadCpuTime() - sc);
          t[r] = ms(System.nanoTime() - s);
        }
        Arrays.sort(t);
        Arrays.sort(cpu);
        System.out.printf(
            "%-26s %-32s cold %6.1f ms | warm wall min %6.1f median %6.1f max %6.1f ms | cpu median %6.1f ms | %7d bytes%n",
            stack,
            names[i],
            cold,
            t[0],
            t[ROUNDS / 2],
            t[ROUNDS - 1],
            cpu[ROUNDS / 2],
            first.length);
      }
    }
    long sweep = System.nanoTime();
    GlyphService all = new GlyphService(fonts, 1L << 30);
    long bytes = 0;
    for (int start = 0; start <= 65280; start += 256) {
      bytes += all.range(Fonts.REGULAR, start, start + 255).length;
    }
    System.out.printf(
        "all 256 ranges of %s: %.1f s, %.1f MB uncompressed%n",
        Fonts.REGULAR, ms(System.nanoTime() - sweep) / 1000, bytes / 1e6);
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
