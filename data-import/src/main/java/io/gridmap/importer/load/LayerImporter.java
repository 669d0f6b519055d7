package io.gridmap.importer.load;

import io.gridmap.importer.crs.CrsTransform;
import io.gridmap.importer.crs.SourceCrs;
import io.gridmap.importer.read.FeatureReader;
import io.gridmap.importer.read.ImportException;
import io.gridmap.importer.read.SourceFeature;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Field;
import io.gridmap.layers.model.FieldType;
import io.gridmap.layers.model.GeometryKind;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.layers.model.LayerNames;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.LayerImport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.MultiPoint;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygonal;
import org.locationtech.jts.geom.util.GeometryFixer;
import org.locationtech.jts.operation.valid.IsValidOp;
import org.locationtech.jts.operation.valid.TopologyValidationError;

/**
 * Imports one file into one layer of a store: reads every feature (streamed, one at a time),
 * converts its coordinates to WGS84, checks it, types the columns, matches it to the layer's
 * features by {@code code}, simplifies polygons per zoom, and writes the layer whole in one store
 * transaction ({@link FeatureStore#replaceLayer}), or for a dry run only says what it would do.
 *
 * <p>Every problem of the input is collected while reading (up to {@link Problems#LIMIT}) and the
 * import refused with all of them ({@link ImportRefused}); input the reader cannot parse at all (a
 * truncated file) stops it at once ({@link ImportException}). Either way nothing is written.
 */
public final class LayerImporter {
  /** How far an import has got, for a progress bar. */
  public interface Progress {
    /** {@code bytes} of {@code total} read, {@code features} so far. */
    void read(long bytes, long total, long features);

    /** A step after reading begins: "checking codes", "simplifying polygons", "writing". */
    void step(String what);

    Progress NONE =
        new Progress() {
          @Override
          public void read(long bytes, long total, long features) {}

          @Override
          public void step(String what) {}
        };
  }

  private final FeatureStore store;
  private final ImportOptions options;
  private final Progress progress;
  private final String who;

  /**
   * @param who the user and channel, for the audit entry: "cli:alice", "http:planner-yuzhong"
   */
  public LayerImporter(FeatureStore store, ImportOptions options, Progress progress, String who) {
    this.store = Objects.requireNonNull(store, "store");
    this.options = Objects.requireNonNull(options, "options");
    this.progress = Objects.requireNonNull(progress, "progress");
    this.who = Objects.requireNonNull(who, "who");
  }

  private java.util.function.Consumer<LayerImport> beforeWrite = l -> {};

  /**
   * Hands {@code check} the layer as the import will write it, once every feature is read and
   * checked and before the store is touched (for a dry run too): a server checks a planner's area
   * with it, and takes the layer into memory after the write. {@code check} may refuse the import
   * by throwing; nothing is written then.
   *
   * @return this importer
   */
  public LayerImporter beforeWrite(java.util.function.Consumer<LayerImport> check) {
    this.beforeWrite = Objects.requireNonNull(check, "check");
    return this;
  }

  /**
   * Geometries are kept with their coordinates packed, 16 bytes a vertex where JTS's default
   * Coordinate objects take 48: an import holds every feature of the file (to compare, simplify and
   * write them in one transaction), and this is most of what it holds.
   */
  private static final org.locationtech.jts.geom.GeometryFactory PACKED =
      new org.locationtech.jts.geom.GeometryFactory(
          new org.locationtech.jts.geom.PrecisionModel(),
          0,
          org.locationtech.jts.geom.impl.PackedCoordinateSequenceFactory.DOUBLE_FACTORY);

  /**
   * The features read, in file order, as parallel lists: no object per feature besides its values
   * (and a polygon's geometry), and no copy of where it stood in the file (its ordinal names it). A
   * point is two doubles in {@link #xy}: 16 bytes, where a JTS Point with its coordinate sequence,
   * the envelope JTS caches on it and a Feature around it take some 180 (a million-point roster
   * held 180 MB of them; see "Imports" in docs/benchmarks.md).
   */
  private static final class Rows {
    /** Polygons, one a row; empty for points. */
    final List<Geometry> geometries = new ArrayList<>();

