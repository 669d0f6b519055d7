package io.gridmap.server.live;

import io.gridmap.layers.edit.LogRange;
import io.gridmap.layers.edit.LoggedChange;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a live client that last saw a position missed: the features of its layers that changed after
 * it, read from the store's change log. Or, when that is gone from the log or too much to send, a
 * reason to reload instead. Reads the store: never on an event loop.
 *
 * <p>The log is read up to its newest position at the time of reading, no further: anything
 * committed later is made visible later, and so reaches the subscriber, which is registered before
 * the reading starts, as a live message.
 */
final class CatchUp {
  private CatchUp() {}

  /** The store's change log as the writer exposes it. */
  interface Log {
    List<LoggedChange> changesAfter(long after, int limit);

    LogRange logRange();
  }

  /**
   * How much a catch-up may hold before the client is told to reload instead.
   *
   * @param changes log entries read (each a write; a batch of positions is one): reading them takes
   *     the store's lock a page at a time, so a client gone for hours does not scan a million rows
   * @param features distinct features changed, which is what the catch-up sends (about 350 bytes
   *     each): 10,000 is a message of a few MB, more than a screen shows
   */
  record Limits(int changes, int features) {
    static final Limits DEFAULT = new Limits(100_000, 10_000);

    Limits {
      if (changes < 1 || features < 1) {
        throw new IllegalArgumentException(
            "catch-up limits must be positive, got " + changes + ", " + features);
      }
    }
  }

  /** What a catch-up found. */
  sealed interface Result permits Changed, Reload {}

  /**
   * @param ids per layer asked for (in the order asked), the ids changed after the position, in the
   *     order of their first change
   * @param upTo the newest log position read
   */
  record Changed(Map<String, Set<Long>> ids, long upTo) implements Result {}

  /** The log cannot say what changed: the client reloads its layers (tiles, items). */
  record Reload(String reason) implements Result {}

  /** Log entries read per call, each call a short hold of the store's lock. */
  static final int PAGE = 1_000;

  /**
   * The features of {@code layers} changed after position {@code after}.
   *
   * @param after the last position the client has seen (its {@code since}, or the start of that
   *     position's group)
   */
  static Result read(Log log, long after, Set<String> layers, Limits limits) {
    return read(log, after, layers, limits, PAGE);
  }

  /** As {@link #read(Log, long, Set, Limits)}, {@code page} entries per call. */
  static Result read(Log log, long after, Set<String> layers, Limits limits, int page) {
    LogRange range = log.logRange();
    if (!range.covers(after)) {
      return new Reload(
          "since="
              + after
              + " is older than the change log keeps (positions "
              + range.first()
              + " to "
              + range.last()
              + "): reload the layers");
    }
    Map<String, Set<Long>> ids = new LinkedHashMap<>();
    layers.forEach(l -> ids.put(l, new LinkedHashSet<>()));
    int changes = 0;
    int features = 0;
    long seen = after;
    while (seen < range.last()) {
      List<LoggedChange> entries = log.changesAfter(seen, page);
      if (entries.isEmpty() || (entries.get(0).seq() > seen + 1 && !log.logRange().covers(seen))) {
        // trimmed by retention between the range and this page: the entries after seen are gone
        return new Reload(
            "the change log no longer holds position " + (seen + 1) + ": reload the layers");
      }
      for (LoggedChange c : entries) {
        if (c.seq() > range.last()) {
          break;
        }
        seen = c.seq();
        if (++changes > limits.changes()) {
          return new Reload(
              "more than "
                  + limits.changes()
                  + " changes since "
                  + after
                  + ", more than a catch-up sends: reload the layers");
        }
        Set<Long> layer = ids.get(c.layer());
        if (layer == null) {
          continue;
        }
        for (long id : c.ids()) {
          if (layer.add(id) && ++features > limits.features()) {
            return new Reload(
                "more than "
                    + limits.features()
                    + " features changed since "
                    + after
                    + ", more than a catch-up sends: reload the layers");
          }
        }
      }
      if (entries.get(entries.size() - 1).seq() > range.last() || entries.size() < page) {
        break;
      }
    }
    return new Changed(ids, seen);
  }
}
