package io.gridmap.server.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress line on stderr for long commands: done/total, percent, rate and time left. On a
 * terminal it redraws one line in place (carriage return) five times a second; into a file or a
 * pipe (CI logs, tests) it prints a plain line every few seconds, so a log is not flooded with
 * redraws.
 */
final class ProgressBar {
  private static final int WIDTH = 24;

  private final String label;
  private final String unit;
  private final PrintStream out;
  private final boolean terminal;
  private final long intervalNanos;
  private final long start = System.nanoTime();
  private long lastDrawn = Long.MIN_VALUE;

  /**
   * @param label the command, printed first ("export-tiles")
   * @param unit what is counted ("tiles")
   * @param terminal redraw in place (stderr is a console) or print lines
   */
  ProgressBar(String label, String unit, PrintStream out, boolean terminal) {
    this.label = label;
    this.unit = unit;
    this.out = out;
    this.terminal = terminal;
    this.intervalNanos = terminal ? 200_000_000L : 5_000_000_000L;
  }

  /** For stderr: in place when the JVM has a console. */
  static ProgressBar onStderr(String label, String unit) {
    return new ProgressBar(label, unit, System.err, System.console() != null);
  }

  void update(long done, long total) {
    long now = System.nanoTime();
    boolean last = done >= total;
    if (!last && now - lastDrawn < intervalNanos) {
      return;
    }
    lastDrawn = now;
    String line = line(done, total, (now - start) / 1e9);
    if (terminal) {
      out.print("\r" + line + (last ? "\n" : ""));
    } else {
      out.println(line);
    }
    out.flush();
  }

  /** One line: {@code export-tiles [#####......] 1,200/4,800 tiles 25% 950 tiles/s ETA 0:04}. */
  String line(long done, long total, double seconds) {
    double fraction = total == 0 ? 1 : (double) done / total;
    int filled = (int) Math.round(fraction * WIDTH);
    double rate = seconds > 0 ? done / seconds : 0;
    String eta = rate > 0 ? clock((total - done) / rate) : "?";
    return String.format(
        Locale.ROOT,
        "%s [%s%s] %,d/%,d %s %3d%% %,.0f %s/s %s %s",
        label,
        "#".repeat(filled),
        ".".repeat(WIDTH - filled),
        done,
        total,
        unit,
        (int) Math.floor(fraction * 100),
        rate,
        unit,
        done >= total ? "in" : "ETA",
        done >= total ? clock(seconds) : eta);
  }

  static String clock(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600
        ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
