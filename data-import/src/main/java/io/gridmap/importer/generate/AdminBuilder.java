package io.gridmap.importer.generate;

import io.gridmap.importer.clean.District;
import io.gridmap.importer.generate.plan.Apportion;
import io.gridmap.importer.generate.plan.DistrictPlan;
import io.gridmap.importer.generate.shape.Partitioner;
import io.gridmap.importer.geo.FixedGrid;
import io.gridmap.importer.geo.GroundMeasure;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Feature;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.operation.overlayng.OverlayNG;
import org.locationtech.jts.operation.overlayng.OverlayNGRobust;

/**
 * Draws one district's streets, villages and grids, and gives them codes, names, residents and
 * households.
 *
 * <p>Shapes: an urban core (a disc around the {@link Seat}, cut to the district) holds the
 * subdistricts; the rest holds towns and townships. Each is cut by the {@link Partitioner}, and so
 * is every street into its villages and every village into its grids. Because the core gets {@link
 * DistrictPlan#coreShare()} of the area, an urban grid covers about 1/25 of the ground of a rural
 * grid of the same district.
 */
final class AdminBuilder {
  /** Smallest urban unit: 2 ha. */
  static final double MIN_URBAN_M2 = 20_000;

  /** Smallest rural unit: 20 ha. */
  static final double MIN_RURAL_M2 = 200_000;

  /** Smallest community: room for its 5 grids at 2.5 times the smallest grid (25 ha). */
  static final double MIN_COMMUNITY_M2 = 5 * MIN_URBAN_M2 * 2.5;

  /** Smallest village: room for its 2 grids at 2.5 times the smallest grid (100 ha). */
  static final double MIN_VILLAGE_M2 = 2 * MIN_RURAL_M2 * 2.5;

  /** Lloyd iterations at every level. */
  static final int LLOYD = 2;

  private final District district;
  private final DistrictPlan plan;
  private final long seed;

  AdminBuilder(District district, DistrictPlan plan, long seed) {
    this.district = district;
    this.plan = plan;
    this.seed = seed;
  }

  private record Street(
      String code,
      String name,
      StreetKind kind,
      Geometry geometry,
      int communities,
      int villages,
      double densify) {}

  private record Unit(
      String code, String name, boolean community, Geometry geometry, Street street) {}

