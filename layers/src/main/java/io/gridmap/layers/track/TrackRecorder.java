package io.gridmap.layers.track;

import io.gridmap.layers.edit.Change;
import io.gridmap.layers.edit.Provenance;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Feature;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.locationtech.jts.geom.Point;

/**
 * What both stores share about recording tracks: which changes are fixes, and the open chunk of
 * each force, kept in memory so that a move rewrites one row (its force's open chunk, grown by one
 * fix) instead of reading it first.
 *
 * <p>How chunks are made durable: each transaction that moves forces also writes (upserts) their
 * open chunks, grown by the new fixes. Chosen over buffering chunks in memory and writing them
 * every few seconds, which would lose the acknowledged fixes of those seconds in a crash, and over
 * a row per batch compacted later, which at 5,000 moves a second is the row per move we avoid until
 * the compaction catches up. The price is one row rewrite per move, of the chunk's bytes (on
 * average half of {@link #MAX_POINTS} fixes, about 0.8 KB), in a transaction that writes the
 * force's row and its history row anyway.
 *
 * <p>Use: {@link #stage} inside the transaction, write {@link Staged#rows()}, then {@link #commit}
 * after the commit (a rollback just drops the staged chunks). A new process, or a node that takes
 * the turn to write anew, starts a new chunk for each force ({@link #forget}): a few small chunks
 * more, and no chunk ever read back before a write. Not thread-safe: the store's writer lock guards
 * it.
 */
public final class TrackRecorder {
  /** Fixes per chunk at most: 21 minutes at one fix every 5 s; about 1.5 KB packed. */
  public static final int MAX_POINTS = 256;

  /** Time from a chunk's first fix to its last at most, so that retention frees whole hours. */
  public static final long MAX_SPAN_MS = 3_600_000;

  /**
   * How often, in fix time, {@link #commit} lets go of the open chunks that can grow no more (a
   * pass over every force with one).
   */
  static final long SWEEP_EVERY_MS = 60_000;

  private final Map<Long, TrackCodec.Appender> open = new HashMap<>();

  /** The newest fix staged so far: the recorder's clock, for {@link #commit}'s sweep. */
  private long newestFix = Long.MIN_VALUE;

  private long nextSweep = Long.MIN_VALUE;
  private final int forceUpdatedAt = Catalogue.FORCES.fieldIndex("updated_at");
  private boolean recording = true;

  /** The chunks a transaction writes, and the open chunks once it commits. */
  public static final class Staged {
    private final Map<Long, TrackCodec.Appender> chunks = new LinkedHashMap<>();

    /** Chunks this transaction filled and closed: written, then never grown again. */
    private final List<TrackChunk> closed = new ArrayList<>();

    /**
     * One row per chunk grown: each force's open chunk, and any it filled on the way; each to
     * insert or replace by (force, start).
     */
    public List<TrackChunk> rows() {
      List<TrackChunk> out = new ArrayList<>(closed);
      chunks.forEach((id, a) -> out.add(row(id, a)));
      return out;
    }

    private static TrackChunk row(long forceId, TrackCodec.Appender a) {
      return new TrackChunk(forceId, a.first().time(), a.last().time(), a.count(), a.bytes());
    }

    public boolean isEmpty() {
      return chunks.isEmpty();
    }
  }

  /**
   * The fixes of {@code changes} appended to copies of their forces' open chunks. A fix is the new
   * position of a force (layer {@code forces}) that was added or moved or got a newer {@code
   * updated_at}, at that time (the change's time when it has none); one not newer than the force's
   * last fix adds nothing.
   */
  public Staged stage(List<Change> changes, List<Provenance> provenances) {
    Staged s = new Staged();
    if (!recording) {
      return s;
    }
    for (int i = 0; i < changes.size(); i++) {
      Change change = changes.get(i);
      if (!change.layer().equals(Catalogue.FORCES.name())) {
        continue;
      }
      for (Change.Replacement r : change.replacements()) {
        Feature after = r.after();
        if (after == null) {
          continue; // a force retired: no fix; its track stays until retention ends it
        }
        if (!(after.geometry() instanceof Point p) || p.isEmpty()) {
          continue;
        }
        Object t = after.value(forceUpdatedAt);
        Object was = r.before() == null ? null : r.before().value(forceUpdatedAt);
        if (!r.isAdded() && !r.geometryChanged() && java.util.Objects.equals(t, was)) {
          continue; // an attribute edit: no new fix
        }
        long time = t instanceof Long l ? l : provenances.get(i).time().toEpochMilli();
        append(s, after.id(), TrackPoint.of(time, p.getX(), p.getY()));
      }
    }
    return s;
  }

  private void append(Staged s, long forceId, TrackPoint fix) {
    TrackCodec.Appender a = s.chunks.get(forceId);
    if (a == null) {
      TrackCodec.Appender current = open.get(forceId);
      a = current == null ? null : current.copy();
    }
    if (a != null && fix.time() <= a.last().time()) {
      return;
    }
    if (a == null || a.count() >= MAX_POINTS || fix.time() - a.first().time() >= MAX_SPAN_MS) {
      if (a != null && s.chunks.get(forceId) == a) {
        s.closed.add(Staged.row(forceId, a)); // grown in this transaction: its last fixes too
      }
      a = new TrackCodec.Appender();
    }
    a.add(fix);
    s.chunks.put(forceId, a);
    newestFix = Math.max(newestFix, fix.time());
  }

  /**
   * Makes the staged chunks the open ones: their transaction committed. Once a minute of fix time,
   * lets go of the open chunks whose first fix is {@link #MAX_SPAN_MS} older than the newest fix:
   * the next fix of their force starts a new chunk anyway, and their rows are written. Without it
   * every force that ever moved kept its last chunk in memory until retention: an appender, its
   * last fix and a map entry (about 120 bytes, measured on the full city under the live load) and
   * the chunk's bytes, up to about 1.5 KB; over a day of shifts, most of a gigabyte at a million
   * forces.
   */
  public void commit(Staged s) {
    open.putAll(s.chunks);
    if (newestFix >= nextSweep) {
      long now = newestFix;
      open.values().removeIf(a -> now - a.first().time() >= MAX_SPAN_MS);
      nextSweep = now + SWEEP_EVERY_MS;
    }
  }

  /** Forces whose open chunk is held in memory. */
  public int openChunks() {
    return open.size();
  }

  /** Forgets every open chunk: the next fix of each force starts a new one. */
  public void forget() {
    open.clear();
  }

  /**
   * Forgets the open chunks whose last fix is older than {@code before}: retention deleted them.
   */
  public void forgetBefore(long before) {
    open.values().removeIf(a -> a.last().time() < before);
  }

  public void recording(boolean on) {
    recording = on;
    if (!on) {
      open.clear();
    }
  }

  /**
   * The fixes of chunks read back for a window: decoded, kept inside it, in time order, each time
   * once (chunks of one force may overlap after the turn to write moved between nodes and back).
   */
  public static List<TrackPoint> window(List<byte[]> chunks, long from, long to) {
    java.util.TreeMap<Long, TrackPoint> byTime = new java.util.TreeMap<>();
    for (byte[] c : chunks) {
      for (TrackPoint p : TrackCodec.decode(c)) {
        if (p.time() >= from && p.time() <= to) {
          byTime.putIfAbsent(p.time(), p);
        }
      }
    }
    return new ArrayList<>(byTime.values());
  }
}
