package io.gridmap.layers.track;

import java.util.List;

/**
 * The forces' tracks as a store keeps them: chunks of packed fixes ({@link TrackChunk}), one row
 * per force per run of up to {@link TrackRecorder#MAX_POINTS} fixes or {@link
 * TrackRecorder#MAX_SPAN_MS}, not a row per fix. A store appends the fixes of every change that
 * moves a force in that change's own transaction ({@link TrackRecorder}), so a position that was
 * acknowledged is in the track after a crash too.
 */
public interface TrackStore {
  /**
   * The fixes of a force from {@code from} to {@code to} (epoch ms, both included), oldest first;
   * empty when it has none there.
   */
  List<TrackPoint> track(long forceId, long from, long to);

  /**
   * Deletes at most {@code limit} chunks whose last fix is older than {@code before} (epoch ms),
   * oldest first, in one transaction: retention in bounded steps, never a fix at a time.
   *
   * @return how many chunks were deleted (less than {@code limit}: none older is left)
   */
  int deleteBefore(long before, int limit);

  /**
   * Whether moves are recorded from now on (the server's {@code track_retention_days} above 0). On
   * by default.
   */
  void recording(boolean on);
}
