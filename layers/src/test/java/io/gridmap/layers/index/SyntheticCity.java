package io.gridmap.layers.index;

import io.gridmap.layers.geo.WebMercator;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.DatasetMetadata;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Generalised;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.model.LayerDef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.locationtech.jts.coverage.CoverageSimplifier;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.Polygonal;
import org.locationtech.jts.geom.PrecisionModel;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.locationtech.jts.geom.util.PolygonExtracter;
import org.locationtech.jts.operation.overlayng.OverlayNG;
import org.locationtech.jts.triangulate.VoronoiDiagramBuilder;

/**
 * A deterministic synthetic city for tests and benchmarks: nested Voronoi coverages (districts,
 * streets, villages, grids, each cell clipped to its parent) around Chongqing, points inside the
 * grids, and per-zoom generalised polygons made the way the generator makes them (project, then
 * {@link CoverageSimplifier} at half a pixel, dropping units smaller than a pixel).
 *
 * <p>Grids are picked uniformly for points, so small (urban) grids end up dense, as in the real
 * city. Some key sites are personal (homes of elderly people living alone) and every force and grid
 * carries a personal name, so tests can check none leaks.
 */
public final class SyntheticCity {
  private SyntheticCity() {}

  /**
   * What to generate.
   *
   * @param seed random seed
   * @param lonLat area of the city
   * @param districts number of districts
   * @param streetsPerDistrict, villagesPerStreet, gridsPerVillage children per parent
   * @param events number of events; {@code urgentShare} of them urgent
   * @param keySites number of key sites; {@code personalShare} of them personal
   * @param forces number of forces
   * @param generalise whether to fill {@link Generalised} (else the index projects originals)
   */
  public record Spec(
      long seed,
      Envelope lonLat,
      int districts,
      int streetsPerDistrict,
      int villagesPerStreet,
      int gridsPerVillage,
      int events,
      int keySites,
      int forces,
      double urgentShare,
      double personalShare,
      boolean generalise) {}

  /** Events are reported from here (epoch ms, 2023-11-14) ... */
  public static final long REPORTED_FROM = 1_700_000_000_000L;

  /**
   * ... to here (2024-03-09): the city's "now", for tiles that show finished incidents of a recent
   * window (about one closed event in sixteen falls within a week of it).
   */
  public static final long NOW = REPORTED_FROM + 10_000_000_000L;

  /** About 240 grids and 4,200 points around central Chongqing: small enough for unit tests. */
  public static Spec small() {
    return new Spec(
        42,
        new Envelope(106.40, 106.70, 29.45, 29.65),
        3,
        4,
        4,
        5,
        3000,
        600,
        600,
        0.03,
        0.1,
        true);
  }

  /**
   * The scale of the real city: 38 districts, ~1k streets, ~11k villages, ~68k grids, 500k points.
   */
  public static Spec fullCity() {
    return new Spec(
        7,
        new Envelope(105.29, 110.20, 28.16, 32.20),
        38,
        27,
        11,
        6,
        250_000,
        100_000,
        150_000,
        0.02,
        0.05,
        true);
  }

  private static final GeometryFactory GF = new GeometryFactory(new PrecisionModel(1e7));
  private static final String[] EVENT_CATEGORIES = {
    "manhole_cover",
    "garbage",
    "noise",
    "road_damage",
    "illegal_parking",
    "water_leak",
    "street_light",
    "dispute"
  };
  private static final double[] EVENT_WEIGHTS = {0.3, 0.2, 0.15, 0.1, 0.1, 0.07, 0.05, 0.03};
  private static final String[] EVENT_BOARDS = {
    "safety_law",
    "livelihood",
    "livelihood",
    "economy",
    "safety_law",
    "livelihood",
    "livelihood",
    "party_building"
  };
  private static final String[] SITE_CATEGORIES = {
    "school", "clinic", "canteen", "enterprise", "fire_lane"
  };
  private static final String[] ROLES = {
    "grid_worker", "part_timer", "police", "utility", "party_member", "volunteer"
  };

