package io.gridmap.bench.race;

import io.gridmap.tiler.geo.TileCoord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The race's raw output: what was compared, every measurement as a row, and the figures against the
 * targets (ours at least 5x faster at z6-z12, never slower at z13-z14). "Faster" is read as
 * throughput, tiles per second at the same number of connections; the p50s are beside it.
 */
final class RaceReport {
  /**
   * One measurement of both sides, the median of its rounds when there were several ({@code rounds}
   * holds every round's ratio then, else nothing). Zoom -1 for locate.
   */
  private record Row(
      int zoom,
      String target,
      int connections,
      LoadRun.Result ours,
      LoadRun.Result postgis,
      List<Double> rounds) {
    double ratio() {
      return ratio(ours, postgis);
    }

    static double ratio(LoadRun.Result ours, LoadRun.Result postgis) {
      return ours.perSecond() / postgis.perSecond();
    }
  }

  private final RaceOptions options;
  private final Map<Integer, List<TileCoord>> tiles;
  private final int points;
  private final List<Row> rows = new ArrayList<>();
  private final List<String> lines = new ArrayList<>();
  private List<String> sameLines = List.of();
  private List<String> slivers = List.of();
  private int differences;

  RaceReport(RaceOptions options, Map<Integer, List<TileCoord>> tiles, int points) {
    this.options = options;
    this.tiles = tiles;
    this.points = points;
  }

  void sameAnswers(SameAnswers same) {
    sameLines = same.summary();
    slivers = List.copyOf(same.slivers());
    differences = same.differences().size();
  }

  /**
   * Adds a measurement of {@code rounds} (ours, postgis) pairs: the round of median ratio (the
   * lower middle one of an even count) is the row, every round's ratio is listed beside it.
   */
  void add(int zoom, String target, int connections, List<LoadRun.Result[]> rounds) {
    List<LoadRun.Result[]> byRatio = new ArrayList<>(rounds);
    byRatio.sort(Comparator.comparingDouble(r -> Row.ratio(r[0], r[1])));
    LoadRun.Result[] median = byRatio.get((byRatio.size() - 1) / 2);
    List<Double> ratios =
        rounds.size() == 1 ? List.of() : rounds.stream().map(r -> Row.ratio(r[0], r[1])).toList();
    Row row = new Row(zoom, target, connections, median[0], median[1], ratios);
    rows.add(row);
    System.err.println("race: " + cells(row));
  }

  void cache(Race.CacheCounters before, Race.CacheCounters after) {
    if (before == null) {
      lines.add("Our tile cache: not checked (no --ours-token for /metrics).");
      return;
    }
    long tileRequests =
        rows.stream().filter(r -> r.zoom() >= 0).mapToLong(r -> r.ours().requests()).sum();
    double hits = after.hits() - before.hits();
    lines.add(
        String.format(
            Locale.ROOT,
            "Our tile cache (tile_cache_mb = 0), from /metrics: bound %.0f bytes, %.0f bytes held"
                + " after; %.0f whole-tile hits during the timing against %d tile requests"
                + " measured (a Caffeine cache bounded at 0 evicts each entry right after its put;"
                + " a request arriving in between can still hit it).",
            after.maxBytes(),
            after.bytes(),
            hits,
            tileRequests));
    if (after.maxBytes() > 0 || hits > 0.001 * Math.max(1, tileRequests)) {
      lines.add("WARNING: our tile cache was not off: these are not uncached figures.");
    }
  }

  long failedRequests() {
    return rows.stream().mapToLong(r -> r.ours().errors() + r.postgis().errors()).sum();
  }

