package io.gridmap.bench.cluster;

import io.gridmap.bench.live.Samples;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The cluster benchmark's raw output on standard output, as markdown: what was checked before the
 * timing, the three measurements as tables, and the check at the end. Latencies are kept in
 * microseconds and shown in milliseconds.
 */
final class ClusterReport {
  private final ClusterOptions options;
  private final ForcePool forces;
  private final Node writer;
  private final List<String> before = new ArrayList<>();
  private final List<WriteRun.Result> writes = new ArrayList<>();
  private Propagation.Result propagation;
  private ExternalWrites.Result external;
  private List<LiveSubscriber> externalStreams = List.of();
  private Visibility visibility;
  private final List<String> streams = new ArrayList<>();

  /**
   * @param writer the node written to straight, the baseline of the forwarded writes
   */
  ClusterReport(ClusterOptions options, ForcePool forces, Node writer) {
    this.options = options;
    this.forces = forces;
    this.writer = writer;
  }

  void before(String line) {
    before.add(line);
    System.err.println("cluster: " + line);
  }

  void write(WriteRun.Result r) {
    writes.add(r);
    System.err.println("cluster: " + writeRow(r));
  }

  void propagation(Propagation.Result r) {
    propagation = r;
    System.err.println(
        "cluster: propagation to the other stream, from the answer: "
            + summary(r.otherFromAnswer()));
  }

  void external(ExternalWrites.Result r, List<LiveSubscriber> streams) {
    external = r;
    externalStreams = List.copyOf(streams);
    for (int i = 0; i < streams.size(); i++) {
      System.err.println(
          "cluster: SQL update to " + streams.get(i).node + ": " + summary(r.perNode().get(i)));
    }
  }

  void visibility(Visibility v) {
    visibility = v;
  }

  void stream(LiveSubscriber s) {
    streams.add(
        String.format(
            Locale.ROOT,
            "%s's subscriber: %,d messages, %s",
            s.node,
            s.messages.get(),
            s.trouble() == null ? "never behind, never closed" : s.trouble()));
  }

  /** Whether anything failed: a write, a check, a stream. */
  boolean failed() {
    return writes.stream().anyMatch(w -> w.errors() > 0)
        || (propagation != null && (propagation.errors() > 0 || propagation.missing() > 0))
        || (external != null && external.missing() > 0)
        || (visibility != null && visibility.problemCount() > 0)
        || streams.stream().anyMatch(s -> !s.endsWith("never closed"));
  }

