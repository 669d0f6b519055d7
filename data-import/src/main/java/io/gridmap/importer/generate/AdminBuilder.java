package io.gridmap.importer.generate;

import io.gridmap.importer.clean.District;
import io.gridmap.importer.generate.plan.Apportion;
import io.gridmap.importer.generate.plan.DistrictPlan;
import io.gridmap.importer.generate.shape.Partitioner;
import io.gridmap.importer.geo.FixedGrid;
import io.gridmap.layers.geo.GroundMeasure;
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

  /**
   * The district's urban core (for the subdistricts, null when it has none) and the rest (for towns
   * and townships, null when it has none), with the densify spacing of each.
   */
  private record Regions(Geometry core, Geometry rest, double densifyUrban, double densifyRural) {}

  /**
   * Grids per community and per village, and residents per grid, in the order the units and grids
   * are made.
   */
  private record GridQuotas(
      long[] communityGrids,
      long[] villageGrids,
      long[] communityGridPeople,
      long[] villageGridPeople) {}

  /** Residents and households summed over grids. */
  private record Headcount(long people, long households) {
    static final Headcount ZERO = new Headcount(0, 0);

    Headcount plus(Headcount other) {
      return new Headcount(people + other.people, households + other.households);
    }
  }

  /**
   * Draws the district. The steps run in the order they draw from the district's random stream
   * ({@code streets/<code>}): the core's wobble, the street cuts, the streets' weights and names,
   * then the grid quotas. Villages and grids draw from streams of their own, keyed by the parent's
   * code.
   */
  AdminUnits build() {
    SplittableRandom rng = Rngs.of(seed, "streets/" + district.code());
    Coordinate seat = Seat.of(district);
    Point seatPoint = FixedGrid.FACTORY.createPoint(seat);
    Regions regions = splitUrbanCore(seat, rng);
    List<Geometry> subdistricts =
        cut(regions.core(), plan.subdistricts(), MIN_URBAN_M2, regions.densifyUrban(), rng);
    List<Geometry> rural =
        cut(
            regions.rest(),
            plan.streets() - plan.subdistricts(),
            MIN_RURAL_M2,
            regions.densifyRural(),
            rng);
    boolean[] township = farthestFrom(seatPoint, rural, plan.townships());
    List<Street> streets = makeStreets(subdistricts, rural, township, regions, rng);
    List<List<Unit>> units = new ArrayList<>(streets.size());
    for (Street street : streets) {
      units.add(cutIntoUnits(street, seatPoint));
    }
    GridQuotas quotas = gridQuotas(units.stream().flatMap(List::stream).toList(), rng);
    return new FeatureMaker(quotas).make(streets, units);
  }

  /**
   * Carves the urban core out of the district when it has both subdistricts and rural streets;
   * otherwise the whole district is the one region it needs.
   */
  private Regions splitUrbanCore(Coordinate seat, SplittableRandom rng) {
    Geometry whole = district.geometry();
    int ruralStreets = plan.streets() - plan.subdistricts();
    double area = GroundMeasure.sinusoidalAreaM2(whole);
    double coreArea =
        ruralStreets == 0 ? area : plan.subdistricts() == 0 ? 0 : area * plan.coreShare();
    double densifyUrban = spacing(coreArea, plan.communityGrids(), 10, 200);
    double densifyRural = spacing(area - coreArea, plan.villageGrids(), 20, 400);
    if (plan.subdistricts() == 0) {
      return new Regions(null, whole, densifyUrban, densifyRural);
    }
    if (ruralStreets == 0) {
      return new Regions(whole, null, densifyUrban, densifyRural);
    }
    List<Geometry> parts = carveCore(whole, seat, plan.coreShare(), densifyUrban, Wobble.draw(rng));
    return new Regions(parts.get(0), parts.get(1), densifyUrban, densifyRural);
  }

  /** A region cut into {@code n} streets; none when there is no region. */
  private static List<Geometry> cut(
      Geometry region, int n, double minM2, double densify, SplittableRandom rng) {
    return region == null
        ? List.of()
        : new Partitioner(minM2, densify, LLOYD).partition(region, n, rng);
  }

  /** Marks the {@code count} shapes farthest from the seat: the townships among rural streets. */
  private static boolean[] farthestFrom(Point seat, List<Geometry> shapes, int count) {
    List<Integer> byDistance = new ArrayList<>();
    for (int i = 0; i < shapes.size(); i++) {
      byDistance.add(i);
    }
    byDistance.sort(Comparator.comparingDouble(i -> -shapes.get(i).distance(seat)));
    boolean[] farthest = new boolean[shapes.size()];
    for (int k = 0; k < count && k < byDistance.size(); k++) {
      farthest[byDistance.get(k)] = true;
    }
    return farthest;
  }

  /**
   * The streets, subdistricts first: kind, code, name and how many communities and villages each
   * holds (in proportion to its area, give or take 20%, and no more than fit at their smallest
   * size).
   */
  private List<Street> makeStreets(
      List<Geometry> subdistricts,
      List<Geometry> rural,
      boolean[] township,
      Regions regions,
      SplittableRandom rng) {
    int urban = subdistricts.size();
    int n = urban + rural.size();
    double[] areas = new double[n];
    double[] weights = new double[n];
    for (int i = 0; i < n; i++) {
      areas[i] =
          GroundMeasure.sinusoidalAreaM2(i < urban ? subdistricts.get(i) : rural.get(i - urban));
      weights[i] = areas[i] * Rngs.between(rng, 0.8, 1.2);
    }
    long[] communities = new long[n];
    long[] villages = new long[n];
    spread(plan.communities(), weights, areas, MIN_COMMUNITY_M2 * 1.5, 0, urban, n, communities);
    spread(plan.villages(), weights, areas, MIN_VILLAGE_M2 * 1.5, urban, n, n, villages);

    List<Street> streets = new ArrayList<>(n);
    Names names = new Names();
    for (int i = 0; i < n; i++) {
      boolean sub = i < urban;
      StreetKind kind =
          sub
              ? StreetKind.SUBDISTRICT
              : township[i - urban] ? StreetKind.TOWNSHIP : StreetKind.TOWN;
      String code = district.code() + String.format("%03d", i + 1);
      streets.add(
          new Street(
              code,
              names.uniquePlace(rng) + kind.suffix(),
              kind,
              sub ? subdistricts.get(i) : rural.get(i - urban),
              (int) communities[i],
              (int) villages[i],
              sub ? regions.densifyUrban() : regions.densifyRural()));
    }
    return streets;
  }

  /**
   * A street cut into its communities and villages, with codes and names; the units nearest the
   * district's seat are the communities.
   */
  private List<Unit> cutIntoUnits(Street street, Point seat) {
    SplittableRandom rng = Rngs.of(seed, "villages/" + street.code());
    int count = street.communities() + street.villages();
    double minUnit = street.villages() > 0 ? MIN_VILLAGE_M2 : MIN_COMMUNITY_M2;
    List<Geometry> shapes =
        new Partitioner(minUnit, street.densify(), LLOYD).partition(street.geometry(), count, rng);
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      order.add(i);
    }
    order.sort(Comparator.comparingDouble(i -> shapes.get(i).distance(seat)));
    boolean[] isCommunity = new boolean[count];
    for (int k = 0; k < street.communities(); k++) {
      isCommunity[order.get(k)] = true;
    }
    List<Unit> units = new ArrayList<>(count);
    Names names = new Names();
    for (int u = 0; u < count; u++) {
      String code = street.code() + String.format("%03d", u + 1);
      String name = names.uniquePlace(rng) + (isCommunity[u] ? "社区" : "村");
      units.add(new Unit(code, name, isCommunity[u], shapes.get(u), street));
    }
    return units;
  }

  /**
   * Grids per unit in proportion to its area (so grids of one kind are alike in size), then
   * residents per grid; both apportioned exactly so the sums are the plan's.
   */
  private GridQuotas gridQuotas(List<Unit> units, SplittableRandom rng) {
    List<Unit> communityUnits = units.stream().filter(Unit::community).toList();
    List<Unit> villageUnits = units.stream().filter(u -> !u.community()).toList();
    long[] communityGrids = gridCounts(communityUnits, plan.communityGrids(), 5, 15, rng);
    long[] villageGrids = gridCounts(villageUnits, plan.villageGrids(), 2, 5, rng);
    long[] communityGridPeople =
        Apportion.byWeight(
            plan.communityPopulation(), randomWeights(rng, plan.communityGrids()), 1);
    long[] villageGridPeople =
        Apportion.byWeight(plan.villagePopulation(), randomWeights(rng, plan.villageGrids()), 1);
    return new GridQuotas(communityGrids, villageGrids, communityGridPeople, villageGridPeople);
  }

  /**
   * Cuts every unit into its grids and makes the features of all four levels, taking grid counts
   * and residents from the quotas in order and summing residents and households upward.
   */
  private final class FeatureMaker {
    private final GridQuotas quotas;
    private final List<Feature> streetFeatures = new ArrayList<>();
    private final List<Feature> villageFeatures = new ArrayList<>();
    private final List<Feature> gridFeatures = new ArrayList<>();
    private final List<GridUnit> gridUnits = new ArrayList<>();
    private int nextCommunity;
    private int nextVillage;
    private int nextCommunityGrid;
    private int nextVillageGrid;

    /** The current street's most populous grid so far (the first of equals), and its residents. */
    private Geometry busiestGrid;

    private long busiestPeople;

    FeatureMaker(GridQuotas quotas) {
      this.quotas = quotas;
    }

    AdminUnits make(List<Street> streets, List<List<Unit>> units) {
      Headcount total = Headcount.ZERO;
      for (int i = 0; i < streets.size(); i++) {
        total = total.plus(street(streets.get(i), units.get(i)));
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
                  .set("population", total.people())
                  .set("households", total.households())
                  .set("urban", district.mainUrban())
                  .array(),
              false);
      return new AdminUnits(
          districtFeature, streetFeatures, villageFeatures, gridFeatures, gridUnits);
    }

    /**
     * A street's units and grids, then the street, whose command centre stands in its busiest grid.
     */
    private Headcount street(Street street, List<Unit> units) {
      busiestGrid = null;
      busiestPeople = -1;
      Headcount sum = Headcount.ZERO;
      for (Unit unit : units) {
        sum = sum.plus(unit(unit));
      }
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
                  .set("population", sum.people())
                  .set("households", sum.households())
                  .set("centre_lon", centre.x)
                  .set("centre_lat", centre.y)
                  .array(),
              false));
      return sum;
    }

    /** A unit cut into its grids ({@code grids/<unit code>} stream), then the unit. */
    private Headcount unit(Unit unit) {
      boolean community = unit.community();
      int grids =
          (int)
              (community
                  ? quotas.communityGrids()[nextCommunity++]
                  : quotas.villageGrids()[nextVillage++]);
      SplittableRandom rng = Rngs.of(seed, "grids/" + unit.code());
      List<Geometry> shapes =
          new Partitioner(community ? MIN_URBAN_M2 : MIN_RURAL_M2, 0, LLOYD)
              .partition(unit.geometry(), grids, rng);
      Headcount sum = Headcount.ZERO;
      for (int g = 0; g < grids; g++) {
        sum = sum.plus(grid(unit, g, shapes.get(g), rng));
      }
      villageFeatures.add(
          new Feature(
              Long.parseLong(unit.code()),
              unit.geometry(),
              new Values(Catalogue.VILLAGES)
                  .set("code", unit.code())
                  .set("name", unit.name())
                  .set("kind", community ? "community" : "village")
                  .set("street_code", unit.street().code())
                  .set("district_code", district.code())
                  .set("population", sum.people())
                  .set("households", sum.households())
                  .array(),
              false));
      return sum;
    }

    /** Grid {@code g} of a unit: residents from the quota, households and worker drawn. */
    private Headcount grid(Unit unit, int g, Geometry shape, SplittableRandom rng) {
      Street street = unit.street();
      String code = unit.code() + String.format("%03d", g + 1);
      long people =
          unit.community()
              ? quotas.communityGridPeople()[nextCommunityGrid++]
              : quotas.villageGridPeople()[nextVillageGrid++];
      long households = Math.max(1, Math.round(people / Rngs.between(rng, 2.5, 3.0)));
      int number = gridUnits.size() + 1; // in the district
      long workerId = PointIds.id(district.code(), number, 0);
      String worker = Names.person(rng);
      gridFeatures.add(
          new Feature(
              Long.parseLong(code),
              shape,
              new Values(Catalogue.GRIDS)
                  .set("code", code)
                  .set("name", "第" + (g + 1) + "网格")
                  .set("village_code", unit.code())
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
              code,
              number,
              unit.code(),
              street.code(),
              district.code(),
              street.name(),
              unit.community(),
              shape,
              people,
              worker));
      if (people > busiestPeople) {
        busiestPeople = people;
        busiestGrid = shape;
      }
      return new Headcount(people, households);
    }
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
      w[i] =
          GroundMeasure.sinusoidalAreaM2(units.get(i).geometry()) * Rngs.between(rng, 0.85, 1.15);
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
    double target = GroundMeasure.sinusoidalAreaM2(district) * share;
    double lo = 0;
    double hi = 0;
    for (Coordinate c : district.getEnvelope().getCoordinates()) {
      hi = Math.max(hi, GroundMeasure.sphereMetres(seat, c));
    }
    for (int it = 0; it < 30; it++) {
      double mid = (lo + hi) / 2;
      double area = GroundMeasure.sinusoidalAreaM2(intersection(district, disc(seat, mid, wobble)));
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
    double dLat = r / GroundMeasure.SPHERE_METRES_PER_DEGREE;
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
