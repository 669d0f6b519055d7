package io.gridmap.importer.clean;

import io.gridmap.importer.geo.CanonicalDensifier;
import io.gridmap.importer.geo.FixedGrid;
import io.gridmap.layers.geo.GroundMeasure;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.locationtech.jts.coverage.CoverageUnion;
import org.locationtech.jts.coverage.CoverageValidator;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.locationtech.jts.geom.util.GeometryFixer;
import org.locationtech.jts.geom.util.LinearComponentExtracter;
import org.locationtech.jts.operation.overlayng.UnaryUnionNG;
import org.locationtech.jts.operation.polygonize.Polygonizer;
import org.locationtech.jts.precision.GeometryPrecisionReducer;

/**
 * Turns raw district outlines into a clean coverage: every district valid and non-empty, no
 * overlaps, no slivers between neighbours, all on {@link FixedGrid}, neighbours sharing identical
 * vertices.
 *
 * <p>How, in one pass over the whole city so that the result is a coverage by construction:
 *
 * <ol>
 *   <li>repair each outline with {@link GeometryFixer} and round it to the grid;
 *   <li>node the boundaries of all districts together in one snap-rounded OverlayNG union, and
 *       polygonize the noded lines into faces: every face is inside the same set of districts;
 *   <li>a face inside one district belongs to it; a face inside several is an overlap and goes to
 *       the claimant with the <b>lowest GB/T 2260 code</b> (stable, and easy to check by hand); a
 *       face inside none is a gap: when it is under {@link #MAX_SLIVER_KM2} it is filled into the
 *       neighbour with which it shares the <b>longest border</b>, larger enclosed faces are left as
 *       holes (there are none in Chongqing);
 *   <li>each district is the coverage union of its faces, densified so that no edge is longer than
 *       {@code maxSegmentMetres} (the generator cuts streets and grids at these vertices).
 * </ol>
 */
public final class DistrictCleaner {
  /** A gap above this is a real hole, not a digitising sliver: 1 km². */
  public static final double MAX_SLIVER_KM2 = 1.0;

  /** Default densify spacing: 40 m, a fifth of a dense urban grid's width. */
  public static final double DEFAULT_MAX_SEGMENT_METRES = 40;

  private final double maxSegmentMetres;

  public DistrictCleaner(double maxSegmentMetres) {
    this.maxSegmentMetres = maxSegmentMetres;
  }

  public DistrictCleaner() {
    this(DEFAULT_MAX_SEGMENT_METRES);
  }

  /** The bundled Chongqing districts, cleaned. */
  public static CleanedDistricts chongqing() {
    return new DistrictCleaner().clean(DistrictSource.bundled(), DistrictSource.BUNDLED);
  }

