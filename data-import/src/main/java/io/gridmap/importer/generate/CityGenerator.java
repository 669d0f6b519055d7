package io.gridmap.importer.generate;

import io.gridmap.importer.clean.CleanedDistricts;
import io.gridmap.importer.clean.District;
import io.gridmap.importer.clean.DistrictCleaner;
import io.gridmap.importer.generate.plan.CityPlan;
import io.gridmap.importer.generate.plan.DistrictPlan;
import io.gridmap.layers.generalise.CoverageGeneraliser;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.DatasetMetadata;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Generalised;
import io.gridmap.layers.model.Hotspot;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.model.LayerDef;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Generates the city: real district outlines (cleaned), and streets, villages, grids, key sites,
 * forces and events below them, deterministic for a seed.
 *
 * <pre>{@code
 * Dataset city = new CityGenerator(GeneratorConfig.fullCity(42), System.out::println).generate();
 * }</pre>
 *
 * <p>Districts are generated in parallel, one task each; every random draw comes from a source
 * keyed by (seed, code), so the result is the same on any number of threads and a subset of
 * districts comes out exactly as in the full city.
 */
public final class CityGenerator {
  /**
   * The generator's version, kept in the metadata notes under {@link #VERSION_NOTE}: raised when
   * what it makes changes shape (new fields, new states), so that {@code demo} regenerates a store
   * an older generator made. 3: incidents carry the closed loop's fields and states. 4: the seed's
   * volumes (over a million forces with community doctors and delivery riders, 1.1 million events a
   * year of which a few thousand are open at the end), homes with devices, wristband alarms at
   * those homes. 5: elderly care requests are personal (a person at home), so a demo store of 4
   * does not show them to the public.
   */
  public static final String VERSION = "5";

  public static final String VERSION_NOTE = "generator_version";

  /** Districts that get a planted hotspot: 8 of 38, ranked by a hash of (seed, code). */
  static final int HOTSPOT_DISTRICTS = 8;

  private final GeneratorConfig config;
  private final Consumer<String> progress;
  private final Clock clock;

  public CityGenerator(GeneratorConfig config) {
    this(config, message -> {});
  }

  /**
   * @param progress receives one line per phase, with counts and timings
   */
  public CityGenerator(GeneratorConfig config, Consumer<String> progress) {
    this(config, progress, Clock.systemUTC());
  }

  /**
   * @param clock only for the metadata's createdAt; nothing else reads the time
   */
  public CityGenerator(GeneratorConfig config, Consumer<String> progress, Clock clock) {
    this.config = config;
    this.progress = progress;
    this.clock = clock;
  }

  /** Generates with default progress (none). */
  public static Dataset generate(GeneratorConfig config) {
    return new CityGenerator(config).generate();
  }

  private record DistrictResult(AdminUnits admin, DistrictPoints points) {}

