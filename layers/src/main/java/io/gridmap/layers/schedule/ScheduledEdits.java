package io.gridmap.layers.schedule;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The edits waiting for their effective instant, kept by the store so that they outlive a restart
 * ({@code scheduled_edits}). Every change of status is one conditional update: two nodes (or two
 * passes of one) can never both {@link #claim} an edit, and an edit being applied cannot be
 * cancelled.
 */
public interface ScheduledEdits {
  /**
   * Stores a new edit ({@link ScheduledEdit#of}) with status {@code scheduled}.
   *
   * @return its id
   */
  long add(ScheduledEdit edit);

  /** The edit with this id, if there is one. */
  Optional<ScheduledEdit> find(long id);

  /**
   * Edits newest first, of one status or of all (null), at most {@code limit}, with ids below
   * {@code before} (0: from the newest).
   */
  List<ScheduledEdit> list(String status, long before, int limit);

  /** Scheduled edits whose instant is not after {@code now}, in effective order, at most limit. */
  List<ScheduledEdit> due(Instant now, int limit);

  /**
   * Takes a scheduled edit to apply it ({@code scheduled} to {@code applying}), atomically: true
   * for exactly one caller, false when it is not scheduled (any more).
   */
  boolean claim(long id, Instant now);

  /**
   * Records what became of a claimed edit: {@code applied} (with the change's position, or null
   * when nothing needed changing) or {@code failed}, with the answer as JSON.
   */
  void finish(long id, String status, Long seq, String outcome, Instant now);

  /**
   * Marks {@code interrupted} the edits claimed before {@code claimedBefore} and never finished:
   * the server that claimed them stopped while applying them. They are never applied again (they
   * may have been written), atomically per edit.
   *
   * @return how many were marked
   */
  int interrupt(Instant claimedBefore, Instant now);

  /**
   * Cancels a scheduled edit, atomically: false when it is not scheduled (any more).
   *
   * @param by who cancelled it
   */
  boolean cancel(long id, String by, Instant now);
}