  /**
   * Cleans the outlines.
   *
   * @param source file name for error messages
   * @throws IllegalArgumentException naming the source and the district when an outline cannot be
   *     made into a non-empty polygon, or when the result is not a valid coverage
   */
  public CleanedDistricts clean(List<RawDistrict> raw, String source) {
    List<RawDistrict> input = new ArrayList<>(raw);
    input.sort(Comparator.comparing(RawDistrict::code));
    int n = input.size();

    Geometry[] fixed = new Geometry[n];
    int repaired = 0;
    for (int i = 0; i < n; i++) {
      RawDistrict d = input.get(i);
      if (!d.geometry().isValid()) {
        repaired++;
      }
      Geometry g =
          GeometryPrecisionReducer.reduce(GeometryFixer.fix(d.geometry()), FixedGrid.PRECISION);
      if (g.isEmpty() || g.getDimension() != 2) {
        throw new IllegalArgumentException(
            source + ": district " + d.code() + " " + d.sourceName() + " is empty after repair");
      }
      fixed[i] = FixedGrid.FACTORY.createGeometry(g);
    }

    List<Polygon> faces = faces(fixed);
    int[] owner = new int[faces.size()];
    PreparedGeometry[] prepared = new PreparedGeometry[n];
    for (int i = 0; i < n; i++) {
      prepared[i] = PreparedGeometryFactory.prepare(fixed[i]);
    }
    int overlapPieces = 0;
    double overlapKm2 = 0;
    for (int f = 0; f < faces.size(); f++) {
      Polygon face = faces.get(f);
      Point inside = face.getInteriorPoint();
      owner[f] = -1;
      int claims = 0;
      for (int i = 0; i < n; i++) {
        if (prepared[i].getGeometry().getEnvelopeInternal().intersects(inside.getCoordinate())
            && prepared[i].contains(inside)) {
          claims++;
          if (owner[f] < 0) {
            owner[f] = i; // input is sorted by code, so the first claimant has the lowest code
          }
        }
      }
      if (claims > 1) {
        overlapPieces++;
        overlapKm2 += GroundMeasure.sinusoidalAreaM2(face) / 1e6;
      }
    }

    GapFill gaps = fillGaps(faces, owner, MAX_SLIVER_KM2);

    List<District> out = new ArrayList<>(n);
    CanonicalDensifier densifier = new CanonicalDensifier(maxSegmentMetres);
    int vertices = 0;
    for (int i = 0; i < n; i++) {
      List<Geometry> mine = new ArrayList<>();
      for (int f = 0; f < faces.size(); f++) {
        if (owner[f] == i) {
          mine.add(faces.get(f));
        }
      }
      RawDistrict d = input.get(i);
      if (mine.isEmpty()) {
        throw new IllegalArgumentException(
            source
                + ": district "
                + d.code()
                + " "
                + d.sourceName()
                + " lies wholly inside lower-coded districts");
      }
      Geometry g = densifier.densify(CoverageUnion.union(mine.toArray(Geometry[]::new)));
      if (!g.isValid()) {
        throw new IllegalArgumentException(
            source
                + ": district "
                + d.code()
                + " "
                + d.sourceName()
                + " is invalid after cleaning");
      }
      vertices += g.getNumPoints();
      out.add(new District(d.code(), d.name(), FixedGrid.FACTORY.createGeometry(g)));
    }

    Geometry[] coverage = out.stream().map(District::geometry).toArray(Geometry[]::new);
    Geometry[] invalid = CoverageValidator.validate(coverage);
    for (int i = 0; i < n; i++) {
      if (invalid[i] != null) {
        throw new IllegalArgumentException(
            source
                + ": district "
                + out.get(i).code()
                + " does not fit its neighbours after cleaning at "
                + invalid[i]);
      }
    }
    CleaningReport report =
        new CleaningReport(
            n, repaired, overlapPieces, overlapKm2, gaps.pieces, gaps.km2, gaps.keptKm2, vertices);
    return new CleanedDistricts(out, report);
  }

  /**
   * Faces of the noded boundaries of all the polygons, snap-rounded on {@link FixedGrid}: every
   * face is inside the same set of them. {@link UnitCleaner} uses them too.
   */
  static List<Polygon> faces(Geometry[] districts) {
    List<Geometry> lines = new ArrayList<>();
    for (Geometry g : districts) {
      for (Object o : LinearComponentExtracter.getLines(g)) {
        LineString ls = (LineString) o;
        lines.add(FixedGrid.FACTORY.createLineString(ls.getCoordinates()));
      }
    }
    Geometry noded = UnaryUnionNG.union(lines, FixedGrid.FACTORY, FixedGrid.PRECISION);
    Polygonizer polygonizer = new Polygonizer();
    polygonizer.add(noded);
    @SuppressWarnings("unchecked")
    List<Polygon> faces = new ArrayList<>(polygonizer.getPolygons());
    // Polygonizer's order depends on hashing of its graph: sort for a stable face numbering.
    faces.sort(Comparator.comparing(p -> p.getInteriorPoint().getCoordinate()));
    return faces;
  }