  AdminUnits build() {
    SplittableRandom rng = Rngs.of(seed, "streets/" + district.code());
    Geometry whole = district.geometry();
    Coordinate seat = Seat.of(district);

    Geometry core;
    Geometry rest;
    int ruralStreets = plan.streets() - plan.subdistricts();
    double area = GroundMeasure.areaM2(whole);
    double coreArea =
        ruralStreets == 0 ? area : plan.subdistricts() == 0 ? 0 : area * plan.coreShare();
    double densifyUrban = spacing(coreArea, plan.communityGrids(), 10, 200);
    double densifyRural = spacing(area - coreArea, plan.villageGrids(), 20, 400);
    if (plan.subdistricts() == 0) {
      core = null;
      rest = whole;
    } else if (ruralStreets == 0) {
      core = whole;
      rest = null;
    } else {
      List<Geometry> parts =
          carveCore(whole, seat, plan.coreShare(), densifyUrban, Wobble.draw(rng));
      core = parts.get(0);
      rest = parts.get(1);
    }

    List<Geometry> subShapes =
        core == null
            ? List.of()
            : new Partitioner(MIN_URBAN_M2, densifyUrban, LLOYD)
                .partition(core, plan.subdistricts(), rng);
    List<Geometry> ruralShapes =
        rest == null
            ? List.of()
            : new Partitioner(MIN_RURAL_M2, densifyRural, LLOYD).partition(rest, ruralStreets, rng);

    // townships are the rural streets farthest from the seat
    List<Integer> byDistance = new ArrayList<>();
    for (int i = 0; i < ruralShapes.size(); i++) {
      byDistance.add(i);
    }
    Point seatPoint = FixedGrid.FACTORY.createPoint(seat);
    byDistance.sort(Comparator.comparingDouble(i -> -ruralShapes.get(i).distance(seatPoint)));
    boolean[] township = new boolean[ruralShapes.size()];
    for (int k = 0; k < plan.townships() && k < byDistance.size(); k++) {
      township[byDistance.get(k)] = true;
    }

    // how many communities and villages each street holds: in proportion to its area, give or take
    // 20%, and no more than fit at their smallest size
    int n = subShapes.size() + ruralShapes.size();
    double[] areas = new double[n];
    double[] weights = new double[n];
    for (int i = 0; i < n; i++) {
      areas[i] =
          GroundMeasure.areaM2(
              i < subShapes.size() ? subShapes.get(i) : ruralShapes.get(i - subShapes.size()));
      weights[i] = areas[i] * Rngs.between(rng, 0.8, 1.2);
    }
    long[] communities = new long[n];
    long[] villages = new long[n];
    spread(
        plan.communities(),
        weights,
        areas,
        MIN_COMMUNITY_M2 * 1.5,
        0,
        subShapes.size(),
        n,
        communities);
    spread(plan.villages(), weights, areas, MIN_VILLAGE_M2 * 1.5, subShapes.size(), n, n, villages);

    List<Street> streets = new ArrayList<>(n);
    Names streetNames = new Names();
    for (int i = 0; i < n; i++) {
      boolean sub = i < subShapes.size();
      StreetKind kind =
          sub
              ? StreetKind.SUBDISTRICT
              : township[i - subShapes.size()] ? StreetKind.TOWNSHIP : StreetKind.TOWN;
      Geometry g = sub ? subShapes.get(i) : ruralShapes.get(i - subShapes.size());
      String code = district.code() + String.format("%03d", i + 1);
      String name = streetNames.uniquePlace(rng) + kind.suffix();
      streets.add(
          new Street(
              code,
              name,
              kind,
              g,
              (int) communities[i],
              (int) villages[i],
              sub ? densifyUrban : densifyRural));
    }

    // villages: shapes per street; communities are the units nearest the district's seat
    List<Unit> units = new ArrayList<>(plan.units());
    for (Street street : streets) {
      SplittableRandom srng = Rngs.of(seed, "villages/" + street.code());
      int count = street.communities() + street.villages();
      double minUnit = street.villages() > 0 ? MIN_VILLAGE_M2 : MIN_COMMUNITY_M2;
      List<Geometry> shapes =
          new Partitioner(minUnit, street.densify(), LLOYD)
              .partition(street.geometry(), count, srng);
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        order.add(i);
      }
      order.sort(Comparator.comparingDouble(i -> shapes.get(i).distance(seatPoint)));
      boolean[] isCommunity = new boolean[count];
      for (int k = 0; k < street.communities(); k++) {
        isCommunity[order.get(k)] = true;
      }
      Names unitNames = new Names();
      for (int u = 0; u < count; u++) {
        String ucode = street.code() + String.format("%03d", u + 1);
        String uname = unitNames.uniquePlace(srng) + (isCommunity[u] ? "社区" : "村");
        units.add(new Unit(ucode, uname, isCommunity[u], shapes.get(u), street));
      }
    }

    // grids per unit in proportion to its area (so grids of one kind are alike in size), then
    // residents per grid; both apportioned exactly so the sums are the plan's
    List<Unit> communityUnits = units.stream().filter(Unit::community).toList();
    List<Unit> villageUnits = units.stream().filter(u -> !u.community()).toList();
    long[] communityGrids = gridCounts(communityUnits, plan.communityGrids(), 5, 15, rng);
    long[] villageGrids = gridCounts(villageUnits, plan.villageGrids(), 2, 5, rng);
    long[] communityGridPeople =
        Apportion.byWeight(
            plan.communityPopulation(), randomWeights(rng, plan.communityGrids()), 1);
    long[] villageGridPeople =
        Apportion.byWeight(plan.villagePopulation(), randomWeights(rng, plan.villageGrids()), 1);

