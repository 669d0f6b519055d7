package io.gridmap.importer.load;

import java.util.ArrayList;
import java.util.List;

/**
 * What is wrong with the input, feature by feature. An import reads the whole file before it
 * refuses it, so that a planner gets the list of what to fix at once, not one problem per attempt;
 * beyond {@link #LIMIT} only the count grows.
 */
final class Problems {
  /** Problems kept with their text; a file with more is counted. */
  static final int LIMIT = 100;

  /** One problem: where (file and feature or line), what, and the fix. */
  record Problem(String where, String problem, String fix) {
    String line() {
      return where + ": " + problem + (fix.isEmpty() ? "" : ". Fix: " + fix);
    }
  }

  private final List<Problem> kept = new ArrayList<>();
  private long count;

  void add(String where, String problem, String fix) {
    count++;
    if (kept.size() < LIMIT) {
      kept.add(new Problem(where, problem, fix == null ? "" : fix));
    }
  }

  boolean any() {
    return count > 0;
  }

  long count() {
    return count;
  }

  List<Problem> kept() {
    return List.copyOf(kept);
  }

  /** Throws {@link ImportRefused} when there is any problem. */
  void throwIfAny(String file) {
    if (count > 0) {
      throw new ImportRefused(file, count, kept());
    }
  }
}
