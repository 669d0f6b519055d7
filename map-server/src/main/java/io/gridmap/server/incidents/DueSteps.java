package io.gridmap.server.incidents;

import io.gridmap.layers.edit.Change;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.IncidentState;
import io.gridmap.server.write.Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The open incidents not yet overdue, by when their next step is due: what the overdue sweep asks
 * every few seconds instead of reading every incident. At the seed's volumes the layer holds some
 * 1.1 million incidents, nearly all closed; reading them all every 5 s took a third of a pinned
 * server core (JFR, issue 14) whatever the requests were.
 *
 * <p>Filled by one pass over the layer, then kept by the writer's changes ({@link Writer#onVisible}
 * on the writer thread): each replaced incident's newest version decides whether it is watched. A
 * layer swapped in whole (a change with no replacements) is read again. The pass and the updates
 * take the same lock; an update that waits for the pass applies a newer version over it, and one
 * the pass already saw in the index applies the same version again, so none is lost.
 */
public final class DueSteps implements Writer.Listener {
  private static final int DUE = Incidents.DEF.fieldIndex("due_at");
  private static final int OVERDUE = Incidents.DEF.fieldIndex("overdue");
  private static final int STATUS = Incidents.DEF.fieldIndex("status");

  private record Step(long due, long id) implements Comparable<Step> {
    @Override
    public int compareTo(Step o) {
      int c = Long.compare(due, o.due);
      return c != 0 ? c : Long.compare(id, o.id);
    }
  }

  private final Supplier<CityIndex> index;
  private final TreeSet<Step> byDue = new TreeSet<>();
  private final Map<Long, Long> dueById = new HashMap<>();

  /**
   * @param index the index readers see now (read once here, and again when the layer is swapped)
   * @param listen registers this with the writer ({@link Writer#onVisible}); called before the
   *     first read, so no change falls between the read and the updates
   */
  public DueSteps(Supplier<CityIndex> index, Consumer<Writer.Listener> listen) {
    this.index = index;
    listen.accept(this);
    readAll();
  }

  /** Whether an incident's next step is due at or before {@code now}. */
  public synchronized boolean anyDue(long now) {
    return !byDue.isEmpty() && byDue.first().due() <= now;
  }

  /** The incidents whose next step is due at or before {@code now}, earliest first. */
  public synchronized List<Long> due(long now) {
    List<Long> out = new ArrayList<>();
    for (Step s : byDue) {
      if (s.due() > now) {
        break;
      }
      out.add(s.id());
    }
    return out;
  }

  /** How many incidents are watched (open, not overdue, with a deadline). */
  public synchronized int size() {
    return byDue.size();
  }

  @Override
  public void visible(Change change, long seq) {
    if (!Incidents.DEF.name().equals(change.layer())) {
      return;
    }
    if (change.replacements().isEmpty()) {
      readAll(); // the layer swapped in whole (an import)
      return;
    }
    synchronized (this) {
      for (Change.Replacement r : change.replacements()) {
        watch(r.id(), r.after());
      }
    }
  }

  private synchronized void readAll() {
    byDue.clear();
    dueById.clear();
    index
        .get()
        .findLayer(Incidents.DEF.name())
        .ifPresent(
            layer -> {
              for (Feature f : layer.features()) {
                watch(f.id(), f);
              }
            });
  }

  /** Watches {@code f} (the newest version of incident {@code id}, null when retired) or not. */
  private void watch(long id, Feature f) {
    Long old = dueById.remove(id);
    if (old != null) {
      byDue.remove(new Step(old, id));
    }
    if (f != null
        && f.value(DUE) instanceof Long due
        && !Boolean.TRUE.equals(f.value(OVERDUE))
        && f.value(STATUS) instanceof String code
        && IncidentState.ofCode(code).map(s -> !s.terminal()).orElse(false)) {
      dueById.put(id, due);
      byDue.add(new Step(due, id));
    }
  }
}
