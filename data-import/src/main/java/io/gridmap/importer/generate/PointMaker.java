package io.gridmap.importer.generate;

import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Feature;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.locationtech.jts.geom.Point;

/**
 * Key sites and forces, grid by grid. Each grid draws from its own random source (seed, grid code),
 * and a point's id and code are made from its grid and a sequence number in it ({@link PointIds}),
 * so a grid's points do not depend on any other grid. The full-time worker is sequence 0: its id is
 * the grid's {@code worker_id}. Forces follow {@link ForcePlan}; a home of an elderly person living
 * alone has a wristband and a smoke detector ({@link Devices}).
 */
final class PointMaker {
  private final long seed;
  private final List<GridUnit> grids;
  private final PointSampler sampler;

  /**
   * One String instance per distinct personal name: a million forces draw from a few hundred
   * thousand names, and the repeats would otherwise each hold a copy.
   */
  private final Map<String, String> names = new HashMap<>();

  PointMaker(long seed, List<GridUnit> grids, PointSampler sampler) {
    this.seed = seed;
    this.grids = grids;
    this.sampler = sampler;
  }

  List<Feature> keySites() {
    List<Feature> out = new ArrayList<>();
    for (int i = 0; i < grids.size(); i++) {
      GridUnit grid = grids.get(i);
      SplittableRandom rng = Rngs.of(seed, "sites/" + grid.code());
      int seq = 1;
      for (SitePlan c : SitePlan.values()) {
        int k = Rngs.poisson(rng, grid.urban() ? c.perUrbanGrid : c.perRuralGrid);
        for (int j = 0; j < k; j++) {
          Point p = sampler.inside(i, rng);
          String name = c.personal() ? c.suffix : Names.place(rng) + c.suffix;
          long id = PointIds.id(grid.districtCode(), grid.number(), seq);
          out.add(
              new Feature(
                  id,
                  p,
                  new Values(Catalogue.KEY_SITES)
                      .set("category", c.code)
                      .set("name", name)
                      .set("grid_code", grid.code())
                      .set("code", PointIds.code(grid.code(), seq))
                      .set("devices", c == SitePlan.ELDERLY_ALONE_HOME ? Devices.atHome(id) : null)
                      .array(),
                  c.personal()));
          seq++;
        }
      }
    }
    return out;
  }

  List<Feature> forces() {
    List<Feature> out = new ArrayList<>();
    for (int i = 0; i < grids.size(); i++) {
      GridUnit grid = grids.get(i);
      SplittableRandom rng = Rngs.of(seed, "forces/" + grid.code());
      out.add(force(grid, i, 0, ForcePlan.GRID_WORKER, grid.workerName(), rng));
      int seq = 1;
      for (ForcePlan role : ForcePlan.values()) {
        if (role == ForcePlan.GRID_WORKER) {
          continue;
        }
        int k = role.count(grid.population(), rng);
        // the 2-digit number in the grid holds 100 forces; the busiest grid expects about 50 (a
        // 1,750-resident grid of 渝中), so this cut is a guard that never bites at Chongqing's
        // densities, and it drops N forces (last in the plan) before staff
        for (int j = 0; j < k && seq <= PointIds.MAX_PER_GRID; j++) {
          out.add(force(grid, i, seq++, role, name(rng), rng));
        }
      }
    }
    return out;
  }

  private String name(SplittableRandom rng) {
    String n = Names.person(rng);
    String shared = names.putIfAbsent(n, n);
    return shared == null ? n : shared;
  }

  private Feature force(
      GridUnit grid, int index, int seq, ForcePlan role, String name, SplittableRandom rng) {
    boolean onDuty = rng.nextDouble() < role.onDutyShare;
    // on duty: a position from the last 15 minutes; off duty: the last one of the past 3 days
    long age =
        onDuty
            ? rng.nextLong(15 * Timeline.MINUTE)
            : Timeline.HOUR + rng.nextLong(3 * Timeline.DAY);
    return new Feature(
        PointIds.id(grid.districtCode(), grid.number(), seq),
        sampler.inside(index, rng),
        new Values(Catalogue.FORCES)
            .set("role", role.code)
            .set("on_duty", onDuty)
            .set("grid_code", grid.code())
            .set("name", name)
            .set("updated_at", Timeline.END - age)
            .set("code", PointIds.code(grid.code(), seq))
            .array(),
        false);
  }
}
