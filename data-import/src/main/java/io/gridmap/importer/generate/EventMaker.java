package io.gridmap.importer.generate;

import io.gridmap.importer.geo.FixedGrid;
import io.gridmap.layers.geo.GroundMeasure;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.EventCategory;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Hotspot;
import io.gridmap.layers.model.IncidentState;
import io.gridmap.layers.model.SiteCategory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Point;

/**
 * A year of events for one district, plus a planted hotspot when the district is one of those
 * chosen for the seed.
 *
 * <p>How many: {@link #EVENTS_PER_RESIDENT}. Where: a grid drawn in proportion to its residents (so
 * dense areas report more per km²), then a uniform point in it; a wristband alarm instead happens
 * at a home of an elderly person living alone, drawn among the district's, and is personal like the
 * home. When: {@link Timeline#reportTime} (day busier than night).
 *
 * <p>Status follows the age ({@link IncidentState}): a report is handled in a log-normal time
 * (median {@link #MEDIAN_HANDLING_HOURS} h, 45 min when urgent, three times as long when escalated
 * to a department) and is closed then; {@link #REJECTED_SHARE} are rejected within hours instead
 * (duplicates, pranks). Only a report whose handling runs past the year's end ({@link
 * Timeline#END}, the dataset's "now") is still in the loop there, at the step its elapsed share of
 * the handling time reaches: reported, dispatched, accepted, on site (or escalated), resolved,
 * verified. By Little's law that leaves about the mean handling time's worth of reports open (~23
 * hours, 0.26% of a year): 2,875 of the full city's 1.1 million for the default seed.
 *
 * <p>The loop's fields as generated history has them: source {@code generated}, revision 1, not
 * pinned, not overdue, {@code updated_at} the time of the last step, {@code assignee_id} the grid's
 * full-time worker from dispatch on, {@code department} once escalated. Ids are district code ×
 * 10^7 + a sequence number.
 */
final class EventMaker {
  /**
   * 1.1 million reports a year over 32.05 million residents. The seed's city settled 210,600
   * disputes in a quarter and served 500,000 requests in a year (1.34 million a year); we take the
   * same order, a little under, so the full city's year stays within the server's heap target.
   */
  static final double EVENTS_PER_RESIDENT = 1_100_000 / 32_050_000.0;

  /**
   * The ordinary reports' volume over the 250,000 a year of the generator that planted hotspots
   * were tuned on (12-30 reports stood out of those): planted hotspots grow with it.
   */
  static final double HOTSPOT_VOLUME = EVENTS_PER_RESIDENT / (250_000 / 32_050_000.0);

  /** Share of reports rejected (duplicates, pranks, outside the remit), closed without handling. */
  static final double REJECTED_SHARE = 0.03;

  /** Median handling time of a normal report, hours; an urgent one's is 45 minutes. */
  static final double MEDIAN_HANDLING_HOURS = 10;

  /** A report escalated to a department takes this many times as long. */
  static final double ESCALATED_SLOWER = 3;

  private static final String URGENT = "urgent";
  private static final String NORMAL = "normal";
  private static final String GENERATED = "generated";
  private static final Long REVISION = 1L;

  /** Categories that happen along a road: the kinds a hotspot repeats. */
  static final EventPlan[] ROAD_CATEGORIES = {
    EventPlan.MANHOLE_COVER, EventPlan.ROAD_DAMAGE, EventPlan.STREET_LIGHT_OUT,
    EventPlan.WATER_LEAK, EventPlan.GARBAGE_PILEUP, EventPlan.ILLEGAL_PARKING
  };

  private final long seed;
  private final String districtCode;
  private final List<GridUnit> grids;
  private final PointSampler sampler;
  private final double[] cumulativePeople;

  /** Each grid's full-time worker id, boxed once: the assignee of the grid's reports. */
  private final Long[] workerIds;

  private final List<Home> homes = new ArrayList<>();
  private long sequence;

  /** A home with devices: where its wristband's alarms happen, the values boxed once. */
  private record Home(Feature site, Long id, String wristband, int grid) {}

