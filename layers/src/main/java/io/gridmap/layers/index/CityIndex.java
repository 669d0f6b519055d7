package io.gridmap.layers.index;

import io.gridmap.layers.geo.WebMercator;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.DatasetMetadata;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Generalised;
import io.gridmap.layers.model.GeometryKind;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.model.LayerDef;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.locationtech.jts.algorithm.construct.MaximumInscribedCircle;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Point;

/**
 * Everything the server reads on its hot paths, in memory: per layer a {@link LayerIndex}; per
 * polygon layer and zoom a {@link GeneralisedIndex} of the generalised EPSG:3857 polygons; per
 * admin level a {@link LabelIndex} with one label point per unit, computed here once.
 *
 * <p>Built in parallel: layers, (layer, zoom) pairs and label points are independent tasks. For the
 * full city (77k polygons, ~500k points) the build is dominated by the R-tree packing and the label
 * points.
 *
 * <p>Zooms that the dataset has no generalised geometries for fall back to the nearest zoom that
 * has them (the more detailed one on a tie), and a polygon layer with none at all to its originals
 * projected to EPSG:3857; such indexes report {@link GeneralisedIndex#fallback()}.
 */
public final class CityIndex {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CityIndex.class);

  private final Map<String, LayerIndex> layers;
  private final Map<String, Map<Integer, GeneralisedIndex>> generalised;
  private final Map<AdminLevel, LabelIndex> labels;
  private final DatasetMetadata metadata;
  private final Envelope lonLatBounds;

  private CityIndex(
      Map<String, LayerIndex> layers,
      Map<String, Map<Integer, GeneralisedIndex>> generalised,
      Map<AdminLevel, LabelIndex> labels,
      DatasetMetadata metadata,
      Envelope lonLatBounds) {
    this.layers = layers;
    this.generalised = generalised;
    this.labels = labels;
    this.metadata = metadata;
    this.lonLatBounds = lonLatBounds;
  }

  public static CityIndex build(Dataset dataset) {
    long t0 = System.nanoTime();
    List<Layer> layerList = new ArrayList<>(dataset.layers().values());
    Map<String, LayerIndex> built = new ConcurrentHashMap<>();
    layerList.parallelStream().forEach(l -> built.put(l.name(), LayerIndex.build(l)));
    Map<String, LayerIndex> layers = new LinkedHashMap<>();
    for (Layer l : layerList) {
      layers.put(l.name(), built.get(l.name()));
    }

    // one task per (polygon layer, zoom), plus the projected originals where a layer needs them.
    // Every polygon layer is drawn from these, coverage or not: an imported layer of overlapping
    // polygons may come with per-zoom simplified polygons too, or with none (then its originals)
    Generalised gen = dataset.generalised();
    record Task(LayerIndex layer, int zoom, int sourceZoom) {}
    List<Task> tasks = new ArrayList<>();
    for (LayerIndex li : layers.values()) {
      LayerDef def = li.def();
      if (def.kind() != GeometryKind.POLYGON) {
        continue;
      }
      Set<Integer> have = gen.zooms(def.name());
      for (int z = def.minZoom(); z <= def.maxZoom(); z++) {
        tasks.add(new Task(li, z, nearestZoom(have, z)));
      }
    }
    long t1 = System.nanoTime();
    Map<String, Geometry[]> projectedOriginals = new ConcurrentHashMap<>();
    tasks.stream()
        .filter(t -> t.sourceZoom() < 0)
        .map(Task::layer)
        .distinct()
        .parallel()
        .forEach(li -> projectedOriginals.put(li.name(), projectAll(li)));
    Map<String, Map<Integer, GeneralisedIndex>> generalised = new ConcurrentHashMap<>();
    tasks.parallelStream()
        .forEach(
            t -> {
              GeneralisedIndex gi =
                  t.sourceZoom() < 0
                      ? fromOriginals(t.layer(), t.zoom(), projectedOriginals.get(t.layer().name()))
                      : fromGeneralised(t.layer(), t.zoom(), t.sourceZoom(), gen);
              generalised
                  .computeIfAbsent(t.layer().name(), k -> new ConcurrentHashMap<>())
                  .put(t.zoom(), gi);
            });

    long t2 = System.nanoTime();
    Map<AdminLevel, LabelIndex> labels = new EnumMap<>(AdminLevel.class);
    for (AdminLevel level : AdminLevel.values()) {
      LayerIndex li = layers.get(level.layerName());
      // a level the dataset lacks has an empty index, the same one on every call
      labels.put(
          level, new LabelIndex(level, li == null ? new LabelPoint[0] : labelPoints(li, level)));
    }

    // where an index build's time goes (the server's start), for whoever profiles it
    LOG.debug(
        "indexed the layers in {} ms, the generalised polygons in {} ms, the labels in {} ms",
        (t1 - t0) / 1_000_000,
        (t2 - t1) / 1_000_000,
        (System.nanoTime() - t2) / 1_000_000);
    Envelope bounds = new Envelope();
    layers.values().forEach(li -> bounds.expandToInclude(li.bounds()));
    Map<String, Map<Integer, GeneralisedIndex>> frozen = new HashMap<>();
    generalised.forEach((k, v) -> frozen.put(k, Collections.unmodifiableMap(new HashMap<>(v))));
    return new CityIndex(
        Collections.unmodifiableMap(layers),
        Collections.unmodifiableMap(frozen),
        Collections.unmodifiableMap(labels),
        dataset.metadata(),
        bounds);
  }

  /**
   * The available zoom nearest to {@code z} (the higher on a tie), or -1 when none is. Public for
   * the race harness, whose PostGIS side must pick the same zoom.
   */
  public static int nearestZoom(Set<Integer> available, int z) {
    int best = -1;
    for (int a : available) {
      if (best < 0
          || Math.abs(a - z) < Math.abs(best - z)
          || (Math.abs(a - z) == Math.abs(best - z) && a > best)) {
        best = a;
      }
    }
    return best;
  }

  private static Geometry[] projectAll(LayerIndex li) {
    Geometry[] out = new Geometry[li.size()];
    IntStream.range(0, li.size())
        .parallel()
        .forEach(i -> out[i] = WebMercator.project(li.feature(i).geometry()));
    return out;
  }

  private static GeneralisedIndex fromGeneralised(
      LayerIndex li, int zoom, int sourceZoom, Generalised gen) {
    Map<Long, Geometry> byId = gen.get(li.name(), sourceZoom);
    long[] ids = new long[byId.size()];
    int n = 0;
    for (Map.Entry<Long, Geometry> e : byId.entrySet()) {
      // a generalised geometry without a feature is data the generator got wrong: leave it out
      if (li.ordinalOf(e.getKey()) >= 0 && !e.getValue().isEmpty()) {
        ids[n++] = e.getKey();
      }
    }
    ids = Arrays.copyOf(ids, n);
    Arrays.sort(ids);
    Feature[] features = new Feature[n];
    Geometry[] geometries = new Geometry[n];
    for (int i = 0; i < n; i++) {
      features[i] = li.feature(li.ordinalOf(ids[i]));
      geometries[i] = byId.get(ids[i]);
    }
    return new GeneralisedIndex(li.name(), zoom, features, geometries, sourceZoom != zoom);
  }

  private static GeneralisedIndex fromOriginals(LayerIndex li, int zoom, Geometry[] projected) {
    Integer[] order = new Integer[li.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Long.compare(li.feature(a).id(), li.feature(b).id()));
    List<Feature> features = new ArrayList<>();
    List<Geometry> geometries = new ArrayList<>();
    for (int o : order) {
      if (!projected[o].isEmpty()) {
        features.add(li.feature(o));
        geometries.add(projected[o]);
      }
    }
    return new GeneralisedIndex(
        li.name(),
        zoom,
        features.toArray(Feature[]::new),
        geometries.toArray(Geometry[]::new),
        true);
  }

  /**
   * One label point per unit. Districts and streets (about a thousand, often long or concave) get
   * the centre of the maximum inscribed circle, computed in EPSG:3857 to 1/200 of the unit's size:
   * the label sits where the unit is widest. Villages and grids (about 76k, compact) get JTS's
   * interior point, computed in lon/lat and then projected: Web Mercator maps horizontal lines to
   * horizontal lines and is linear in x, so the point stays inside, and this avoids projecting 76k
   * polygons.
   */
  private static LabelPoint[] labelPoints(LayerIndex li, AdminLevel level) {
    int codeField = li.def().fieldIndex("code");
    int nameField = li.def().fieldIndex("name");
    LabelPoint[] out = new LabelPoint[li.size()];
    IntStream.range(0, li.size())
        .parallel()
        .forEach(i -> out[i] = labelPoint(li.feature(i), level, codeField, nameField));
    return Arrays.stream(out).filter(p -> p != null).toArray(LabelPoint[]::new);
  }

  /** The label point of one unit, or null for an empty geometry. */
  private static LabelPoint labelPoint(Feature f, AdminLevel level, int codeField, int nameField) {
    Geometry g = f.geometry();
    if (g.isEmpty()) {
      return null;
    }
    if (level == AdminLevel.DISTRICT || level == AdminLevel.STREET) {
      Geometry m = WebMercator.project(g);
      Envelope e = m.getEnvelopeInternal();
      double tolerance = Math.max(e.getWidth(), e.getHeight()) / 200.0;
      Point p;
      try {
        p = MaximumInscribedCircle.getCenter(m, Math.max(tolerance, 1.0));
      } catch (RuntimeException invalidInput) {
        p = null;
      }
      if (p != null && !p.isEmpty()) {
        return label(f, level, codeField, nameField, p.getX(), p.getY());
      }
    }
    Point p = g.getInteriorPoint();
    return label(f, level, codeField, nameField, WebMercator.x(p.getX()), WebMercator.y(p.getY()));
  }

  /**
   * This index with a change applied: a new index sharing every structure the change does not touch
   * (other layers, other levels' labels). The layer's index is patched, its generalised polygons at
   * each zoom get the new versions and polygons, and for an admin level the labels of the replaced
   * units are placed anew. This index stays as it was, so requests that started on it finish on a
   * consistent view.
   *
   * <p>A change that retires features rebuilds the layer's index without them ({@link
   * LayerIndex#withRetired}) and drops their polygons and labels. On 68k grids with a 2-core
   * machine such a change took 340-780 ms against 260-560 ms for a rename, which rebuilds the
   * packed R-trees too (CityIndexRetireTest logs it); retirements are rare planner operations. An
   * id retired here may be added by a later change.
   *
   * @throws IllegalArgumentException for an unknown layer or a feature id the layer lacks
   */
  public CityIndex withChange(io.gridmap.layers.edit.Change change) {
    LayerIndex old = layer(change.layer());
    Map<Long, Feature> replaced = new LinkedHashMap<>(); // added features take ordinals in order
    Set<Long> retired = new java.util.HashSet<>();
    for (io.gridmap.layers.edit.Change.Replacement r : change.replacements()) {
      boolean held = old.ordinalOf(r.id()) >= 0;
      if (held == r.isAdded()) {
        throw new IllegalArgumentException(
            "layer "
                + old.name()
                + (held
                    ? " already has feature " + r.id() + " to add"
                    : " has no feature "
                        + r.id()
                        + (r.isRetired() ? " to retire" : " to replace")));
      }
      if (r.isRetired()) {
        retired.add(r.id());
      } else {
        replaced.put(r.id(), r.after());
      }
    }
    LayerIndex patched = old.withReplaced(replaced.values());
    if (!retired.isEmpty()) {
      patched = patched.withRetired(retired);
    }
    Map<String, LayerIndex> nextLayers = new LinkedHashMap<>(layers);
    nextLayers.put(old.name(), patched);

    Map<String, Map<Integer, GeneralisedIndex>> nextGeneralised = new HashMap<>(generalised);
    Map<Integer, GeneralisedIndex> zooms = generalised.get(old.name());
    if (zooms != null) {
      Map<Integer, GeneralisedIndex> nz = new HashMap<>();
      zooms.forEach(
          (z, gi) -> {
            Map<Long, Geometry> polygons =
                new HashMap<>(change.generalised().getOrDefault(z, Map.of()));
            if (gi.fallback() && change.generalised().isEmpty()) {
              // no generalised geometries for this zoom: it draws projected originals (or another
              // zoom's)
              for (io.gridmap.layers.edit.Change.Replacement r : change.replacements()) {
                if (r.geometryChanged() && !r.isRetired()) {
                  polygons.put(r.id(), WebMercator.project(r.after().geometry()));
                }
              }
            }
            nz.put(z, gi.withReplaced(replaced, polygons, retired));
          });
      nextGeneralised.put(old.name(), Collections.unmodifiableMap(nz));
    }

    Map<AdminLevel, LabelIndex> nextLabels = new EnumMap<>(AdminLevel.class);
    nextLabels.putAll(labels);
    for (AdminLevel level : AdminLevel.values()) {
      LabelIndex li = labels.get(level);
      if (li == null || !level.layerName().equals(old.name())) {
        continue;
      }
      int codeField = old.def().fieldIndex("code");
      int nameField = old.def().fieldIndex("name");
      // in place, so that labels keep their drawing order; units that had none before go last
      List<LabelPoint> points = new ArrayList<>(li.size());
      java.util.Set<Long> placed = new java.util.HashSet<>();
      for (int i = 0; i < li.size(); i++) {
        if (retired.contains(li.point(i).id())) {
          continue;
        }
        Feature f = replaced.get(li.point(i).id());
        LabelPoint p = f == null ? li.point(i) : labelPoint(f, level, codeField, nameField);
        if (p != null) {
          points.add(p);
        }
        placed.add(li.point(i).id());
      }
      for (Feature f : replaced.values()) {
        LabelPoint p = placed.contains(f.id()) ? null : labelPoint(f, level, codeField, nameField);
        if (p != null) {
          points.add(p);
        }
      }
      nextLabels.put(level, new LabelIndex(level, points.toArray(LabelPoint[]::new)));
    }

    Envelope bounds = new Envelope(lonLatBounds);
    bounds.expandToInclude(change.lonLatArea());
    return new CityIndex(
        Collections.unmodifiableMap(nextLayers),
        Collections.unmodifiableMap(nextGeneralised),
        Collections.unmodifiableMap(nextLabels),
        metadata,
        bounds);
  }

  /**
   * This index with {@code layer} added, or replacing the layer of that name whole (an import into
   * a running server): its {@link LayerIndex} built, and for a polygon layer its per-zoom {@link
   * GeneralisedIndex}es made as {@link #build} makes them (the given zooms, else the nearest one,
   * else the projected originals). Every other layer, zoom and label is shared; labels are
   * unchanged (they are the admin levels', which are not imported). The bounds grow to take the
   * layer in; they never shrink (a replaced layer's old extent may stay in them, as after a
   * change). This index stays as it was.
   *
   * @param generalised zoom -> feature id -> EPSG:3857 polygon, as the import made them; empty for
   *     a point layer
   * @throws IllegalArgumentException for an admin level's layer, whose labels this would not move
   */
  public CityIndex withLayer(Layer layer, Map<Integer, Map<Long, Geometry>> generalised) {
    for (AdminLevel level : AdminLevel.values()) {
      if (level.layerName().equals(layer.name())) {
        throw new IllegalArgumentException(
            "layer " + layer.name() + " is an admin level: it changes by changes, not whole");
      }
    }
    LayerIndex li = LayerIndex.build(layer);
    Map<String, LayerIndex> nextLayers = new LinkedHashMap<>(layers);
    nextLayers.put(li.name(), li); // a replaced layer keeps its place in the order
    Map<String, Map<Integer, GeneralisedIndex>> nextGeneralised = new HashMap<>(this.generalised);
    nextGeneralised.remove(li.name());
    if (li.def().kind() == GeometryKind.POLYGON) {
      Generalised gen = Generalised.empty();
      generalised.forEach((z, byId) -> gen.put(li.name(), z, byId));
      Set<Integer> have = gen.zooms(li.name());
      Geometry[] projected = null;
      Map<Integer, GeneralisedIndex> zooms = new HashMap<>();
      for (int z = li.def().minZoom(); z <= li.def().maxZoom(); z++) {
        int source = nearestZoom(have, z);
        if (source < 0 && projected == null) {
          projected = projectAll(li);
        }
        zooms.put(
            z, source < 0 ? fromOriginals(li, z, projected) : fromGeneralised(li, z, source, gen));
      }
      nextGeneralised.put(li.name(), Collections.unmodifiableMap(zooms));
    }
    Envelope bounds = new Envelope(lonLatBounds);
    bounds.expandToInclude(li.bounds());
    return new CityIndex(
        Collections.unmodifiableMap(nextLayers),
        Collections.unmodifiableMap(nextGeneralised),
        labels,
        metadata,
        bounds);
  }

  private static LabelPoint label(
      Feature f, AdminLevel level, int codeField, int nameField, double x, double y) {
    String code = codeField < 0 ? null : (String) f.value(codeField);
    String name = nameField < 0 ? null : (String) f.value(nameField);
    return new LabelPoint(f, level, code, name, x, y);
  }

  public Collection<LayerIndex> layers() {
    return layers.values();
  }

  public Optional<LayerIndex> findLayer(String name) {
    return Optional.ofNullable(layers.get(name));
  }

  /** The index of a layer that must exist; the message lists the layers there are. */
  public LayerIndex layer(String name) {
    LayerIndex li = layers.get(name);
    if (li == null) {
      throw new IllegalArgumentException("no layer " + name + "; the index has " + layers.keySet());
    }
    return li;
  }

  /**
   * The generalised polygons of a polygon layer (coverage or not) at a zoom, if the layer is drawn
   * there.
   */
  public Optional<GeneralisedIndex> generalised(String layer, int zoom) {
    return Optional.ofNullable(generalised.getOrDefault(layer, Map.of()).get(zoom));
  }

  /**
   * Label points of an admin level (empty index when the dataset lacks the level). The same object
   * until a change to that level replaces it: derived data may key on its identity.
   */
  public LabelIndex labels(AdminLevel level) {
    return labels.get(level);
  }

  public DatasetMetadata metadata() {
    return metadata;
  }

  /** Lon/lat envelope of every feature of every layer. */
  public Envelope lonLatBounds() {
    return new Envelope(lonLatBounds);
  }

  /** The same envelope in EPSG:3857 (exact: the projection is monotone in each axis). */
  public Envelope mercatorBounds() {
    if (lonLatBounds.isNull()) {
      return new Envelope();
    }
    return new Envelope(
        WebMercator.x(lonLatBounds.getMinX()),
        WebMercator.x(lonLatBounds.getMaxX()),
        WebMercator.y(lonLatBounds.getMinY()),
        WebMercator.y(lonLatBounds.getMaxY()));
  }
}