  record GapFill(int pieces, double km2, double keptKm2) {}

  /**
   * Gives each unowned face under {@code maxKm2} to the owner of the neighbouring faces that share
   * most of its border. Repeats so that gaps made of several faces fill from outside in.
   */
  static GapFill fillGaps(List<Polygon> faces, int[] owner, double maxKm2) {
    Map<Edge, List<Integer>> facesByEdge = new HashMap<>();
    for (int f = 0; f < faces.size(); f++) {
      Coordinate[] cs = faces.get(f).getExteriorRing().getCoordinates();
      for (int j = 0; j + 1 < cs.length; j++) {
        facesByEdge.computeIfAbsent(Edge.of(cs[j], cs[j + 1]), k -> new ArrayList<>(2)).add(f);
      }
      for (int h = 0; h < faces.get(f).getNumInteriorRing(); h++) {
        Coordinate[] hs = faces.get(f).getInteriorRingN(h).getCoordinates();
        for (int j = 0; j + 1 < hs.length; j++) {
          facesByEdge.computeIfAbsent(Edge.of(hs[j], hs[j + 1]), k -> new ArrayList<>(2)).add(f);
        }
      }
    }
    int pieces = 0;
    double km2 = 0;
    double keptKm2 = 0;
    boolean progress = true;
    while (progress) {
      progress = false;
      for (int f = 0; f < faces.size(); f++) {
        if (owner[f] != -1) {
          continue; // owned, or (-2) outside everything that counts
        }
        double area = GroundMeasure.sinusoidalAreaM2(faces.get(f)) / 1e6;
        if (area > maxKm2) {
          continue;
        }
        Map<Integer, Double> shared = new HashMap<>();
        Polygon face = faces.get(f);
        for (Coordinate[] cs : rings(face)) {
          for (int j = 0; j + 1 < cs.length; j++) {
            for (int other : facesByEdge.get(Edge.of(cs[j], cs[j + 1]))) {
              if (other != f && owner[other] >= 0) {
                shared.merge(
                    owner[other], GroundMeasure.sphereMetres(cs[j], cs[j + 1]), Double::sum);
              }
            }
          }
        }
        if (!shared.isEmpty()) {
          owner[f] = longestBorder(shared);
          pieces++;
          km2 += area;
          progress = true;
        }
      }
    }
    for (int f = 0; f < faces.size(); f++) {
      if (owner[f] == -1) {
        keptKm2 += GroundMeasure.sinusoidalAreaM2(faces.get(f)) / 1e6;
      }
    }
    return new GapFill(pieces, km2, keptKm2);
  }

  /** The owner with the longest shared border; ties go to the lower code. */
  private static int longestBorder(Map<Integer, Double> shared) {
    int best = -1;
    double bestLength = -1;
    for (Map.Entry<Integer, Double> e : shared.entrySet()) {
      if (e.getValue() > bestLength || (e.getValue() == bestLength && e.getKey() < best)) {
        best = e.getKey();
        bestLength = e.getValue();
      }
    }
    return best;
  }

  private static List<Coordinate[]> rings(Polygon p) {
    List<Coordinate[]> out = new ArrayList<>();
    out.add(p.getExteriorRing().getCoordinates());
    for (int h = 0; h < p.getNumInteriorRing(); h++) {
      out.add(p.getInteriorRingN(h).getCoordinates());
    }
    return out;
  }

  /** An undirected segment as a hash key. */
  record Edge(double x1, double y1, double x2, double y2) {
    static Edge of(Coordinate a, Coordinate b) {
      return a.compareTo(b) <= 0 ? new Edge(a.x, a.y, b.x, b.y) : new Edge(b.x, b.y, a.x, a.y);
    }
  }

  @Override
  public String toString() {
    return "DistrictCleaner[maxSegmentMetres=" + maxSegmentMetres + "]";
  }
}