    /** Points: row r's x at 2r, y at 2r + 1. */
    double[] xy = new double[0];

    /** The values as read; after typing, as the layer holds them ({@link ValueRows#sharing}). */
    ValueRows values = new ValueRows();

    int[] ordinals = new int[1024];

    /** Every row is a point or every row a polygon: a file that mixes them is refused. */
    void add(Geometry g, Object[] v, long ordinal) {
      int r = values.size();
      if (r == ordinals.length) {
        ordinals = java.util.Arrays.copyOf(ordinals, ordinals.length * 2);
      }
      ordinals[r] = (int) Math.min(Integer.MAX_VALUE, ordinal);
      if (g instanceof Point p) {
        if (2 * r + 2 > xy.length) {
          xy = java.util.Arrays.copyOf(xy, Math.max(2048, xy.length * 2));
        }
        xy[2 * r] = p.getX();
        xy[2 * r + 1] = p.getY();
      } else {
        geometries.add(PACKED.createGeometry(g));
      }
      values.add(v);
    }

    int size() {
      return values.size();
    }

    /** Row {@code r}'s geometry; a point's is made anew on each call. */
    Geometry geometry(int r) {
      if (geometries.isEmpty()) {
        return PACKED.createPoint(
            new org.locationtech.jts.geom.impl.PackedCoordinateSequence.Double(
                new double[] {xy[2 * r], xy[2 * r + 1]}, 2, 0));
      }
      return geometries.get(r);
    }

    /** How a message names row {@code r}: "grids.csv feature #17" (the 17th of the file). */
    String where(String file, int r) {
      return file + " feature #" + ordinals[r];
    }
  }

  /**
   * The layer's features after the import, as the store gets them: the file's rows, each made into
   * a Feature when asked (so a million points are never a million Feature objects at once), then
   * the features the layer keeps. Stores iterate it ({@link LayerImport}).
   */
  private static final class Features extends java.util.AbstractList<Feature>
      implements java.util.RandomAccess {
    private final Rows rows;
    private final long[] ids;
    private final boolean personal;
    private final List<Feature> kept;

    /**
     * @param ids row r's feature id, or null for ids 1, 2, 3... in file order
     * @param kept the layer's features the file does not hold and the import keeps
     */
    Features(Rows rows, long[] ids, boolean personal, List<Feature> kept) {
      this.rows = rows;
      this.ids = ids;
      this.personal = personal;
      this.kept = kept;
    }

    @Override
    public Feature get(int i) {
      int n = rows.size();
      if (i >= n) {
        return kept.get(i - n);
      }
      Objects.checkIndex(i, n);
      return new Feature(
          ids == null ? i + 1 : ids[i], rows.geometry(i), rows.values.get(i), personal);
    }

    @Override
    public int size() {
      return rows.size() + kept.size();
    }
  }

