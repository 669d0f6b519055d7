package io.gridmap.bench.live;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's stop-the-world GC pauses, read from its unified GC log ({@code
 * -Xlog:gc:file=F:utctime}), so that a phase's latency can be set beside the pauses that fell in
 * it: on one core a full collection of a city-sized old generation stops everything for seconds.
 */
final class GcPauses {
  /**
   * {@code [2026-12-03T19:00:00.123+0000] GC(12) Pause Young (Allocation Failure) ... 12.345ms}.
   */
  private static final Pattern PAUSE =
      Pattern.compile("^\\[([^\\]]+)\\].* Pause (\\S+) .*?(\\d+(?:\\.\\d+)?)ms$");

  private static final DateTimeFormatter UTCTIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ", Locale.ROOT);

  record Pause(long endMillis, String kind, double millis) {}

  private final List<Pause> pauses;

  private GcPauses(List<Pause> pauses) {
    this.pauses = pauses;
  }

  /** No log to read: every phase says so. */
  static GcPauses none() {
    return new GcPauses(null);
  }

  /** Reads the log; a missing or unreadable file gives no pauses (the report says so). */
  static GcPauses read(Path log) {
    List<Pause> out = new ArrayList<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(log);
    } catch (IOException e) {
      return new GcPauses(null);
    }
    for (String line : lines) {
      Matcher m = PAUSE.matcher(line);
      if (m.find()) {
        long at = OffsetDateTime.parse(m.group(1), UTCTIME).toInstant().toEpochMilli();
        out.add(new Pause(at, m.group(2), Double.parseDouble(m.group(3))));
      }
    }
    return new GcPauses(out);
  }

  /** How many pauses the log held. */
  int count() {
    return pauses == null ? 0 : pauses.size();
  }

  /**
   * The pauses that ended in [from, to) as one line: per kind, count, total and longest; "no GC
   * log" when there was none to read.
   */
  String between(long from, long to) {
    if (pauses == null) {
      return "no GC log";
    }
    Map<String, double[]> byKind = new TreeMap<>();
    for (Pause p : pauses) {
      if (p.endMillis() >= from && p.endMillis() < to) {
        double[] s = byKind.computeIfAbsent(p.kind(), k -> new double[3]);
        s[0]++;
        s[1] += p.millis();
        s[2] = Math.max(s[2], p.millis());
      }
    }
    if (byKind.isEmpty()) {
      return "none";
    }
    StringBuilder b = new StringBuilder();
    byKind.forEach(
        (kind, s) -> {
          if (b.length() > 0) {
            b.append("; ");
          }
          b.append(
              String.format(
                  Locale.ROOT,
                  "%s %,d (%,.0f ms in all, longest %,.0f ms)",
                  kind.toLowerCase(Locale.ROOT),
                  (long) s[0],
                  s[1],
                  s[2]));
        });
    return b.toString();
  }
}