  void print() {
    StringBuilder out = new StringBuilder();
    out.append(
        "# The race: our server, tile cache off, against ST_AsMVT behind a thin HTTP front\n");
    out.append("# samples (seeded):");
    tiles.forEach((z, t) -> out.append(" z").append(z).append(" ").append(t.size()));
    out.append(" tiles; ").append(points).append(" incident positions for locate\n");
    out.append(
        String.format(
            Locale.ROOT,
            "# timing: %s, connections %s, %.1f s warm-up then %.1f s measured per side and"
                + " measurement, sides alternating which goes first; the whole-map tile measured"
                + " %d times a zoom and connection count, the round of median ratio shown (every"
                + " round's ratio after the row)\n\n",
            options.wholeOnly() ? "whole-map tiles only" : "whole-map and single-layer tiles",
            options.connections(),
            options.warmupSeconds(),
            options.seconds(),
            options.wholeRounds()));
    out.append("## Same answers, checked before any timing\n\n");
    sameLines.forEach(l -> out.append(l).append('\n'));
    out.append(
        differences == 0
            ? "\nEvery tile: the same feature ids per layer, each feature with the same geometry"
                + " type and attributes; every point: the same grid, village, street, district,"
                + " worker and border flag.\n\n"
            : "\n" + differences + " differences (printed on standard error): not timed.\n\n");
    if (!slivers.isEmpty()) {
      out.append(slivers.size())
          .append(
              " polygons drawn by one side only, each of at most one square unit (a sliver past"
                  + " the buffer's edge that our renderer rounds to a one-unit triangle and"
                  + " ST_AsMVTGeom drops), left out of the comparison:\n");
      slivers.stream().limit(20).forEach(l -> out.append("- ").append(l).append('\n'));
      if (slivers.size() > 20) {
        out.append("- and ").append(slivers.size() - 20).append(" more\n");
      }
      out.append('\n');
    }
    if (!rows.isEmpty()) {
      out.append("## Timing: latency in ms (p50, p99), tiles or answers per second (/s)\n\n");
      out.append(
          "x = ours /s divided by postgis /s at the same connections; n = requests measured"
              + " (ours, postgis).\n\n");
      out.append(
          "| zoom | tile | conns | ours p50 | ours p99 | ours /s | postgis p50 | postgis p99 |"
              + " postgis /s | x | n |\n");
      out.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
      for (Row r : rows) {
        out.append("| ").append(cells(r)).append(" |\n");
      }
      out.append('\n');
      lines.forEach(l -> out.append(l).append('\n'));
      out.append("\n## Against the targets (by tiles per second)\n\n");
      verdict(out, "z6-z12, ours at least 5x", r -> r.zoom() >= 6 && r.zoom() <= 12, 5);
      verdict(out, "z13-z14, ours never slower", r -> r.zoom() >= 13, 1);
      for (int conns : options.connections()) {
        out.append("- whole-map tile at ")
            .append(conns)
            .append(conns == 1 ? " connection: " : " connections: ")
            .append(
                rows.stream()
                    .filter(r -> r.target().equals("whole") && r.connections() == conns)
                    .map(r -> "z" + r.zoom() + " " + ratio(r.ratio()))
                    .collect(Collectors.joining(", ")))
            .append('\n');
      }
      rows.stream()
          .filter(r -> r.target().equals("locate"))
          .forEach(
              r ->
                  out.append("- locate over HTTP at ")
                      .append(r.connections())
                      .append(" conns: ")
                      .append(ratio(r.ratio()))
                      .append('\n'));
    }
    System.out.print(out);
    System.out.flush();
  }

  private void verdict(StringBuilder out, String what, Predicate<Row> which, double target) {
    List<Row> tileRows =
        rows.stream().filter(r -> r.zoom() >= 0).filter(which).collect(Collectors.toList());
    if (tileRows.isEmpty()) {
      return;
    }
    long met = tileRows.stream().filter(r -> r.ratio() >= target).count();
    Row worst = tileRows.stream().min(Comparator.comparingDouble(Row::ratio)).orElseThrow();
    Row best = tileRows.stream().max(Comparator.comparingDouble(Row::ratio)).orElseThrow();
    double[] sorted = tileRows.stream().mapToDouble(Row::ratio).sorted().toArray();
    out.append(
        String.format(
            Locale.ROOT,
            "- %s: met in %d of %d measurements; median %s, lowest %s (z%d %s, %d conns),"
                + " highest %s (z%d %s, %d conns)\n",
            what,
            met,
            tileRows.size(),
            ratio(sorted[sorted.length / 2]),
            ratio(worst.ratio()),
            worst.zoom(),
            worst.target(),
            worst.connections(),
            ratio(best.ratio()),
            best.zoom(),
            best.target(),
            best.connections()));
  }

  private static String cells(Row r) {
    return String.format(
        Locale.ROOT,
        "%s | %s | %d | %s | %s | %s | %s | %s | %s | %s | %d, %d%s%s",
        r.zoom() < 0 ? "-" : Integer.toString(r.zoom()),
        r.target(),
        r.connections(),
        ms(r.ours().p50Ms()),
        ms(r.ours().p99Ms()),
        rate(r.ours().perSecond()),
        ms(r.postgis().p50Ms()),
        ms(r.postgis().p99Ms()),
        rate(r.postgis().perSecond()),
        ratio(r.ratio()),
        r.ours().requests(),
        r.postgis().requests(),
        r.rounds().isEmpty()
            ? ""
            : r.rounds().stream()
                .map(RaceReport::ratio)
                .collect(Collectors.joining(" / ", "; rounds ", "")),
        errors(r));
  }

  private static String errors(Row r) {
    StringBuilder s = new StringBuilder();
    for (LoadRun.Result x : new LoadRun.Result[] {r.ours(), r.postgis()}) {
      if (x.errors() > 0) {
        s.append(" ERRORS ")
            .append(x == r.ours() ? "ours " : "postgis ")
            .append(x.errors())
            .append(": ")
            .append(x.firstError());
      }
    }
    return s.toString();
  }

  private static String ms(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    return String.format(Locale.ROOT, v < 10 ? "%.2f" : v < 100 ? "%.1f" : "%.0f", v);
  }

  private static String rate(double v) {
    return String.format(Locale.ROOT, v < 100 ? "%.1f" : "%,.0f", v);
  }

  private static String ratio(double v) {
    return Double.isNaN(v) || Double.isInfinite(v)
        ? "-"
        : String.format(Locale.ROOT, v < 10 ? "%.2fx" : "%.1fx", v);
  }
}