  /**
   * Runs the import.
   *
   * @throws ImportException for a file the reader cannot read (truncated, malformed) or a
   *     coordinate system it cannot take
   * @throws ImportRefused for features that are wrong, all of them listed
   * @throws IllegalArgumentException for options that cannot hold (a bad layer name, a field that
   *     --personal names but the file lacks)
   */
  public ImportSummary run(FeatureReader reader) throws IOException {
    long t0 = System.nanoTime();
    LayerNames.checkImportable(options.layer());
    String file = reader.file().getFileName().toString();
    List<String> notes = new ArrayList<>();
    SourceCrs crs = sourceCrs(reader, file, notes);
    CrsTransform transform = CrsTransform.toWgs84(crs);

    Columns columns = new Columns(options.map());
    FieldTypes types = new FieldTypes();
    Problems problems = new Problems();
    Rows rows = new Rows();
    GeometryKind kind = null;
    String kindFrom = null;
    long read = 0;
    long repaired = 0;
    SourceFeature sf;
    while ((sf = reader.next()) != null) {
      read++;
      if ((read & 1023) == 0) {
        progress.read(reader.bytesRead(), reader.size(), read);
      }
      Geometry g = single(sf.geometry());
      if (g == null || g.isEmpty()) {
        problems.add(
            sf.where(),
            "has no geometry",
            "give it a point or polygon, or leave it out of the file");
        continue;
      }
      GeometryKind k = kindOf(g);
      if (k == null) {
        problems.add(
            sf.where(),
            "is a " + g.getGeometryType() + "; a layer holds points or polygons",
            "import lines as polygons (buffer them in QGIS) or leave them out");
        continue;
      }
      if (kind == null) {
        kind = k;
        kindFrom = sf.where();
      } else if (k != kind) {
        problems.add(
            sf.where(),
            "mixed geometry types: this feature is a "
                + g.getGeometryType()
                + " but the layer holds "
                + plural(kind)
                + " (from "
                + kindFrom
                + ")",
            "split the file by geometry type, e.g. ogr2ogr -where \"OGR_GEOMETRY='POINT'\""
                + " points.gpkg "
                + file
                + ", and import each into its own layer");
        continue;
      }
      try {
        transform.apply(g, sf.where());
      } catch (IllegalArgumentException e) {
        problems.add(sf.where(), withoutPrefix(e.getMessage(), sf.where()), "");
        continue;
      }
      if (k == GeometryKind.POLYGON) {
        TopologyValidationError invalid = new IsValidOp(g).getValidationError();
        if (invalid != null) {
          if (!options.repair()) {
            problems.add(
                sf.where(),
                "is not a valid polygon: "
                    + invalid.getMessage()
                    + " at "
                    + invalid.getCoordinate().x
                    + " "
                    + invalid.getCoordinate().y,
                "fix it in QGIS (Vector > Geometry Tools > Fix Geometries), or pass --repair to"
                    + " fix every such polygon with JTS GeometryFixer");
            continue;
          }
          Geometry fixed = polygonal(GeometryFixer.fix(g));
          if (fixed == null) {
            problems.add(
                sf.where(),
                "is not a valid polygon (" + invalid.getMessage() + ") and repairs to nothing",
                "draw it again");
            continue;
          }
          g = fixed;
          repaired++;
        }
      }
      Object[] values = columns.values(sf.attributes());
      types.observe(values);
      rows.add(g, values, read);
    }
    progress.read(reader.size(), reader.size(), read);
    if (read == 0) {
      throw new ImportException(
          reader.file(), file, "holds no features", "check that this is the file you meant");
    }
    List<String> missing = columns.missingMapped();
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "--map "
              + String.join(",", missing)
              + ": "
              + file
              + " has no such column; its columns are "
              + columns.columnNames());
    }

    progress.step("checking fields and codes");
    // a store that holds nothing yet is made by the first import (the CLI writes it empty first)
    Optional<Layer> before =
        store.holdsACity() ? store.readImportedLayer(options.layer()) : Optional.empty();
    List<Field> fields = fields(columns, types, file, before);
    before.ifPresent(
        l -> {
          List<String> dropped =
              l.def().fields().stream()
                  .map(Field::name)
                  .filter(n -> fieldIndex(fields, n) < 0)
                  .toList();
          if (!dropped.isEmpty()) {
            notes.add(
                "the layer's fields "
                    + String.join(", ", dropped)
                    + " are not in "
                    + file
                    + ": the layer has them no longer, on any feature");
          }
        });
    int code = fieldIndex(fields, "code");
    // typed into new rows, one instance per repeated value (roles, categories, parents' codes)
    ValueRows typed =
        rows.values.convert(
            fields.size(),
            raw -> {
              Object[] v =
                  raw.length == fields.size() ? raw : java.util.Arrays.copyOf(raw, fields.size());
              for (int i = 0; i < v.length; i++) {
                v[i] = FieldTypes.convert(v[i], fields.get(i).type());
              }
              return v;
            });
    rows.values = typed;
    if (code >= 0) {
      checkCodes(rows, code, file, problems);
    }
    problems.throwIfAny(file);

    LayerDef def = definition(kind, fields, before);
    Plan plan = match(rows, code, def, before, notes);

    Map<Integer, Map<Long, Geometry>> generalised = Map.of();
    if (kind == GeometryKind.POLYGON) {
      progress.step("checking whether the polygons form a coverage");
      int[][] blocks = PolygonTiles.blocks(plan.features());
      boolean coverage = PolygonTiles.isCoverage(plan.features(), blocks);
      progress.step(
          "simplifying polygons"
              + (coverage ? " as a coverage" : " one by one")
              + " for z"
              + def.minZoom()
              + "-z"
              + def.maxZoom());
      PolygonTiles.Result tiles =
          PolygonTiles.generalise(plan.features(), blocks, coverage, def.minZoom(), def.maxZoom());
      generalised = tiles.byZoom();
      def = withCoverage(def, tiles.coverage());
    }
    Envelope bounds = new Envelope();
    for (Feature f : plan.features()) {
      if (f.geometry() instanceof Point p) {
        bounds.expandToInclude(
            p.getX(), p.getY()); // not getEnvelopeInternal: it keeps one per point
      } else {
        bounds.expandToInclude(f.geometry().getEnvelopeInternal());
      }
    }
    List<String> shown = new ArrayList<>();
    for (int i = 0; i < fields.size(); i++) {
      int slot = columns.slotOfField(fields.get(i).name());
      String column = slot < 0 ? "(kept from the layer)" : columns.column(slot);
      shown.add(
          fields.get(i).name().equals(column) ? column : fields.get(i).name() + " <- " + column);
    }
    boolean write = !options.dryRun();
    LayerImport layer =
        new LayerImport(def, plan.features(), generalised, audit(file, crs, plan, def));
    beforeWrite.accept(layer);
    long position = 0;
    if (write) {
      progress.step("writing " + plan.features().size() + " features to " + store.location());
      position = store.replaceLayer(layer);
    }
    return new ImportSummary(
        file,
        def,
        crs.describe() + ", " + crsSource(notes),
        shown,
        read,
        plan.added(),
        plan.changed(),
        plan.unchanged(),
        plan.removed(),
        plan.kept(),
        repaired,
        bounds,
        notes.subList(1, notes.size()),
        write,
        (System.nanoTime() - t0) / 1e9,
        position);
  }

  /**
   * The source CRS: {@code --crs}, else what the file declares, else WGS84 for GeoJSON. The first
   * note says where it came from.
   */
  private SourceCrs sourceCrs(FeatureReader reader, String file, List<String> notes) {
    Optional<SourceCrs> declared = reader.declaredCrs();
    if (options.crs().isPresent()) {
      SourceCrs given = options.crs().get();
      notes.add("from --crs");
      if (declared.isPresent() && !declared.get().equals(given)) {
        notes.add(
            file + " declares " + declared.get().describe() + "; --crs " + given.code() + " wins");
      }
      return given;
    }
    if (declared.isPresent()) {
      notes.add("as " + file + " declares");
      return declared.get();
    }
    if (reader.wgs84ByDefinition()) {
      notes.add("WGS84 as GeoJSON (RFC 7946) defines");
      return SourceCrs.WGS84;
    }
    throw new ImportException(
        reader.file(),
        file,
        "declares no coordinate system (a CSV never does; a Shapefile does in its .prj)",
        "pass --crs: wgs84, cgcs2000 (EPSG:4490), gcj02 (Amap, Tencent and other phone map SDKs),"
            + " bd09 (Baidu), EPSG:4491-4554 (CGCS2000 Gauss-Krüger zones) or EPSG:3857");
  }

  private static String crsSource(List<String> notes) {
    return notes.get(0);
  }

  /**
   * The layer's fields. A field personal in the layer before stays personal (a re-import without
   * {@code --personal} must not publish names), and keeps its choice of tiles unless {@code
   * --tiled} says.
   */
  private List<Field> fields(
      Columns columns, FieldTypes types, String file, Optional<Layer> before) {
    LayerDef was = before.map(Layer::def).orElse(null);
    Set<String> names = new LinkedHashSet<>();
    for (int i = 0; i < columns.size(); i++) {
      names.add(columns.field(i));
    }
    for (String p : options.personal()) {
      if (!names.contains(p)) {
        throw new IllegalArgumentException(
            "--personal " + p + ": " + file + " has no such field; its fields are " + names);
      }
    }
    for (String t : options.tiled()) {
      if (!names.contains(t)) {
        throw new IllegalArgumentException(
            "--tiled " + t + ": " + file + " has no such field; its fields are " + names);
      }
      if (options.personal().contains(t)) {
        throw new IllegalArgumentException(
            "--tiled " + t + " is also --personal: a personal field is never drawn in tiles");
      }
    }
    List<Field> out = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      String name = columns.field(i);
      // a code is text whatever it spells: 500103001001 is a village, not a quantity
      FieldType type = isCode(name) ? FieldType.STRING : types.type(i);
      int old = was == null ? -1 : was.fieldIndex(name);
      boolean personal =
          options.personal().contains(name) || (old >= 0 && was.fields().get(old).personal());
      boolean tiled =
          !personal
              && (options.tiled().isEmpty()
                  ? old < 0 || was.fields().get(old).inTiles()
                  : options.tiled().contains(name));
      out.add(
          new Field(
              name, type, personal, tiled, "from column " + columns.column(i) + " of " + file));
    }
    return out;
  }

  /** {@code code}, and a parent's code such as {@code village_code}. */
  private static boolean isCode(String field) {
    return field.equals("code") || field.endsWith("_code");
  }

  /** The layer's definition: what the options say, else what the layer was, else the defaults. */
  private LayerDef definition(GeometryKind kind, List<Field> fields, Optional<Layer> before) {
    Optional<LayerDef> was = before.map(Layer::def).filter(d -> d.kind() == kind);
    int min =
        options
            .minZoom()
            .or(() -> was.map(LayerDef::minZoom))
            .orElse(
                kind == GeometryKind.POINT
                    ? ImportOptions.DEFAULT_POINT_MIN_ZOOM
                    : ImportOptions.DEFAULT_POLYGON_MIN_ZOOM);
    int max = options.maxZoom().or(() -> was.map(LayerDef::maxZoom)).orElse(14);
    if (min < 0 || max > 14 || min > max) {
      throw new IllegalArgumentException(
          "--minzoom "
              + min
              + " and --maxzoom "
              + max
              + ": expected 0 <= minzoom <= maxzoom <= 14");
    }
    String title =
        !options.title().isEmpty()
            ? options.title()
            : before.map(l -> l.def().title()).orElse(options.layer());
    return new LayerDef(
        options.layer(),
        title,
        kind,
        fields,
        min,
        max,
        false,
        false,
        options.staffOnly().or(() -> was.map(LayerDef::staffOnly)).orElse(true),
        kind == GeometryKind.POINT
            && options.clustered().or(() -> was.map(LayerDef::clustered)).orElse(true));
  }

  private static LayerDef withCoverage(LayerDef d, boolean coverage) {
    return new LayerDef(
        d.name(),
        d.title(),
        d.kind(),
        d.fields(),
        d.minZoom(),
        d.maxZoom(),
        coverage,
        d.live(),
        d.staffOnly(),
        d.clustered());
  }

  /** The layer's features after the import, with what happened to each. */
  private record Plan(
      List<Feature> features, long added, long changed, long unchanged, long removed, long kept) {}

  /**
   * Matches the file's features to the layer's by code: a code the layer holds keeps its id, a new
   * one gets the next. Without codes on both sides the layer is replaced whole.
   */
  private Plan match(
      Rows rows, int code, LayerDef def, Optional<Layer> before, List<String> notes) {
    boolean personal = def.staffOnly();
    if (before.isEmpty()) {
      return new Plan(new Features(rows, null, personal, List.of()), rows.size(), 0, 0, 0, 0);
    }
    Layer old = before.get();
    int oldCode = old.def().fieldIndex("code");
    if (code < 0 || oldCode < 0) {
      notes.add(
          "no code on "
              + (code < 0 ? "the file's" : "the layer's")
              + " features: the layer is replaced whole; map a column with --map code=COLUMN to"
              + " update features in place");
      return new Plan(
          new Features(rows, null, personal, List.of()), rows.size(), 0, 0, old.size(), 0);
    }
    if (old.def().kind() != def.kind() && !options.replace()) {
      throw new IllegalArgumentException(
          "layer "
              + def.name()
              + " holds "
              + plural(old.def().kind())
              + " and the file holds "
              + plural(def.kind())
              + ": pass --replace to replace the layer whole, or import into another layer");
    }
    Map<String, Feature> oldByCode = new HashMap<>();
    long nextId = 1;
    for (Feature f : old.features()) {
      Object c = f.value(oldCode);
      if (c != null) {
        oldByCode.put(c.toString(), f);
      }
      nextId = Math.max(nextId, f.id() + 1);
    }
    long added = 0;
    long changed = 0;
    long unchanged = 0;
    long[] ids = new long[rows.size()];
    Set<String> seen = new java.util.HashSet<>();
    for (int r = 0; r < rows.size(); r++) {
      Object[] values = rows.values.get(r);
      String c = values[code].toString();
      seen.add(c);
      Feature was = oldByCode.get(c);
      if (was == null) {
        ids[r] = nextId++;
        added++;
        continue;
      }
      ids[r] = was.id();
      Feature now = new Feature(was.id(), rows.geometry(r), values, personal);
      if (sameAs(was, old.def(), now, def)) {
        unchanged++;
      } else {
        changed++;
      }
    }
    long removed = 0;
    long kept = 0;
    List<Feature> carried = new ArrayList<>();
    for (Feature f : old.features()) {
      Object c = f.value(oldCode);
      if (c != null && seen.contains(c.toString())) {
        continue;
      }
      if (options.replace() || old.def().kind() != def.kind()) {
        removed++;
        continue;
      }
      carried.add(carried(f, old.def(), def));
      kept++;
    }
    return new Plan(
        new Features(rows, ids, personal, carried), added, changed, unchanged, removed, kept);
  }

  /**
   * Every feature has a code, and no two the same. Found by sorting 64-bit hashes of the codes (8
   * bytes a feature, where the codes as Strings take some 60 and a set of them some 100), then
   * naming the rows of each code whose hash repeats, if it repeats itself.
   */
  private static void checkCodes(Rows rows, int code, String file, Problems problems) {
    long[] hashes = new long[rows.size()];
    int n = 0;
    for (int r = 0; r < rows.size(); r++) {
      Object c = rows.values.get(r)[code];
      if (c == null || c.toString().isBlank()) {
        problems.add(
            rows.where(file, r),
            "has no code",
            "give every feature a code (a re-import matches features by it)");
      } else {
        hashes[n++] = hash(c.toString());
      }
    }
    java.util.Arrays.sort(hashes, 0, n);
    java.util.Set<Long> repeatedHashes = new java.util.HashSet<>();
    for (int i = 1; i < n; i++) {
      if (hashes[i] == hashes[i - 1]) {
        repeatedHashes.add(hashes[i]);
      }
    }
    if (repeatedHashes.isEmpty()) {
      return;
    }
    // few rows, all of whose codes share a hash with another's: the codes themselves decide
    Map<String, Integer> first = new HashMap<>();
    for (int r = 0; r < rows.size(); r++) {
      Object c = rows.values.get(r)[code];
      if (c == null || c.toString().isBlank() || !repeatedHashes.contains(hash(c.toString()))) {
        continue;
      }
      Integer f = first.putIfAbsent(c.toString(), r);
      if (f != null) {
        problems.add(
            rows.where(file, r),
            "code " + c + " is taken already by " + rows.where(file, f),
            "give each feature its own code");
      }
    }
  }

  /** FNV-1a over the chars, 64 bits: two codes of a layer share one about once in 10^19 pairs. */
  private static long hash(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    return h;
  }

  /** True when the feature has the same geometry and values, field by field name. */
  private static boolean sameAs(Feature a, LayerDef aDef, Feature b, LayerDef bDef) {
    if (a.personal() != b.personal() || !sameShape(a.geometry(), b.geometry())) {
      return false;
    }
    if (aDef.fields().size() != bDef.fields().size()) {
      return false;
    }
    for (int i = 0; i < bDef.fields().size(); i++) {
      int j = aDef.fieldIndex(bDef.fields().get(i).name());
      if (j < 0 || !Objects.equals(a.value(j), b.value(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Equal vertices, in any ring order and orientation: a Shapefile's rings run clockwise, GeoJSON's
   * counter-clockwise, and a re-import from another format is not a change.
   */
  private static boolean sameShape(Geometry a, Geometry b) {
    return a.equalsExact(b) || a.norm().equalsExact(b.norm());
  }

  /**
   * A feature the file does not hold, kept in the new schema: its values by field name, converted
   * to the new types (a field the file typed as text takes the old number as text).
   */
  private Feature carried(Feature f, LayerDef from, LayerDef to) {
    Object[] v = new Object[to.fields().size()];
    for (int i = 0; i < v.length; i++) {
      Field field = to.fields().get(i);
      int j = from.fieldIndex(field.name());
      Object value = j < 0 ? null : f.value(j);
      try {
        v[i] = FieldTypes.convert(value, field.type());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "layer "
                + to.name()
                + " keeps feature "
                + f.id()
                + ", whose "
                + field.name()
                + " is '"
                + value
                + "', but the file makes "
                + field.name()
                + " "
                + field.type().name().toLowerCase(java.util.Locale.ROOT)
                + ": pass --replace to drop the features the file does not hold");
      }
    }
    return new Feature(f.id(), f.geometry(), v, to.staffOnly());
  }

  private String audit(String file, SourceCrs crs, Plan plan, LayerDef def) {
    Map<String, Object> entry = new java.util.LinkedHashMap<>();
    entry.put("action", "layer.import");
    entry.put("by", who);
    entry.put("layer", def.name());
    entry.put("file", file);
    entry.put("crs", crs.code());
    entry.put("added", plan.added());
    entry.put("changed", plan.changed());
    entry.put("unchanged", plan.unchanged());
    entry.put("removed", plan.removed());
    entry.put("kept", plan.kept());
    entry.put("features", plan.features().size());
    try {
      return JSON.writeValueAsString(entry);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write the audit entry", e);
    }
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private static int fieldIndex(List<Field> fields, String name) {
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /** A one-point MultiPoint as its point (Shapefile and GeoPackage exports write them). */
  private static Geometry single(Geometry g) {
    if (g instanceof MultiPoint mp && mp.getNumGeometries() == 1) {
      return mp.getGeometryN(0);
    }
    return g;
  }

  private static GeometryKind kindOf(Geometry g) {
    if (g instanceof Point) {
      return GeometryKind.POINT;
    }
    if (g instanceof Polygonal) {
      return GeometryKind.POLYGON;
    }
    return null;
  }

  /** The polygons of a repaired geometry (a fix may add lines or points), or null. */
  private static Geometry polygonal(Geometry g) {
    if (g instanceof Polygonal && !g.isEmpty()) {
      return g;
    }
    List<Geometry> parts = new ArrayList<>();
    for (int i = 0; i < g.getNumGeometries(); i++) {
      if (g.getGeometryN(i) instanceof Polygonal && !g.getGeometryN(i).isEmpty()) {
        parts.add(g.getGeometryN(i));
      }
    }
    if (parts.isEmpty()) {
      return null;
    }
    return g.getFactory().buildGeometry(parts);
  }

  private static String plural(GeometryKind k) {
    return k == GeometryKind.POINT ? "points" : "polygons";
  }

  private static String withoutPrefix(String message, String where) {
    return message.startsWith(where + ": ") ? message.substring(where.length() + 2) : message;
  }
}