    List<Feature> streetFeatures = new ArrayList<>();
    List<Feature> villageFeatures = new ArrayList<>();
    List<Feature> gridFeatures = new ArrayList<>();
    List<GridUnit> gridUnits = new ArrayList<>();
    int nextCommunity = 0;
    int nextVillage = 0;
    int nextCommunityGrid = 0;
    int nextVillageGrid = 0;
    long districtPeople = 0;
    long districtHouseholds = 0;
    int nextUnit = 0;
    for (Street street : streets) {
      long streetPeople = 0;
      long streetHouseholds = 0;
      Geometry busiestGrid = null;
      long busiestPeople = -1;
      while (nextUnit < units.size() && units.get(nextUnit).street() == street) {
        Unit unit = units.get(nextUnit++);
        boolean community = unit.community();
        int grids =
            (int) (community ? communityGrids[nextCommunity++] : villageGrids[nextVillage++]);
        String ucode = unit.code();
        SplittableRandom urng = Rngs.of(seed, "grids/" + ucode);
        List<Geometry> gridShapes =
            new Partitioner(community ? MIN_URBAN_M2 : MIN_RURAL_M2, 0, LLOYD)
                .partition(unit.geometry(), grids, urng);
        long unitPeople = 0;
        long unitHouseholds = 0;
        for (int g = 0; g < grids; g++) {
          String gcode = ucode + String.format("%03d", g + 1);
          long people =
              community
                  ? communityGridPeople[nextCommunityGrid++]
                  : villageGridPeople[nextVillageGrid++];
          long households = Math.max(1, Math.round(people / Rngs.between(urng, 2.5, 3.0)));
          int number = gridUnits.size() + 1; // in the district
          long workerId = PointIds.id(district.code(), number, 0);
          String worker = Names.person(urng);
          Geometry gg = gridShapes.get(g);
          gridFeatures.add(
              new Feature(
                  Long.parseLong(gcode),
                  gg,
                  new Values(Catalogue.GRIDS)
                      .set("code", gcode)
                      .set("name", "第" + (g + 1) + "网格")
                      .set("village_code", ucode)
                      .set("street_code", street.code())
                      .set("district_code", district.code())
                      .set("population", people)
                      .set("households", households)
                      .set("worker_id", workerId)
                      .set("worker_name", worker)
                      .array(),
                  false));
          gridUnits.add(
              new GridUnit(
                  gcode,
                  number,
                  ucode,
                  street.code(),
                  district.code(),
                  street.name(),
                  community,
                  gg,
                  people,
                  worker));
          unitPeople += people;
          unitHouseholds += households;
          if (people > busiestPeople) {
            busiestPeople = people;
            busiestGrid = gg;
          }
        }
        villageFeatures.add(
            new Feature(
                Long.parseLong(ucode),
                unit.geometry(),
                new Values(Catalogue.VILLAGES)
                    .set("code", ucode)
                    .set("name", unit.name())
                    .set("kind", community ? "community" : "village")
                    .set("street_code", street.code())
                    .set("district_code", district.code())
                    .set("population", unitPeople)
                    .set("households", unitHouseholds)
                    .array(),
                false));
        streetPeople += unitPeople;
        streetHouseholds += unitHouseholds;
      }
      // the command centre stands in the street's most populous grid
      Coordinate centre = busiestGrid.getInteriorPoint().getCoordinate();
      streetFeatures.add(
          new Feature(
              Long.parseLong(street.code()),
              street.geometry(),
              new Values(Catalogue.STREETS)
                  .set("code", street.code())
                  .set("name", street.name())
                  .set("kind", street.kind().code())
                  .set("district_code", district.code())
                  .set("population", streetPeople)
                  .set("households", streetHouseholds)
                  .set("centre_lon", centre.x)
                  .set("centre_lat", centre.y)
                  .array(),
              false));
      districtPeople += streetPeople;
      districtHouseholds += streetHouseholds;
    }
    if (nextCommunity + nextVillage != plan.units()
        || nextCommunityGrid + nextVillageGrid != plan.grids()) {
      throw new IllegalStateException(
          "district "
              + district.code()
              + ": placed "
              + (nextCommunity + nextVillage)
              + " units of "
              + plan.units());
    }
    Feature districtFeature =
        new Feature(
            Long.parseLong(district.code()),
            district.geometry(),
            new Values(Catalogue.DISTRICTS)
                .set("code", district.code())
                .set("name", district.name())
                .set("population", districtPeople)
                .set("households", districtHouseholds)
                .set("urban", district.mainUrban())
                .array(),
            false);
    return new AdminUnits(
        districtFeature, streetFeatures, villageFeatures, gridFeatures, gridUnits);
  }

  /**
   * Spreads {@code total} units over streets [from, to), each at least 1 and at most as many as fit
   * at {@code unitArea}; over all streets (from 0) when that range is empty.
   */
  private static void spread(
      int total,
      double[] weights,
      double[] areas,
      double unitArea,
      int from,
      int to,
      int n,
      long[] out) {
    if (total == 0) {
      return;
    }
    int lo = from < to ? from : 0;
    int hi = from < to ? to : n;
    long[] min = filled(hi - lo, from < to ? 1 : 0);
    long[] max = new long[hi - lo];
    long room = 0;
    for (int i = lo; i < hi; i++) {
      max[i - lo] = Math.max(min[i - lo], (long) Math.floor(areas[i] / unitArea));
      room += max[i - lo];
    }
    if (room < total) {
      java.util.Arrays.fill(max, Long.MAX_VALUE / 4); // too tight to honour: keep the count exact
    }
    long[] parts =
        Apportion.bounded(total, java.util.Arrays.copyOfRange(weights, lo, hi), min, max);
    System.arraycopy(parts, 0, out, lo, parts.length);
  }

  /** Grids per unit in proportion to area (give or take 15%), within [lo, hi] each. */
  private static long[] gridCounts(
      List<Unit> units, int total, long lo, long hi, SplittableRandom rng) {
    double[] w = new double[units.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = GroundMeasure.areaM2(units.get(i).geometry()) * Rngs.between(rng, 0.85, 1.15);
    }
    long[] out = Apportion.bounded(total, w, filled(w.length, lo), filled(w.length, hi));
    if (java.util.Arrays.stream(out).sum() != total) {
      throw new IllegalStateException(
          "cannot fit " + total + " grids into " + w.length + " units of " + lo + "-" + hi);
    }
    return out;
  }

  private static double[] randomWeights(SplittableRandom rng, int n) {
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = Rngs.between(rng, 0.7, 1.3);
    }
    return w;
  }

  private static long[] filled(int n, long v) {
    long[] a = new long[n];
    java.util.Arrays.fill(a, v);
    return a;
  }

  /** Densify spacing: a fifth of the width of an average grid of the region, within bounds. */
  private static double spacing(double areaM2, int grids, double min, double max) {
    if (areaM2 <= 0 || grids == 0) {
      return max;
    }
    double width = Math.sqrt(areaM2 / grids);
    return Math.max(min, Math.min(max, width / 5));
  }

  /**
   * The district cut into its core (a disc around the seat holding {@code share} of the area) and
   * the rest.
   */
  private static List<Geometry> carveCore(
      Geometry district, Coordinate seat, double share, double densify, Wobble wobble) {
    double target = GroundMeasure.areaM2(district) * share;
    double lo = 0;
    double hi = 0;
    for (Coordinate c : district.getEnvelope().getCoordinates()) {
      hi = Math.max(hi, GroundMeasure.distanceM(seat, c));
    }
    for (int it = 0; it < 30; it++) {
      double mid = (lo + hi) / 2;
      double area = GroundMeasure.areaM2(intersection(district, disc(seat, mid, wobble)));
      if (area < target) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    Partitioner carver = new Partitioner(0, densify, 0);
    return carver.carve(district, disc(seat, hi, wobble));
  }

  private static Geometry intersection(Geometry a, Geometry b) {
    try {
      return OverlayNG.overlay(a, b, OverlayNG.INTERSECTION);
    } catch (RuntimeException e) {
      return OverlayNGRobust.overlay(a, b, OverlayNG.INTERSECTION);
    }
  }

  /**
   * The radius of a town's built-up area wobbles with the direction: a few low harmonics (2, 3 and
   * 5 lobes, up to ±25% together), so the core reads as a town rather than a compass circle.
   */
  record Wobble(double[] amplitude, double[] phase) {
    static final int[] LOBES = {2, 3, 5};

    static Wobble draw(SplittableRandom rng) {
      double[] a = {
        Rngs.between(rng, 0.05, 0.12), Rngs.between(rng, 0.03, 0.08), Rngs.between(rng, 0.01, 0.05)
      };
      double[] p = {
        rng.nextDouble() * 2 * Math.PI,
        rng.nextDouble() * 2 * Math.PI,
        rng.nextDouble() * 2 * Math.PI
      };
      return new Wobble(a, p);
    }

    double factor(double angle) {
      double f = 1;
      for (int k = 0; k < LOBES.length; k++) {
        f += amplitude[k] * Math.cos(LOBES[k] * angle + phase[k]);
      }
      return f;
    }
  }

  /** A 64-gon of ground radius about r metres around c, in lon/lat. */
  static Polygon disc(Coordinate c, double r, Wobble wobble) {
    Coordinate[] ring = new Coordinate[65];
    double dLat = r / GroundMeasure.METRES_PER_DEGREE;
    double dLon = dLat / Math.cos(Math.toRadians(c.y));
    for (int i = 0; i < 64; i++) {
      double a = 2 * Math.PI * i / 64;
      double f = wobble.factor(a);
      ring[i] = new Coordinate(c.x + f * dLon * Math.cos(a), c.y + f * dLat * Math.sin(a));
    }
    ring[64] = ring[0];
    return new GeometryFactory().createPolygon(ring);
  }
}