  void print() {
    StringBuilder out = new StringBuilder();
    out.append(
        "# Two nodes of `serve --cluster` on one PostGIS schema: A holds the turn to write, B"
            + " forwards writes to A\n");
    out.append(
        String.format(
            Locale.ROOT,
            "# a write: one force's position, POST /live/positions; %d forces moved through the API,"
                + " %d others by SQL; each move to a position of its own\n",
            forces.apiForces(),
            forces.externalForces()));
    out.append(
        String.format(
            Locale.ROOT,
            "# per write case %d untimed then %d timed writes (%s clients); %d propagation writes"
                + " %.0f ms apart on average; %d SQL updates %.0f ms apart on average; each case"
                + " %.0f s at most\n\n",
            options.warmup(),
            options.writes(),
            options.clients(),
            options.propagation(),
            options.propagationGapMs(),
            options.external(),
            options.externalGapMs(),
            options.maxSeconds()));
    out.append("## Checked before timing\n\n");
    before.forEach(l -> out.append("- ").append(l).append('\n'));
    out.append("\n## Write latency (ms) and writes per second, closed loop\n\n");
    out.append(
        "A: straight to the writer (the baseline); B: through the other node, which forwards to A"
            + " and answers once it serves the write itself.\n\n");
    out.append("| written to | clients | n | p50 | p99 | max | writes/s | errors |\n");
    out.append("|---|---|---|---|---|---|---|---|\n");
    writes.forEach(w -> out.append("| ").append(writeRow(w)).append(" |\n"));
    for (int c : options.clients()) {
      WriteRun.Result a = find(c, true);
      WriteRun.Result b = find(c, false);
      if (a != null && b != null) {
        out.append(
            String.format(
                Locale.ROOT,
                "\nForwarded against direct at %d client%s: p50 %+.2f ms (%.2fx), writes/s %.2fx.",
                c,
                c == 1 ? "" : "s",
                (b.latencyMicros().percentile(50) - a.latencyMicros().percentile(50)) / 1e3,
                (double) b.latencyMicros().percentile(50) / a.latencyMicros().percentile(50),
                b.perSecond() / a.perSecond()));
      }
    }
    out.append('\n');
    writes.stream()
        .filter(w -> w.errors() > 0)
        .forEach(
            w ->
                out.append("\nERRORS writing to ")
                    .append(w.node().name)
                    .append(": ")
                    .append(w.errors())
                    .append(", the first: ")
                    .append(w.firstError())
                    .append('\n'));
    if (propagation != null) {
      out.append(
          "\n## Propagation (ms): a write to A until a live stream delivers it, writes spaced at"
              + " random\n\n");
      out.append("| stream | from | n | p50 | p99 | max |\n|---|---|---|---|---|---|\n");
      out.append(streamRow("B (the other node)", "A's answer", propagation.otherFromAnswer()));
      out.append(streamRow("B (the other node)", "the send", propagation.otherFromSend()));
      out.append(
          streamRow("A (the writer's own, baseline)", "A's answer", propagation.ownFromAnswer()));
      out.append(
          "\nNegative: the stream delivered before the answer reached the client (the answer and"
              + " the stream's message leave the writer about together).\n");
      if (propagation.missing() + propagation.errors() > 0) {
        out.append(
            String.format(
                Locale.ROOT,
                "\nERRORS: %d writes not acknowledged, %d not delivered within 10 s; the first: %s\n",
                propagation.errors(),
                propagation.missing(),
                propagation.firstProblem()));
      }
    }
    if (external != null) {
      out.append(
          "\n## Another program's write (ms): a plain SQL UPDATE of a force, from its commit until"
              + " each node's live stream delivers it\n\n");
      out.append("| stream | n | p50 | p99 | max |\n|---|---|---|---|---|\n");
      for (int i = 0; i < externalStreams.size(); i++) {
        Samples.Sorted s = external.perNode().get(i);
        out.append(
            String.format(
                Locale.ROOT,
                "| %s | %d | %s | %s | %s |\n",
                externalStreams.get(i).node,
                s.count(),
                pct(s, 50),
                pct(s, 99),
                pct(s, 100)));
      }
      if (external.missing() > 0) {
        out.append(
            String.format(
                Locale.ROOT,
                "\nERRORS: %d deliveries missing within 10 s; the first: %s\n",
                external.missing(),
                external.firstMissing()));
      }
    }
    out.append("\n## Visible on both nodes at the end\n\n");
    if (visibility != null) {
      visibility.checked().forEach(l -> out.append("- ").append(l).append('\n'));
      if (visibility.problemCount() > 0) {
        out.append("\nERRORS: ")
            .append(visibility.problemCount())
            .append(" problems, the first:\n");
        visibility.problems().forEach(l -> out.append("- ").append(l).append('\n'));
      }
    }
    streams.forEach(l -> out.append("- ").append(l).append('\n'));
    out.append(failed() ? "\nFAILED (above)\n" : "\nAll checks passed.\n");
    System.out.print(out);
    System.out.flush();
  }

  private WriteRun.Result find(int clients, boolean direct) {
    for (WriteRun.Result w : writes) {
      if (w.clients() == clients && (w.node() == writer) == direct) {
        return w;
      }
    }
    return null;
  }

  private static String writeRow(WriteRun.Result w) {
    Samples.Sorted l = w.latencyMicros();
    return String.format(
        Locale.ROOT,
        "%s | %d | %d | %s | %s | %s | %s | %d",
        w.node().name,
        w.clients(),
        l.count(),
        pct(l, 50),
        pct(l, 99),
        pct(l, 100),
        w.perSecond() < 100
            ? String.format(Locale.ROOT, "%.1f", w.perSecond())
            : String.format(Locale.ROOT, "%,.0f", w.perSecond()),
        w.errors());
  }

  private static String streamRow(String stream, String from, Samples.Sorted s) {
    return String.format(
        Locale.ROOT,
        "| %s | %s | %d | %s | %s | %s |\n",
        stream,
        from,
        s.count(),
        pct(s, 50),
        pct(s, 99),
        pct(s, 100));
  }

  private static String summary(Samples.Sorted s) {
    return String.format(
        Locale.ROOT,
        "n=%d p50 %s ms, p99 %s ms, max %s ms",
        s.count(),
        pct(s, 50),
        pct(s, 99),
        pct(s, 100));
  }

  /** A percentile (100: the maximum) in milliseconds, "-" for no samples. */
  private static String pct(Samples.Sorted s, double p) {
    return s.count() == 0 ? "-" : ms(p == 100 ? s.max() : s.percentile(p));
  }

  /** Microseconds as milliseconds, to three significant digits. */
  static String ms(long micros) {
    double v = micros / 1e3;
    double a = Math.abs(v);
    return String.format(Locale.ROOT, a < 10 ? "%.2f" : a < 100 ? "%.1f" : "%.0f", v);
  }
}