  public static Dataset generate(Spec spec) {
    SplittableRandom rnd = new SplittableRandom(spec.seed());
    Geometry city = GF.toGeometry(spec.lonLat());
    List<Unit> districts = split(List.of(new Unit(500L, city)), spec.districts(), 3, rnd, 0.3);
    List<Unit> streets = split(districts, spec.streetsPerDistrict(), 3, rnd, 0);
    List<Unit> villages = split(streets, spec.villagesPerStreet(), 3, rnd, 0);
    List<Unit> grids = split(villages, spec.gridsPerVillage(), 3, rnd, 0);

    List<Layer> layers = new ArrayList<>();
    layers.add(
        new Layer(Catalogue.DISTRICTS, adminFeatures(Catalogue.DISTRICTS, districts, "区", rnd)));
    layers.add(new Layer(Catalogue.STREETS, adminFeatures(Catalogue.STREETS, streets, "街道", rnd)));
    layers.add(
        new Layer(Catalogue.VILLAGES, adminFeatures(Catalogue.VILLAGES, villages, "社区", rnd)));
    layers.add(new Layer(Catalogue.GRIDS, adminFeatures(Catalogue.GRIDS, grids, "网格", rnd)));
    layers.add(
        new Layer(Catalogue.EVENTS, points(Catalogue.EVENTS, grids, spec.events(), spec, rnd)));
    layers.add(
        new Layer(
            Catalogue.KEY_SITES, points(Catalogue.KEY_SITES, grids, spec.keySites(), spec, rnd)));
    layers.add(
        new Layer(Catalogue.FORCES, points(Catalogue.FORCES, grids, spec.forces(), spec, rnd)));

    Generalised generalised = Generalised.empty();
    if (spec.generalise()) {
      for (Layer l : layers.subList(0, 4)) {
        generalise(l, generalised);
      }
    }
    Map<String, Integer> counts = new HashMap<>();
    layers.forEach(l -> counts.put(l.name(), l.size()));
    DatasetMetadata meta =
        new DatasetMetadata(
            "synthetic",
            spec.seed(),
            1.0,
            List.of(),
            "2025-01-01T00:00:00Z",
            counts,
            List.of(),
            Map.of());
    return Dataset.of(layers, meta, generalised);
  }

  /** Projects a coverage layer and simplifies it per zoom as one coverage. */
  public static void generalise(Layer layer, Generalised into) {
    List<Feature> fs = layer.features();
    Geometry[] projected = new Geometry[fs.size()];
    IntStream.range(0, fs.size())
        .parallel()
        .forEach(i -> projected[i] = WebMercator.project(fs.get(i).geometry()));
    LayerDef def = layer.def();
    IntStream.rangeClosed(def.minZoom(), def.maxZoom())
        .parallel()
        .forEach(
            z -> {
              double pixel = 2 * WebMercator.HALF_WORLD / 256 / (1 << z);
              Geometry[] simplified;
              try {
                simplified = CoverageSimplifier.simplify(projected, pixel / 2);
              } catch (RuntimeException e) {
                simplified = projected;
              }
              Map<Long, Geometry> byId = new HashMap<>();
              for (int i = 0; i < fs.size(); i++) {
                Geometry g = simplified[i];
                if (g != null && !g.isEmpty() && g.getArea() >= pixel * pixel) {
                  byId.put(fs.get(i).id(), g);
                }
              }
              into.put(def.name(), z, byId);
            });
  }

  record Unit(long code, Geometry geometry) {}

  /** Splits each parent into {@code k} Voronoi cells clipped to it. */
  private static List<Unit> split(
      List<Unit> parents, int k, int digits, SplittableRandom rnd, double clusterShare) {
    List<Unit> out = new ArrayList<>();
    for (Unit parent : parents) {
      Geometry pg = parent.geometry();
      PreparedGeometry prep = PreparedGeometryFactory.prepare(pg);
      Envelope env = pg.getEnvelopeInternal();
      List<Coordinate> sites = new ArrayList<>();
      int attempts = 0;
      while (sites.size() < k && attempts++ < k * 200) {
        double x;
        double y;
        if (rnd.nextDouble() < clusterShare) {
          // a denser core around Yuzhong, so central districts come out small
          x = 106.55 + rnd.nextDouble(-0.25, 0.25) * rnd.nextDouble();
          y = 29.56 + rnd.nextDouble(-0.2, 0.2) * rnd.nextDouble();
        } else {
          x = env.getMinX() + rnd.nextDouble() * env.getWidth();
          y = env.getMinY() + rnd.nextDouble() * env.getHeight();
        }
        Coordinate c = new Coordinate(x, y);
        GF.getPrecisionModel().makePrecise(c);
        if (prep.contains(GF.createPoint(c))) {
          sites.add(c);
        }
      }
      List<Geometry> cells = new ArrayList<>();
      if (sites.size() < 2) {
        cells.add(pg);
      } else {
        VoronoiDiagramBuilder vb = new VoronoiDiagramBuilder();
        vb.setSites(sites);
        Envelope clip = new Envelope(env);
        clip.expandBy(env.getWidth() + env.getHeight());
        vb.setClipEnvelope(clip);
        Geometry diagram = vb.getDiagram(GF);
        for (int i = 0; i < diagram.getNumGeometries(); i++) {
          Geometry cell =
              OverlayNG.overlay(
                  diagram.getGeometryN(i), pg, OverlayNG.INTERSECTION, GF.getPrecisionModel());
          Geometry poly = polygonal(cell);
          if (poly != null) {
            cells.add(poly);
          }
        }
      }
      cells.sort(
          (a, b) -> a.getCentroid().getCoordinate().compareTo(b.getCentroid().getCoordinate()));
      long base = parent.code() * pow10(digits);
      for (int i = 0; i < cells.size(); i++) {
        out.add(new Unit(base + i + 1, cells.get(i)));
      }
    }
    return out;
  }