  /**
   * @param keySites the district's key sites: its homes of elderly people living alone receive the
   *     wristband alarms
   */
  EventMaker(
      long seed,
      String districtCode,
      List<GridUnit> grids,
      PointSampler sampler,
      List<Feature> keySites) {
    this.seed = seed;
    this.districtCode = districtCode;
    this.grids = grids;
    this.sampler = sampler;
    this.cumulativePeople = new double[grids.size()];
    this.workerIds = new Long[grids.size()];
    Map<String, Integer> gridIndex = new HashMap<>();
    double sum = 0;
    for (int i = 0; i < grids.size(); i++) {
      GridUnit g = grids.get(i);
      sum += g.population();
      cumulativePeople[i] = sum;
      workerIds[i] = PointIds.id(g.districtCode(), g.number(), 0);
      gridIndex.put(g.code(), i);
    }
    int category = Catalogue.KEY_SITES.requireField("category");
    int gridCode = Catalogue.KEY_SITES.requireField("grid_code");
    for (Feature site : keySites) {
      if (SiteCategory.ELDERLY_ALONE_HOME.code().equals(site.string(category))) {
        homes.add(
            new Home(
                site,
                site.id(),
                Devices.wristband(site.id()),
                gridIndex.get(site.string(gridCode))));
      }
    }
  }

