package io.gridmap.layers.edit;

/**
 * What a change log holds: the positions of its oldest retained and its newest entry. A reader that
 * last saw position {@code s} can catch up from the log when {@code s >= first - 1}; an older
 * {@code s} has lost entries to retention and must reload.
 *
 * @param first the oldest retained position (last + 1 when the log is empty)
 * @param last the newest position, 0 before the first change
 */
public record LogRange(long first, long last) {
  /** True when every change after {@code seen} is still in the log. */
  public boolean covers(long seen) {
    return seen >= first - 1 && seen <= last;
  }
}
