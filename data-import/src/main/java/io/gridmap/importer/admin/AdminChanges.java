package io.gridmap.importer.admin;

import io.gridmap.importer.read.FeatureReader;
import io.gridmap.layers.edit.Change;
import io.gridmap.layers.generalise.CoverageGeneraliser;
import io.gridmap.layers.generalise.LocalCoverageGeneraliser;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.index.GeneralisedIndex;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Generalised;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.model.LayerDef;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;

/**
 * An admin-layer import into a running server, as changes: the file is read and checked exactly as
 * the command line does ({@link AdminImport#prepare}: readers, {@link HierarchyCheck}, {@code
 * --repair}, {@link Ownership}) against the city the index holds now, and what differs becomes one
 * {@link Change} per layer: units replaced (same code, new outline or values), added and retired,
 * with the generalised polygons of the touched units; key sites, open incidents and forces that
 * follow; the level below when {@code --repair} moved it; parents whose sums changed. The writer
 * stores them in one transaction and swaps them in, so only the tiles they touch are drawn again.
 *
 * <p>The generalised polygons come from {@link LocalCoverageGeneraliser} (the neighbourhood of the
 * touched units, as grid edits do) while the units touched (moved, added, retired) are at most one
 * in {@link #LOCAL_SHARE} of the layer, else, or when the local run cannot fit its neighbours, from
 * a whole-layer {@link CoverageGeneraliser} run of which only the polygons that differ from what
 * the index draws go into the change (so the tiles forgotten are the same either way).
 */
public final class AdminChanges {
  /**
   * The local run is chosen while the touched units are at most the layer's size divided by this.
   * Measured on the small test city's 3,807 grids (2 cores, warm, 2026-12-05): the whole-layer run
   * takes 64-66 ms whatever changed; the local one 1-2 ms for 2 grids, 5-7 ms for 50, 14-21 ms for
   * 150, 24-28 ms for 300, 37-60 ms for 600 and 78-111 ms for 1,200 (one ring each time). It grows
   * with the touched set, the whole run with the layer, and they cross at a sixth to a quarter of
   * the layer: a sixth keeps the local run on the side where it is cheaper. On the full city
   * (65,000 grids) that is local up to some 10,000 grids, a district's worth.
   */
  public static final int LOCAL_SHARE = 6;

  private static final Geometry NONE = new GeometryFactory().createPolygon();

  private AdminChanges() {}

  /**
   * The import planned.
   *
   * @param changes the layer changes, the admin layer's first; empty when nothing changes
   * @param summary what the import does (written false: the caller writes)
   * @param generalisation per coverage layer changed, how its polygons were made: "local (N units,
   *     R rings)" or "whole layer"
   */
  public record Planned(
      List<Change> changes, AdminImportSummary summary, Map<String, String> generalisation) {}

  /**
   * Plans the import against {@code current}; writes nothing but, when there is something to
   * report, the validation report.
   *
   * @throws HierarchyRefused when the hierarchy would not hold
   */
  public static Planned plan(AdminImport importer, FeatureReader reader, CityIndex current)
      throws IOException {
    return plan(importer, reader, current, -1);
  }

  /**
   * {@link #plan(AdminImport, FeatureReader, CityIndex)} with the local run chosen up to {@code
   * localLimit} touched units of a layer (-1: up to its size / {@link #LOCAL_SHARE}; 0: never).
   */
  public static Planned plan(
      AdminImport importer, FeatureReader reader, CityIndex current, int localLimit)
      throws IOException {
    long t0 = System.nanoTime();
    AdminImport.Prepared p = importer.prepare(reader, cityOf(current), true);
    List<Change> changes = new ArrayList<>();
    Map<String, String> how = new LinkedHashMap<>();
    for (Map.Entry<String, Layer> e : p.after().entrySet()) {
      Optional<LayerIndex> now = current.findLayer(e.getKey());
      if (now.isEmpty()) {
        continue; // a layer the server does not hold (no incidents yet): nothing to follow in it
      }
      Change c = diff(current, now.get(), e.getValue(), localLimit, how);
      if (!c.isEmpty()) {
        changes.add(c);
      }
    }
    return new Planned(changes, p.summary(false, (System.nanoTime() - t0) / 1e9), how);
  }

