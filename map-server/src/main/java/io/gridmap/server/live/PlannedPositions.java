package io.gridmap.server.live;

import io.gridmap.layers.edit.Change;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Feature;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The newest planned version of each force that readers may not see yet.
 *
 * <p>The writer swaps point-layer writes into memory a group at a time, so a plan can run
 * against an index that lacks a position planned moments before in the same group. Planning a
 * force from that index would lose the earlier write's on-duty flag and let an older position
 * win over a newer one. Plans therefore start from the version here when there is one. An entry
 * goes when the index holds that very version (the writer swaps in the instances the plans made)
 * or when its write completes either way.
 *
 * <p>Touched by the writer thread (plans) and by whichever thread completes or observes a
 * write's future, hence the concurrent map; entries are only removed if still the same version.
 */
final class PlannedPositions {
  private final ConcurrentHashMap<Long, Feature> unswapped = new ConcurrentHashMap<>();

  /** The force as the next plan must see it: the newest planned version, else the index's; null when unknown. */
  Feature current(LayerIndex forces, long id) {
    Feature indexed = forces.byId(id).orElse(null);
    Feature planned = unswapped.get(id);
    if (planned == null) {
      return indexed;
    }
    if (planned == indexed) {
      unswapped.remove(id, planned);
      return indexed;
    }
    return planned;
  }

  /** Remembers a change's new versions until readers see them. */
  void planned(Change change) {
    change.replacements().forEach(r -> unswapped.put(r.id(), r.after()));
  }

  /** Forgets a change's versions once its write completed (visible) or failed (never will be). */
  void settled(Change change) {
    change.replacements().forEach(r -> unswapped.remove(r.id(), r.after()));
  }

  /** How many versions are waiting; for tests. */
  int size() {
    return unswapped.size();
  }
}