  /** The year's ordinary events. */
  List<Feature> events(long residents) {
    SplittableRandom rng = Rngs.of(seed, "events/" + districtCode);
    int n = (int) Math.round(residents * EVENTS_PER_RESIDENT);
    List<Feature> out = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      EventPlan c = EventPlan.draw(rng);
      while (c.atHome() && homes.isEmpty()) {
        c = EventPlan.draw(rng); // a district too small to have a home of the elderly
      }
      long reported = Timeline.reportTime(rng, Timeline.START, Timeline.END);
      if (c.atHome()) {
        Home h = homes.get(rng.nextInt(homes.size()));
        Point at = FixedGrid.FACTORY.createPoint(h.site().geometry().getCoordinate().copy());
        out.add(event(c, at, reported, h.grid(), h, true, rng));
      } else {
        int g = populousGrid(rng);
        out.add(event(c, sampler.inside(g, rng), reported, g, null, true, rng));
      }
    }
    return out;
  }

  /**
   * A hotspot: 12-30 reports of one road category along a 300-700 m stretch (within 15 m of it),
   * inside a 2-5 week window, times {@link #HOTSPOT_VOLUME}: as many more as the ordinary reports
   * around it, so that it stands out of them as much as when it was tuned.
   */
  Hotspot plantHotspot(List<Feature> out) {
    SplittableRandom rng = Rngs.of(seed, "hotspot/" + districtCode);
    for (int attempt = 0; attempt < 500; attempt++) {
      int g = populousGrid(rng);
      Coordinate a = sampler.inside(g, rng).getCoordinate();
      double length = Rngs.between(rng, 300, 700);
      double bearing = rng.nextDouble() * 2 * Math.PI;
      Coordinate b = offset(a, length * Math.cos(bearing), length * Math.sin(bearing));
      if (!alongInside(a, b)) {
        continue;
      }
      EventPlan c = ROAD_CATEGORIES[rng.nextInt(ROAD_CATEGORIES.length)];
      int count = (int) Math.round((12 + rng.nextInt(19)) * HOTSPOT_VOLUME);
      long windowDays = 14 + rng.nextInt(22);
      long from = Timeline.START + Timeline.DAY * rng.nextLong(365 - windowDays);
      long to = from + windowDays * Timeline.DAY;
      Coordinate centre = FixedGrid.round(new Coordinate((a.x + b.x) / 2, (a.y + b.y) / 2));
      double radius = GroundMeasure.sphereMetres(centre, a) + 25;
      int placed = 0;
      String street = null;
      while (placed < count) {
        double t = rng.nextDouble();
        double lateral = Rngs.between(rng, -15, 15);
        Coordinate on = new Coordinate(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t);
        Coordinate p =
            FixedGrid.round(offset(on, lateral * -Math.sin(bearing), lateral * Math.cos(bearing)));
        int at = sampler.gridAt(p);
        if (at < 0 || GroundMeasure.sphereMetres(p, centre) > radius) {
          continue;
        }
        street = grids.get(at).streetName();
        long reported = Timeline.reportTime(rng, from, to);
        // never rejected: a planted hotspot is genuine reports, all of them counted
        out.add(event(c, FixedGrid.FACTORY.createPoint(p), reported, at, null, false, rng));
        placed++;
      }
      String description =
          String.format(
              Locale.ROOT,
              "%d reports of %s along a %.0f m stretch in %s, %s to %s",
              count,
              c.code,
              length,
              street,
              Instant.ofEpochMilli(from).atOffset(Timeline.CST).toLocalDate(),
              Instant.ofEpochMilli(to).atOffset(Timeline.CST).toLocalDate());
      return new Hotspot(c.code, centre.x, centre.y, radius, count, from, to, description);
    }
    throw new IllegalStateException(
        "district " + districtCode + ": found no stretch of road for a hotspot");
  }

  private boolean alongInside(Coordinate a, Coordinate b) {
    for (int i = 0; i <= 10; i++) {
      double t = i / 10.0;
      if (sampler.gridAt(
              FixedGrid.round(new Coordinate(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t)))
          < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * One report and where the loop has taken it by the year's end.
   *
   * @param g index of the grid it happened in
   * @param home the home whose wristband raised it, or null
   * @param mayReject false for reports that must all count (a planted hotspot's)
   */
  private Feature event(
      EventPlan c,
      Point p,
      long reported,
      int g,
      Home home,
      boolean mayReject,
      SplittableRandom rng) {
    boolean urgent = rng.nextDouble() < c.urgentShare + 0.01;
    boolean rejected = mayReject && rng.nextDouble() < REJECTED_SHARE;
    boolean escalates = !rejected && c.department != null && rng.nextDouble() < c.escalatedShare;
    long handling;
    if (rejected) {
      handling = 10 * Timeline.MINUTE + rng.nextLong(4 * Timeline.HOUR);
    } else {
      double median =
          (urgent ? 45 * Timeline.MINUTE : MEDIAN_HANDLING_HOURS * Timeline.HOUR)
              * (escalates ? ESCALATED_SLOWER : 1);
      handling = Math.max(5 * Timeline.MINUTE, (long) (median * Math.exp(rng.nextGaussian())));
    }
    Long reportedAt = reported; // boxed once; updated_at shares it while nothing happened since
    IncidentState state;
    Long closedAt = null;
    Long updatedAt;
    boolean departmentHasIt;
    if (reported + handling < Timeline.END) {
      state = rejected ? IncidentState.REJECTED : IncidentState.CLOSED;
      closedAt = reported + handling;
      updatedAt = closedAt;
      departmentHasIt = escalates;
    } else {
      // still in the loop at the year's end, at the step its elapsed share of the handling reached
      double elapsed = (double) (Timeline.END - reported) / handling;
      double since;
      if (rejected || elapsed < 0.1) {
        state = IncidentState.REPORTED; // waiting for the command centre (or its rejection)
        since = 0;
      } else if (elapsed < 0.2) {
        state = IncidentState.DISPATCHED;
        since = 0.1;
      } else if (elapsed < 0.35) {
        state = IncidentState.ACCEPTED;
        since = 0.2;
      } else if (elapsed < 0.85) {
        state = escalates ? IncidentState.ESCALATED : IncidentState.ON_SITE;
        since = 0.35;
      } else if (elapsed < 0.95) {
        state = IncidentState.RESOLVED;
        since = 0.85;
      } else {
        state = IncidentState.VERIFIED;
        since = 0.95;
      }
      updatedAt = since == 0 ? reportedAt : Long.valueOf(reported + (long) (since * handling));
      departmentHasIt = escalates && since >= 0.35;
    }
    boolean dispatched = state != IncidentState.REPORTED && state != IncidentState.REJECTED;
    long id = Long.parseLong(districtCode) * 10_000_000L + (++sequence);
    return new Feature(
        id,
        p,
        new Values(Catalogue.EVENTS)
            .set("category", c.code)
            .set("board", c.board.code())
            .set("urgency", urgent ? URGENT : NORMAL)
            .set("status", state.code())
            .set("reported_at", reportedAt)
            .set("closed_at", closedAt)
            .set("grid_code", grids.get(g).code())
            .set("source", GENERATED)
            .set("assignee_id", dispatched ? workerIds[g] : null)
            .set("department", departmentHasIt ? c.department.code() : null)
            .set("pinned", Boolean.FALSE)
            .set("overdue", Boolean.FALSE)
            .set("site_id", home == null ? null : home.id())
            .set("device_id", home == null ? null : home.wristband())
            .set("updated_at", updatedAt)
            .set("revision", REVISION)
            .array(),
        // an incident at a home is as personal as the home; so is a request for an elderly
        // resident's care, wherever it is placed
        home != null || c.code.equals(EventCategory.ELDERLY_CARE_REQUEST.code()));
  }

  private int populousGrid(SplittableRandom rng) {
    double x = rng.nextDouble() * cumulativePeople[cumulativePeople.length - 1];
    int i = Arrays.binarySearch(cumulativePeople, x);
    return Math.min(cumulativePeople.length - 1, i >= 0 ? i + 1 : -i - 1);
  }

  private static Coordinate offset(Coordinate c, double eastMetres, double northMetres) {
    double dLat = northMetres / GroundMeasure.SPHERE_METRES_PER_DEGREE;
    double dLon =
        eastMetres / (GroundMeasure.SPHERE_METRES_PER_DEGREE * Math.cos(Math.toRadians(c.y)));
    return new Coordinate(c.x + dLon, c.y + dLat);
  }
}
