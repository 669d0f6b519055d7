package io.gridmap.importer.generate;

import io.gridmap.importer.geo.FixedGrid;
import io.gridmap.layers.geo.GroundMeasure;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Hotspot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Point;

/**
 * A year of events for one district, plus a planted hotspot when the district is one of those
 * chosen for the seed.
 *
 * <p>Where: a grid drawn in proportion to its residents (so dense areas report more per km²), then
 * a uniform point in it. When: {@link Timeline#reportTime} (day busier than night). Status follows
 * the age: a report is closed after a log-normal handling time (median 30 h, 45 min when urgent)
 * unless that runs past the year's end, then it is still in the loop (reported, accepted or on
 * site). Ids are district code × 10^7 + a sequence number.
 */
final class EventMaker {
  /** 250,000 reports a year over 32.05 million residents. */
  static final double EVENTS_PER_RESIDENT = 250_000 / 32_050_000.0;

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
  private long sequence;

  EventMaker(long seed, String districtCode, List<GridUnit> grids, PointSampler sampler) {
    this.seed = seed;
    this.districtCode = districtCode;
    this.grids = grids;
    this.sampler = sampler;
    this.cumulativePeople = new double[grids.size()];
    double sum = 0;
    for (int i = 0; i < grids.size(); i++) {
      sum += grids.get(i).population();
      cumulativePeople[i] = sum;
    }
  }

  /** The year's ordinary events. */
  List<Feature> events(long residents) {
    SplittableRandom rng = Rngs.of(seed, "events/" + districtCode);
    int n = (int) Math.round(residents * EVENTS_PER_RESIDENT);
    List<Feature> out = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      int g = populousGrid(rng);
      EventPlan c = EventPlan.draw(rng);
      long reported = Timeline.reportTime(rng, Timeline.START, Timeline.END);
      out.add(event(c, sampler.inside(g, rng), reported, grids.get(g), rng));
    }
    return out;
  }

  /**
   * A hotspot: 12-30 reports of one road category along a 300-700 m stretch (within 15 m of it),
   * inside a 2-5 week window.
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
      int count = 12 + rng.nextInt(19);
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
        out.add(event(c, FixedGrid.FACTORY.createPoint(p), reported, grids.get(at), rng));
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

  private Feature event(EventPlan c, Point p, long reported, GridUnit grid, SplittableRandom rng) {
    boolean urgent = rng.nextDouble() < (c.urgentShare > 0 ? c.urgentShare : 0.0) + 0.01;
    double median = urgent ? 45 * Timeline.MINUTE : 30 * Timeline.HOUR;
    long handling = Math.max(5 * Timeline.MINUTE, (long) (median * Math.exp(rng.nextGaussian())));
    long closedAt = reported + handling;
    String status;
    Long closed;
    if (closedAt < Timeline.END && rng.nextDouble() < 0.97) {
      status = "closed";
      closed = closedAt;
    } else {
      // still in the loop at the year's end: waiting for dispatch, or taken and being handled
      double d = rng.nextDouble();
      status = d < 0.4 ? "reported" : d < 0.7 ? "accepted" : "on_site";
      closed = null;
    }
    long id = Long.parseLong(districtCode) * 10_000_000L + (++sequence);
    return new Feature(
        id,
        p,
        new Values(Catalogue.EVENTS)
            .set("category", c.code)
            .set("board", c.board.code())
            .set("urgency", urgent ? "urgent" : "normal")
            .set("status", status)
            .set("reported_at", reported)
            .set("closed_at", closed)
            .set("grid_code", grid.code())
            .set("source", "generated")
            .set("pinned", false)
            .set("overdue", false)
            .set("updated_at", closed == null ? reported : closed)
            .set("revision", 1L)
            .array(),
        false);
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