  public Dataset generate() {
    long t0 = System.nanoTime();
    CleanedDistricts cleaned = DistrictCleaner.chongqing();
    progress.accept(
        String.format(
            Locale.ROOT,
            "cleaned %d districts in %.1f s: %s",
            cleaned.districts().size(),
            secondsSince(t0),
            cleaned.report().summary()));

    CityPlan plan = CityPlan.of(cleaned.districts(), config.scale());
    List<District> chosen = chosen(cleaned.districts());
    Set<String> hotspotDistricts =
        hotspotDistricts(config.seed(), cleaned.districts().stream().map(District::code).toList());

    long t1 = System.nanoTime();
    int threads = Math.max(1, Math.min(chosen.size(), Runtime.getRuntime().availableProcessors()));
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "city-generator");
              t.setDaemon(true);
              return t;
            });
    List<DistrictResult> results = new ArrayList<>();
    try {
      // biggest first, so the last task to start is a small one
      List<District> byWork = new ArrayList<>(chosen);
      byWork.sort(
          Comparator.comparingInt((District d) -> -plan.of(d.code()).grids())
              .thenComparing(District::code));
      Map<String, Future<DistrictResult>> futures = new LinkedHashMap<>();
      for (District d : byWork) {
        futures.put(
            d.code(),
            pool.submit(() -> district(d, plan.of(d.code()), hotspotDistricts.contains(d.code()))));
      }
      for (District d : chosen) {
        results.add(futures.get(d.code()).get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("generation interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "generating failed: " + e.getCause().getMessage(), e.getCause());
    } finally {
      pool.shutdownNow();
    }

    Map<LayerDef, List<Feature>> features = new LinkedHashMap<>();
    for (LayerDef def : Catalogue.ALL) {
      features.put(def, new ArrayList<>());
    }
    List<Hotspot> hotspots = new ArrayList<>();
    for (DistrictResult r : results) {
      features.get(Catalogue.DISTRICTS).add(r.admin().district());
      features.get(Catalogue.STREETS).addAll(r.admin().streets());
      features.get(Catalogue.VILLAGES).addAll(r.admin().villages());
      features.get(Catalogue.GRIDS).addAll(r.admin().grids());
      features.get(Catalogue.KEY_SITES).addAll(r.points().keySites());
      features.get(Catalogue.FORCES).addAll(r.points().forces());
      features.get(Catalogue.EVENTS).addAll(r.points().events());
      hotspots.addAll(r.points().hotspots());
    }
    List<Layer> layers = new ArrayList<>();
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Map.Entry<LayerDef, List<Feature>> e : features.entrySet()) {
      layers.add(new Layer(e.getKey(), e.getValue()));
      counts.put(e.getKey().name(), e.getValue().size());
    }
    progress.accept(
        String.format(
            Locale.ROOT,
            "generated %d districts on %d threads in %.1f s: %s",
            chosen.size(),
            threads,
            secondsSince(t1),
            counts));

    long t2 = System.nanoTime();
    Generalised generalised = generalise(layers);
    progress.accept(
        String.format(
            Locale.ROOT,
            "generalised the 4 coverage layers for zooms 0-14 in %.1f s",
            secondsSince(t2)));

    Map<String, String> notes = new LinkedHashMap<>();
    notes.put(VERSION_NOTE, VERSION);
    notes.put("cleaning", cleaned.report().summary());
    notes.put("event_period", "2025-11-01T00:00+08:00/2026-11-01T00:00+08:00");
    notes.put(
        "generalisation",
        "JTS CoverageSimplifier per zoom at "
            + CoverageGeneraliser.TOLERANCE_UNITS
            + " tile units (extent 4096), EPSG:3857");
    notes.put(
        "generator",
        "Lloyd-relaxed Voronoi partitions on a 1e-7 degree grid; counts from CityPlan (2020 census weights)");
    DatasetMetadata metadata =
        new DatasetMetadata(
            "chongqing",
            config.seed(),
            config.scale(),
            config.districtCodes(),
            clock.instant().toString(),
            counts,
            hotspots,
            notes);
    progress.accept(String.format(Locale.ROOT, "done in %.1f s", secondsSince(t0)));
    return Dataset.of(layers, metadata, generalised);
  }

  private DistrictResult district(District d, DistrictPlan plan, boolean hotspot) {
    long t = System.nanoTime();
    AdminUnits admin = new AdminBuilder(d, plan, config.seed()).build();
    PointSampler sampler = new PointSampler(admin.gridUnits());
    PointMaker points = new PointMaker(config.seed(), admin.gridUnits(), sampler);
    List<Feature> keySites = points.keySites();
    EventMaker events =
        new EventMaker(config.seed(), d.code(), admin.gridUnits(), sampler, keySites);
    List<Feature> eventList = new ArrayList<>(events.events(plan.population()));
    List<Hotspot> hotspots = hotspot ? List.of(events.plantHotspot(eventList)) : List.of();
    DistrictResult r =
        new DistrictResult(
            admin, new DistrictPoints(keySites, points.forces(), eventList, hotspots));
    progress.accept(
        String.format(
            Locale.ROOT,
            "  %s %s: %d streets, %d villages, %d grids in %.1f s",
            d.code(),
            d.name(),
            admin.streets().size(),
            admin.villages().size(),
            admin.grids().size(),
            secondsSince(t)));
    return r;
  }

  private Generalised generalise(List<Layer> layers) {
    Generalised g = Generalised.empty();
    layers.stream()
        .filter(l -> Catalogue.ADMIN_LEVELS.contains(l.def()))
        .sorted(
            Comparator.comparingInt(l -> -l.size())) // grids first: the longest job starts first
        .parallel()
        .forEach(
            l -> {
              long t = System.nanoTime();
              CoverageGeneraliser.generalise(l, g);
              progress.accept(
                  String.format(
                      Locale.ROOT,
                      "  generalised %s (%d features, z%d-%d) in %.1f s",
                      l.name(),
                      l.size(),
                      l.def().minZoom(),
                      l.def().maxZoom(),
                      secondsSince(t)));
            });
    return g;
  }

  private List<District> chosen(List<District> all) {
    if (config.districtCodes().isEmpty()) {
      return all;
    }
    Set<String> wanted = new TreeSet<>(config.districtCodes());
    List<District> out = all.stream().filter(d -> wanted.contains(d.code())).toList();
    if (out.size() != wanted.size()) {
      Set<String> known = new TreeSet<>();
      all.forEach(d -> known.add(d.code()));
      wanted.removeAll(known);
      throw new IllegalArgumentException("unknown district codes " + wanted + "; known: " + known);
    }
    return out;
  }

  /**
   * The districts with a hotspot: chosen among all 38 so that a subset agrees with the full city.
   */
  static Set<String> hotspotDistricts(long seed, List<String> allCodes) {
    List<String> codes = new ArrayList<>(allCodes);
    codes.sort(
        Comparator.comparingLong((String c) -> Rngs.hash(seed, "hotspot/" + c))
            .thenComparing(c -> c));
    return new TreeSet<>(codes.subList(0, Math.min(HOTSPOT_DISTRICTS, codes.size())));
  }

  private static double secondsSince(long nanos) {
    return (System.nanoTime() - nanos) / 1e9;
  }
}