  /** The index's layers as a city (no copies: the layers are the index's lists). */
  static Dataset cityOf(CityIndex current) {
    Map<String, Layer> layers = new LinkedHashMap<>();
    for (LayerDef d : Catalogue.ALL) {
      layers.put(
          d.name(),
          current
              .findLayer(d.name())
              .map(li -> new Layer(li.def(), li.features()))
              .orElse(new Layer(d, List.of())));
    }
    return new Dataset(layers, current.metadata(), Generalised.empty());
  }

  /** What turns {@code now} into {@code after}, with the generalised polygons it needs. */
  private static Change diff(
      CityIndex current, LayerIndex now, Layer after, int localLimit, Map<String, String> how) {
    List<Change.Replacement> replaced = new ArrayList<>();
    Set<Long> held = new HashSet<>(after.size() * 2);
    Map<Long, Geometry> moved = new LinkedHashMap<>();
    for (Feature f : after.features()) {
      held.add(f.id());
      Feature was = now.byId(f.id()).orElse(null);
      if (was == null) {
        replaced.add(Change.Replacement.added(f));
        moved.put(f.id(), f.geometry());
      } else if (was != f && !same(was, f)) {
        Change.Replacement r = new Change.Replacement(was, f);
        replaced.add(r);
        if (r.geometryChanged()) {
          moved.put(f.id(), f.geometry());
        }
      }
    }
    Set<Long> retired = new HashSet<>();
    if (now.def().coverage()) { // the point layers keep every feature: only admin units retire
      for (Feature f : now.features()) {
        if (!held.contains(f.id())) {
          replaced.add(Change.Replacement.retired(f));
          retired.add(f.id());
        }
      }
    }
    if (!now.def().coverage() || (moved.isEmpty() && retired.isEmpty())) {
      return Change.of(now.name(), replaced);
    }
    return new Change(
        now.name(), replaced, generalised(current, after, moved, retired, localLimit, how));
  }

  private static Map<Integer, Map<Long, Geometry>> generalised(
      CityIndex current,
      Layer after,
      Map<Long, Geometry> moved,
      Set<Long> retired,
      int localLimit,
      Map<String, String> how) {
    String layer = after.name();
    int touched = moved.size() + retired.size();
    int limit = localLimit >= 0 ? localLimit : after.size() / LOCAL_SHARE;
    String why = "more than " + limit + " units touched";
    if (touched <= limit) {
      LocalCoverageGeneraliser.Result local =
          LocalCoverageGeneraliser.regeneralise(current, layer, moved, retired);
      if (local.consistent()) {
        how.put(layer, "local (" + touched + " units, " + local.rings() + " rings)");
        return local.polygons();
      }
      why = "the local run did not fit its neighbours: " + local.failure();
    }
    how.put(layer, "whole layer (" + touched + " units touched; " + why + ")");
    return differences(current, after.def(), CoverageGeneraliser.generalise(after), retired);
  }

  /**
   * The polygons of a whole-layer run that differ from what the index draws: changed, new, or gone
   * at a zoom (an empty polygon). Retired units are left out: their polygons go with them.
   */
  private static Map<Integer, Map<Long, Geometry>> differences(
      CityIndex current, LayerDef def, Map<Integer, Map<Long, Geometry>> all, Set<Long> retired) {
    Map<Integer, Map<Long, Geometry>> out = new LinkedHashMap<>();
    for (int z = def.minZoom(); z <= def.maxZoom(); z++) {
      Optional<GeneralisedIndex> gi = current.generalised(def.name(), z);
      if (gi.isEmpty() || gi.get().fallback()) {
        continue; // the index draws projected originals here and projects the new ones itself
      }
      Map<Long, Geometry> fresh = all.getOrDefault(z, Map.of());
      Map<Long, Geometry> zoom = new HashMap<>();
      fresh.forEach(
          (id, g) -> {
            int o = gi.get().ordinalOf(id);
            if (o < 0 || !gi.get().geometry(o).equalsExact(g)) {
              zoom.put(id, g);
            }
          });
      for (int o = 0; o < gi.get().size(); o++) {
        long id = gi.get().feature(o).id();
        if (!fresh.containsKey(id) && !retired.contains(id)) {
          zoom.put(id, NONE);
        }
      }
      if (!zoom.isEmpty()) {
        out.put(z, zoom);
      }
    }
    return out;
  }

  private static boolean same(Feature a, Feature b) {
    return a.personal() == b.personal()
        && Arrays.equals(a.values(), b.values())
        && a.geometry().equalsExact(b.geometry());
  }
}
