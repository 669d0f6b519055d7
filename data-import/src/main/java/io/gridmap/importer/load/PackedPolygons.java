package io.gridmap.importer.load;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.IntFunction;
import org.locationtech.jts.geom.CoordinateSequence;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.PrecisionModel;
import org.locationtech.jts.geom.impl.PackedCoordinateSequence;
import org.locationtech.jts.geom.impl.PackedCoordinateSequenceFactory;

/**
 * One zoom's simplified polygons of an import, held as numbers: every vertex as two doubles in
 * pages of {@link #PAGE} (the exact values JTS made: neighbours still share them bit for bit), and
 * a few ints a polygon for its parts and rings. A JTS Polygon with its ring, packed sequence and
 * cached envelope takes some 200 bytes besides its vertices; seven zooms of 65,000 grid cells held
 * as such took 90 MB of that alone (see "Imports" in docs/benchmarks.md).
 *
 * <p>Read as the map the stores take (feature id -> polygon, in {@link
 * io.gridmap.layers.store.LayerImport}): each polygon is made anew when asked for. Written once, by
 * feature index, then read; hand-written, as JTS holds no such store.
 */
final class PackedPolygons extends AbstractMap<Long, Geometry> {
  /**
   * Doubles a page: 256 KB, so growing never copies, and under half of G1's smallest region (1 MB):
   * a larger array would take a region of its own, a "humongous" one.
   */
  static final int PAGE = 1 << 15;

  private static final GeometryFactory PACKED =
      new GeometryFactory(new PrecisionModel(), 0, PackedCoordinateSequenceFactory.DOUBLE_FACTORY);

  /** Feature ids by index, shared by every zoom. */
  private final long[] ids;

  /** Polygon i as simplification started from it (projected anew on each call). */
  private final IntFunction<Geometry> originals;

  /** Index -> how its polygon is held: {@link #NONE}, {@link #RAW} or {@link #KEPT}. */
  private final byte[] kind;

  private static final byte NONE = 0;

  /** As doubles, in {@link #pages}. */
  private static final byte RAW = 1;

  /** As which vertices of the original it keeps, in {@link #bytePages}. */
  private static final byte KEPT = 2;

  private final List<byte[]> bytePages = new ArrayList<>();
  private int bytePageUsed = PAGE;
  private final ByteOut scratch = new ByteOut();

  /** Indices in ascending order of id, shared by every zoom: the order the map iterates. */
  private final int[] byId;

  /** Index -> where its shape starts in {@link #shapes}, or -1 when it has no polygon here. */
  private final int[] shapeAt;

  /** Index -> page and offset of its first double. */
  private final int[] page;

  private final int[] offset;

  /**
   * Per polygon: parts, then per part its rings, then per ring its vertices: [parts, rings of part
   * 0, vertices of ring 0, ...]. Parts of a Polygon: 0 (a MultiPolygon's: its count).
   */
  private int[] shapes = new int[1024];

  private int shapesUsed;
  private final List<double[]> pages = new ArrayList<>();
  private int pageUsed = PAGE;
  private int size;
  private int heldAsDoubles;

  /** How many polygons are held as doubles, not as the vertices of their original they keep. */
  int heldAsDoubles() {
    return heldAsDoubles;
  }

  /**
   * @param ids feature ids by index
   * @param byId the indices in ascending order of id ({@link #orderById})
   * @param originals polygon i before any simplification, made anew when asked (the same doubles
   *     each time: the projection is a pure function of the file's coordinates)
   */
  PackedPolygons(long[] ids, int[] byId, IntFunction<Geometry> originals) {
    this.ids = ids;
    this.originals = originals;
    this.kind = new byte[ids.length];
    this.byId = byId;
    this.shapeAt = new int[ids.length];
    Arrays.fill(shapeAt, -1);
    this.page = new int[ids.length];
    this.offset = new int[ids.length];
  }

  /** The indices of {@code ids} in ascending order of id. */
  static int[] orderById(long[] ids) {
    Integer[] order = new Integer[ids.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Long.compare(ids[a], ids[b]));
    return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
  }

