package io.gridmap.bench.race;

import java.util.ArrayList;
import java.util.List;

/**
 * The race's command line.
 *
 * @param ours our server's base URL (tile cache off)
 * @param postgis the {@link PostgisTileFront}'s base URL
 * @param store the {@code postgresql://...?schema=S} location both read, for the samples
 * @param zooms zooms whose tiles are compared
 * @param timeZooms zooms whose tiles are timed (by default the compared ones)
 * @param perZoom tiles sampled per zoom (fewer where the city has fewer)
 * @param points points sampled for locate
 * @param wholeOnly time only the whole-map tiles (every layer is still compared)
 * @param connections connection counts timed
 * @param warmupSeconds untimed load before each measured window
 * @param seconds each measured window
 * @param wholeRounds measurements of the whole-map tile per zoom and connection count, the median
 *     (by the ratio of the sides) reported: that tile carries the target, and one window of a few
 *     seconds on this machine varies by a fifth between runs
 * @param oursToken a file holding an admin token for our {@code /metrics}, or null
 */
record RaceOptions(
    String ours,
    String postgis,
    String store,
    List<Integer> zooms,
    List<Integer> timeZooms,
    int perZoom,
    int points,
    boolean wholeOnly,
    List<Integer> connections,
    double warmupSeconds,
    double seconds,
    int wholeRounds,
    String oursToken) {
  static final String USAGE =
      "Race --ours URL --postgis URL --store postgresql://...?schema=S [--zooms 6-14|6,10,14]"
          + " [--time-zooms 6,10,14] [--per-zoom 50] [--points 500] [--time all|whole] [--connections 1,2] [--warmup 1]"
          + " [--seconds 2] [--whole-rounds 3] [--ours-token FILE]";

  RaceOptions {
    zooms = List.copyOf(zooms);
    timeZooms = List.copyOf(timeZooms);
    if (!zooms.containsAll(timeZooms)) {
      throw new IllegalArgumentException(
          "--time-zooms " + timeZooms + " must be among the compared --zooms " + zooms);
    }
    connections = List.copyOf(connections);
    if (wholeRounds < 1) {
      throw new IllegalArgumentException("--whole-rounds " + wholeRounds + ": at least 1");
    }
  }

  static RaceOptions parse(String[] args) {
    String ours = null;
    String postgis = null;
    String store = null;
    List<Integer> zooms = range("6-14");
    List<Integer> timeZooms = null;
    int perZoom = 50;
    int points = 500;
    boolean wholeOnly = false;
    List<Integer> connections = range("1,2");
    double warmup = 1;
    double seconds = 2;
    int wholeRounds = 3;
    String token = null;
    for (int i = 0; i < args.length; i++) {
      String v = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--ours" -> ours = v;
        case "--postgis" -> postgis = v;
        case "--store" -> store = v;
        case "--zooms" -> zooms = range(v);
        case "--time-zooms" -> timeZooms = range(v);
        case "--per-zoom" -> perZoom = Integer.parseInt(v);
        case "--points" -> points = Integer.parseInt(v);
        case "--time" -> {
          if (!"all".equals(v) && !"whole".equals(v)) {
            throw new IllegalArgumentException("--time " + v + ": expected all or whole");
          }
          wholeOnly = "whole".equals(v);
        }
        case "--connections" -> connections = range(v);
        case "--warmup" -> warmup = Double.parseDouble(v);
        case "--seconds" -> seconds = Double.parseDouble(v);
        case "--whole-rounds" -> wholeRounds = Integer.parseInt(v);
        case "--ours-token" -> token = v;
        default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; " + USAGE);
      }
      i++;
    }
    if (ours == null || postgis == null || store == null) {
      throw new IllegalArgumentException("--ours, --postgis and --store are needed; " + USAGE);
    }
    return new RaceOptions(
        ours,
        postgis,
        store,
        zooms,
        timeZooms == null ? zooms : timeZooms,
        perZoom,
        points,
        wholeOnly,
        connections,
        warmup,
        seconds,
        wholeRounds,
        token);
  }

  /** {@code 6-14} or {@code 6,10,14}. */
  static List<Integer> range(String v) {
    List<Integer> out = new ArrayList<>();
    for (String part : v.split(",")) {
      String[] ends = part.split("-");
      int a = Integer.parseInt(ends[0].strip());
      int b = ends.length > 1 ? Integer.parseInt(ends[1].strip()) : a;
      for (int z = a; z <= b; z++) {
        out.add(z);
      }
    }
    return out;
  }
}