  private static long pow10(int digits) {
    long p = 1;
    for (int i = 0; i < digits; i++) {
      p *= 10;
    }
    return p;
  }

  private static Geometry polygonal(Geometry g) {
    if (g instanceof Polygonal) {
      return g.isEmpty() ? null : g;
    }
    @SuppressWarnings("unchecked")
    List<Polygon> polys = PolygonExtracter.getPolygons(g);
    if (polys.isEmpty()) {
      return null;
    }
    return polys.size() == 1 ? polys.get(0) : GF.createMultiPolygon(polys.toArray(Polygon[]::new));
  }

  private static List<Feature> adminFeatures(
      LayerDef def, List<Unit> units, String suffix, SplittableRandom rnd) {
    List<Feature> out = new ArrayList<>();
    for (Unit u : units) {
      Object[] v = new Object[def.fields().size()];
      String code = Long.toString(u.code());
      set(def, v, "code", code);
      set(def, v, "name", (def == Catalogue.GRIDS ? "第" + (u.code() % 1000) : code) + suffix);
      set(def, v, "population", (long) rnd.nextInt(200, 5000));
      set(def, v, "households", (long) rnd.nextInt(80, 2000));
      set(def, v, "urban", rnd.nextBoolean());
      set(def, v, "kind", def == Catalogue.STREETS ? "subdistrict" : "community");
      if (code.length() > 6) {
        set(def, v, "district_code", code.substring(0, 6));
      }
      if (code.length() > 9) {
        set(def, v, "street_code", code.substring(0, 9));
      }
      if (code.length() > 12) {
        set(def, v, "village_code", code.substring(0, 12));
      }
      Coordinate c = u.geometry().getInteriorPoint().getCoordinate();
      set(def, v, "centre_lon", c.x);
      set(def, v, "centre_lat", c.y);
      set(def, v, "worker_id", u.code() % 100_000);
      set(def, v, "worker_name", "张" + (u.code() % 997));
      out.add(new Feature(u.code(), u.geometry(), v, false));
    }
    return out;
  }

  private static List<Feature> points(
      LayerDef def, List<Unit> grids, int n, Spec spec, SplittableRandom rnd) {
    List<Feature> out = new ArrayList<>(n);
    for (int id = 1; id <= n; id++) {
      Unit g = grids.get(rnd.nextInt(grids.size()));
      Envelope e = g.geometry().getEnvelopeInternal();
      Coordinate c = g.geometry().getInteriorPoint().getCoordinate();
      for (int attempt = 0; attempt < 20; attempt++) {
        Coordinate t =
            new Coordinate(
                e.getMinX() + rnd.nextDouble() * e.getWidth(),
                e.getMinY() + rnd.nextDouble() * e.getHeight());
        if (g.geometry().getNumPoints() < 200 && g.geometry().contains(GF.createPoint(t))) {
          c = t;
          break;
        }
      }
      Object[] v = new Object[def.fields().size()];
      set(def, v, "grid_code", Long.toString(g.code()));
      boolean personal = false;
      if (def == Catalogue.EVENTS) {
        int cat = pick(EVENT_WEIGHTS, rnd);
        set(def, v, "category", EVENT_CATEGORIES[cat]);
        set(def, v, "board", EVENT_BOARDS[cat]);
        set(def, v, "urgency", rnd.nextDouble() < spec.urgentShare() ? "urgent" : "normal");
        boolean closed = rnd.nextInt(3) == 0;
        set(def, v, "status", closed ? "closed" : "open");
        long reported = REPORTED_FROM + rnd.nextLong(NOW - REPORTED_FROM);
        set(def, v, "reported_at", reported);
        if (closed) {
          // closed 1 to 48 hours after the report (no random draw: the other values stay as
          // they were before events had closing times)
          set(def, v, "closed_at", reported + (1 + id % 48) * 3_600_000L);
        }
      } else if (def == Catalogue.KEY_SITES) {
        personal = rnd.nextDouble() < spec.personalShare();
        set(
            def,
            v,
            "category",
            personal ? "elderly_home" : SITE_CATEGORIES[rnd.nextInt(SITE_CATEGORIES.length)]);
        set(def, v, "name", personal ? "独居老人" + id : "场所" + id);
      } else {
        set(def, v, "role", ROLES[rnd.nextInt(ROLES.length)]);
        set(def, v, "on_duty", rnd.nextBoolean());
        set(def, v, "name", "李" + id);
        set(def, v, "updated_at", 1_700_000_000_000L + id);
      }
      out.add(new Feature(id, GF.createPoint(c), v, personal));
    }
    return out;
  }

  private static int pick(double[] weights, SplittableRandom rnd) {
    double r = rnd.nextDouble();
    for (int i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }

  private static void set(LayerDef def, Object[] values, String field, Object value) {
    int i = def.fieldIndex(field);
    if (i >= 0) {
      values[i] = value;
    }
  }
}