  /**
   * Stores index i's polygon; null or empty leaves it without one at this zoom. JTS's simplifiers
   * only ever drop vertices, so a simplified ring is held as which vertices of the original ring it
   * keeps: its ring, its first vertex and the steps between kept vertices, a byte or so each where
   * the vertex takes 16 (a 241 MB grid file keeps most of its vertices down to z12, and seven zooms
   * of them as doubles took 180 MB). A polygon whose vertices are not found in order in its
   * original is held as doubles.
   */
  void put(int i, Geometry g) {
    if (g == null || g.isEmpty()) {
      return;
    }
    if (kind[i] != NONE) {
      throw new IllegalStateException("polygon " + i + " stored twice");
    }
    scratch.reset();
    if (encode(g, rings(originals.apply(i)), scratch)) {
      if (bytePageUsed + scratch.size > PAGE || bytePages.isEmpty()) {
        bytePages.add(new byte[Math.max(PAGE, scratch.size)]);
        bytePageUsed = 0;
      }
      System.arraycopy(
          scratch.bytes, 0, bytePages.get(bytePages.size() - 1), bytePageUsed, scratch.size);
      kind[i] = KEPT;
      page[i] = bytePages.size() - 1;
      offset[i] = bytePageUsed;
      bytePageUsed += scratch.size;
      size++;
      return;
    }
    kind[i] = RAW;
    heldAsDoubles++;
    int parts = g instanceof Polygon ? 0 : g.getNumGeometries();
    int n = 0;
    int ints = 1;
    for (int p = 0; p < g.getNumGeometries(); p++) {
      Polygon poly = (Polygon) g.getGeometryN(p);
      n += poly.getNumPoints();
      ints += 1 + 1 + poly.getNumInteriorRing();
    }
    ensureShapes(ints);
    double[] target = reserve(2 * n);
    shapeAt[i] = shapesUsed;
    page[i] = pages.size() - 1;
    offset[i] = pageUsed - 2 * n;
    shapes[shapesUsed++] = parts;
    int at = offset[i];
    for (int p = 0; p < g.getNumGeometries(); p++) {
      Polygon poly = (Polygon) g.getGeometryN(p);
      shapes[shapesUsed++] = 1 + poly.getNumInteriorRing();
      at = copy(poly.getExteriorRing(), target, at);
      for (int h = 0; h < poly.getNumInteriorRing(); h++) {
        at = copy(poly.getInteriorRingN(h), target, at);
      }
    }
    size++;
  }

  private int copy(LinearRing ring, double[] target, int at) {
    var seq = ring.getCoordinateSequence();
    shapes[shapesUsed++] = seq.size();
    for (int k = 0; k < seq.size(); k++) {
      target[at++] = seq.getX(k);
      target[at++] = seq.getY(k);
    }
    return at;
  }

  private void ensureShapes(int more) {
    if (shapesUsed + more > shapes.length) {
      shapes = Arrays.copyOf(shapes, Math.max(shapesUsed + more, shapes.length * 2));
    }
  }

  /** A page with {@code doubles} free at its end, which this reserves. */
  private double[] reserve(int doubles) {
    if (pageUsed + doubles > PAGE || pages.isEmpty()) {
      pages.add(new double[Math.max(PAGE, doubles)]);
      pageUsed = 0;
    }
    pageUsed += doubles;
    return pages.get(pages.size() - 1);
  }

  /** Index i's polygon, made anew, or null. */
  Geometry polygon(int i) {
    if (kind[i] == KEPT) {
      return decode(bytePages.get(page[i]), offset[i], rings(originals.apply(i)));
    }
    int s = shapeAt[i];
    if (s < 0) {
      return null;
    }
    double[] source = pages.get(page[i]);
    int[] at = {offset[i]};
    int parts = shapes[s++];
    if (parts == 0) {
      return polygonAt(source, s, at);
    }
    Polygon[] polygons = new Polygon[parts];
    for (int p = 0; p < parts; p++) {
      polygons[p] = polygonAt(source, s, at);
      s += 1 + shapes[s];
    }
    return PACKED.createMultiPolygon(polygons);
  }

  private static Polygon polygonAt(double[] source, int s, int[] at, int[] shapes) {
    int rings = shapes[s];
    LinearRing[] r = new LinearRing[rings];
    for (int k = 0; k < rings; k++) {
      int n = shapes[s + 1 + k];
      double[] xy = Arrays.copyOfRange(source, at[0], at[0] + 2 * n);
      at[0] += 2 * n;
      r[k] = PACKED.createLinearRing(new PackedCoordinateSequence.Double(xy, 2, 0));
    }
    return PACKED.createPolygon(r[0], Arrays.copyOfRange(r, 1, rings));
  }

  private Polygon polygonAt(double[] source, int s, int[] at) {
    return polygonAt(source, s, at, shapes);
  }

  /** Whether index i has a polygon at this zoom. */
  boolean has(int i) {
    return kind[i] != NONE;
  }

  /** The rings of a polygon or multipolygon: each part's shell, then its holes. */
  private static List<CoordinateSequence> rings(Geometry g) {
    List<CoordinateSequence> out = new ArrayList<>();
    for (int p = 0; p < g.getNumGeometries(); p++) {
      Polygon poly = (Polygon) g.getGeometryN(p);
      out.add(poly.getExteriorRing().getCoordinateSequence());
      for (int h = 0; h < poly.getNumInteriorRing(); h++) {
        out.add(poly.getInteriorRingN(h).getCoordinateSequence());
      }
    }
    return out;
  }

  /**
   * {@code g} as the vertices of {@code original} it keeps: [parts (0: a Polygon)], per part
   * [rings], per ring [original ring * 2 + 1 when walked backwards, first vertex, vertices,
   * steps...], all varints; false when a vertex is not found in order.
   */
  private static boolean encode(Geometry g, List<CoordinateSequence> original, ByteOut out) {
    out.varint(g instanceof Polygon ? 0 : g.getNumGeometries());
    for (int p = 0; p < g.getNumGeometries(); p++) {
      Polygon poly = (Polygon) g.getGeometryN(p);
      out.varint(1 + poly.getNumInteriorRing());
      if (!encodeRing(poly.getExteriorRing().getCoordinateSequence(), original, out)) {
        return false;
      }
      for (int h = 0; h < poly.getNumInteriorRing(); h++) {
        if (!encodeRing(poly.getInteriorRingN(h).getCoordinateSequence(), original, out)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean encodeRing(
      CoordinateSequence r, List<CoordinateSequence> original, ByteOut out) {
    for (int k = 0; k < original.size(); k++) {
      // JTS may build a ring in either direction
      if (encodeRing(r, original.get(k), 2 * k, 1, out)
          || encodeRing(r, original.get(k), 2 * k + 1, -1, out)) {
        return true;
      }
    }
    return false;
  }

  /** Ring {@code r} as the vertices it keeps of {@code o}, walked in {@code direction}. */
  private static boolean encodeRing(
      CoordinateSequence r,
      CoordinateSequence o,
      int ringAndDirection,
      int direction,
      ByteOut out) {
    int n = r.size();
    int m = o.size() - 1; // distinct vertices of the closed ring
    int start = -1;
    for (int j = 0; j < m && start < 0; j++) {
      if (o.getX(j) == r.getX(0) && o.getY(j) == r.getY(0)) {
        start = j;
      }
    }
    if (start < 0) {
      return false;
    }
    int mark = out.size;
    out.varint(ringAndDirection);
    out.varint(start);
    out.varint(n);
    int pos = start;
    int total = 0;
    for (int v = 1; v < n; v++) {
      int step = 0;
      do {
        pos = (pos + direction + m) % m;
        step++;
      } while (step <= m && !(o.getX(pos) == r.getX(v) && o.getY(pos) == r.getY(v)));
      total += step;
      out.varint(step);
      if (step > m || total > m) {
        break;
      }
    }
    if (total == m) {
      return true; // once round the original ring, ending where it began
    }
    out.size = mark;
    return false;
  }

  private static Geometry decode(byte[] page, int at, List<CoordinateSequence> original) {
    int[] p = {at};
    int parts = varint(page, p);
    Polygon[] polygons = new Polygon[Math.max(1, parts)];
    for (int q = 0; q < polygons.length; q++) {
      LinearRing[] rings = new LinearRing[varint(page, p)];
      for (int k = 0; k < rings.length; k++) {
        int ringAndDirection = varint(page, p);
        CoordinateSequence o = original.get(ringAndDirection >> 1);
        int m = o.size() - 1;
        int direction = (ringAndDirection & 1) == 0 ? 1 : m - 1; // m - 1 steps: one back
        int pos = varint(page, p);
        int n = varint(page, p);
        double[] xy = new double[2 * n];
        xy[0] = o.getX(pos);
        xy[1] = o.getY(pos);
        for (int v = 1; v < n; v++) {
          pos = (int) ((pos + (long) direction * varint(page, p)) % m);
          xy[2 * v] = o.getX(pos);
          xy[2 * v + 1] = o.getY(pos);
        }
        rings[k] = PACKED.createLinearRing(new PackedCoordinateSequence.Double(xy, 2, 0));
      }
      polygons[q] = PACKED.createPolygon(rings[0], Arrays.copyOfRange(rings, 1, rings.length));
    }
    return parts == 0 ? polygons[0] : PACKED.createMultiPolygon(polygons);
  }

  private static int varint(byte[] b, int[] at) {
    int v = 0;
    int shift = 0;
    while (true) {
      byte x = b[at[0]++];
      v |= (x & 0x7f) << shift;
      if (x >= 0) {
        return v;
      }
      shift += 7;
    }
  }

  /** A growable byte buffer for one polygon's encoding. */
  private static final class ByteOut {
    byte[] bytes = new byte[256];
    int size;

    void reset() {
      size = 0;
    }

    void varint(int v) {
      if (size + 5 > bytes.length) {
        bytes = Arrays.copyOf(bytes, bytes.length * 2);
      }
      while ((v & ~0x7f) != 0) {
        bytes[size++] = (byte) ((v & 0x7f) | 0x80);
        v >>>= 7;
      }
      bytes[size++] = (byte) v;
    }
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean containsKey(Object key) {
    return slot(key) >= 0;
  }

  @Override
  public Geometry get(Object key) {
    int i = slot(key);
    return i < 0 ? null : polygon(i);
  }

  /** The index of a feature id that has a polygon here, or -1. */
  private int slot(Object key) {
    if (!(key instanceof Long id)) {
      return -1;
    }
    int lo = 0;
    int hi = byId.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      long v = ids[byId[mid]];
      if (v < id) {
        lo = mid + 1;
      } else if (v > id) {
        hi = mid - 1;
      } else {
        return has(byId[mid]) ? byId[mid] : -1;
      }
    }
    return -1;
  }

  /** The ids, without making a polygon for each (a store sorts them, then gets each). */
  @Override
  public Set<Long> keySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return size;
      }

      @Override
      public boolean contains(Object o) {
        return containsKey(o);
      }

      @Override
      public Iterator<Long> iterator() {
        Iterator<Map.Entry<Long, Geometry>> entries = entries(false);
        return new Iterator<>() {
          @Override
          public boolean hasNext() {
            return entries.hasNext();
          }

          @Override
          public Long next() {
            return entries.next().getKey();
          }
        };
      }
    };
  }

  @Override
  public Set<Map.Entry<Long, Geometry>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return size;
      }

      @Override
      public Iterator<Map.Entry<Long, Geometry>> iterator() {
        return entries(true);
      }
    };
  }

  /** The entries in order of id, each with its polygon made, or with none for {@link #keySet}. */
  private Iterator<Map.Entry<Long, Geometry>> entries(boolean withPolygons) {
    return new Iterator<>() {
      private int next = advance(0);

      private int advance(int from) {
        while (from < byId.length && !has(byId[from])) {
          from++;
        }
        return from;
      }

      @Override
      public boolean hasNext() {
        return next < byId.length;
      }

      @Override
      public Map.Entry<Long, Geometry> next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        int i = byId[next];
        next = advance(next + 1);
        return new SimpleImmutableEntry<>(ids[i], withPolygons ? polygon(i) : null);
      }
    };
  }
}
