package io.gridmap.importer.clean;

import io.gridmap.importer.geo.FixedGrid;
import io.gridmap.layers.geo.GroundMeasure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import org.locationtech.jts.coverage.CoverageUnion;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.locationtech.jts.geom.util.GeometryFixer;
import org.locationtech.jts.index.strtree.STRtree;
import org.locationtech.jts.operation.overlay.snap.GeometrySnapper;
import org.locationtech.jts.precision.GeometryPrecisionReducer;

/**
 * The generator's cleaning ({@link DistrictCleaner}) for the units of one parent: a street's
 * villages, a village's grids. It is what {@code mapserver import --repair} does to an admin layer.
 *
 * <ol>
 *   <li>each unit is fixed ({@link GeometryFixer}) and rounded to {@link FixedGrid};
 *   <li>the units' boundaries and the parent's are noded together and polygonized into faces;
 *   <li>a face outside the parent is cut off; a face inside several units goes to the <b>lowest
 *       code</b>; a face inside none is a gap and goes to the neighbour with the <b>longest shared
 *       border</b>, whatever its size (the units must tile their parent);
 *   <li>each unit is the coverage union of its faces.
 * </ol>
 *
 * Neighbours across the parent's boundary were cleaned with another parent, so the last step,
 * {@link #shareVertices}, snaps each cleaned unit and its neighbours to each other's vertices (JTS
 * {@code GeometrySnapper}) to make shared edges match vertex for vertex. JTS 1.20, the newest
 * served here, has no coverage cleaner of its own (its {@code CoverageCleaner} came later): this
 * class is ours for that reason.
 */
public final class UnitCleaner {
  /** Vertices closer than this to a neighbour's edge are snapped onto it: 1.5 grid cells. */
  public static final double SNAP_DEGREES = 1.5 / FixedGrid.PRECISION.getScale();

  private UnitCleaner() {}

  /**
   * A piece of ground the cleaning gave to another unit or cut off.
   *
   * @param kind {@code overlap} (kept by the lowest code), {@code gap} (filled), {@code outside}
   *     (cut off: outside the parent)
   * @param to the unit that has it now; null when it was cut off
   * @param from the units that claimed it and lost it, comma-separated; empty for a gap
   * @param piece the ground, lon/lat
   * @param areaM2 its area
   */
  public record Move(String kind, String to, String from, Geometry piece, double areaM2) {}

  /** Units by code after cleaning, and what moved. */
  public record Cleaned(Map<String, Geometry> units, List<Move> moves) {}

  /**
   * Cleans the children of one parent within it.
   *
   * @param parent the parent's outline; null for the top level (then, as for districts, only gaps
   *     under {@link DistrictCleaner#MAX_SLIVER_KM2} are filled and nothing is cut off)
   * @param children code -> outline, in code order
   */
  public static Cleaned within(Geometry parent, SortedMap<String, Geometry> children) {
    List<String> codes = new ArrayList<>(children.keySet());
    int n = codes.size();
    Geometry[] input = new Geometry[parent == null ? n : n + 1];
    for (int i = 0; i < n; i++) {
      input[i] = onGrid(children.get(codes.get(i)));
    }
    PreparedGeometry frame = null;
    if (parent != null) {
      input[n] = onGrid(parent);
      frame = PreparedGeometryFactory.prepare(input[n]);
    }
    List<Polygon> faces = DistrictCleaner.faces(input);
    PreparedGeometry[] prepared = new PreparedGeometry[n];
    for (int i = 0; i < n; i++) {
      prepared[i] = PreparedGeometryFactory.prepare(input[i]);
    }
    int[] owner = new int[faces.size()];
    List<Move> moves = new ArrayList<>();
    for (int f = 0; f < faces.size(); f++) {
      Polygon face = faces.get(f);
      Point inside = face.getInteriorPoint();
      List<Integer> claims = new ArrayList<>(2);
      for (int i = 0; i < n; i++) {
        if (input[i].getEnvelopeInternal().intersects(inside.getCoordinate())
            && prepared[i].contains(inside)) {
          claims.add(i);
        }
      }
      if (frame != null && !frame.contains(inside)) {
        owner[f] = -2;
        if (!claims.isEmpty()) {
          moves.add(new Move("outside", null, names(codes, claims, -1), face, area(face)));
        }
        continue;
      }
      owner[f] = claims.isEmpty() ? -1 : claims.get(0); // codes are sorted: the lowest first
      if (claims.size() > 1) {
        moves.add(
            new Move(
                "overlap", codes.get(owner[f]), names(codes, claims, owner[f]), face, area(face)));
      }
    }
    List<Integer> gaps = new ArrayList<>();
    for (int f = 0; f < faces.size(); f++) {
      if (owner[f] == -1) {
        gaps.add(f);
      }
    }
    DistrictCleaner.fillGaps(
        faces, owner, parent == null ? DistrictCleaner.MAX_SLIVER_KM2 : Double.MAX_VALUE);
    for (int f : gaps) {
      if (owner[f] >= 0) {
        moves.add(new Move("gap", codes.get(owner[f]), "", faces.get(f), area(faces.get(f))));
      }
    }
    Map<String, Geometry> out = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      List<Geometry> mine = new ArrayList<>();
      for (int f = 0; f < faces.size(); f++) {
        if (owner[f] == i) {
          mine.add(faces.get(f));
        }
      }
      // a unit left with no face of its own keeps its outline: the check after the repair names it
      out.put(
          codes.get(i),
          mine.isEmpty() ? input[i] : CoverageUnion.union(mine.toArray(Geometry[]::new)));
    }
    return new Cleaned(out, moves);
  }

  /**
   * Snaps the units named in {@code changed}, and every unit touching one of them, to their
   * neighbours' vertices, in place in {@code units}: after cleaning parents one at a time, the
   * edges along a parent's boundary may hold vertices the other side lacks.
   */
  public static void shareVertices(Map<String, Geometry> units, Set<String> changed) {
    STRtree tree = new STRtree();
    units.forEach((code, g) -> tree.insert(g.getEnvelopeInternal(), code));
    Set<String> around = new java.util.TreeSet<>(changed);
    for (String code : changed) {
      for (Object o : tree.query(units.get(code).getEnvelopeInternal())) {
        around.add((String) o);
      }
    }
    // one at a time, each against its neighbours as they are by then: two units never snap a pair
    // of
    // nearby vertices towards each other (a to b in one, b to a in the other)
    for (String code : around) {
      Geometry mine = units.get(code);
      Envelope near = new Envelope(mine.getEnvelopeInternal());
      near.expandBy(SNAP_DEGREES);
      List<Coordinate> theirs = new ArrayList<>();
      for (Object o : tree.query(near)) {
        if (!o.equals(code)) {
          for (Coordinate c : units.get((String) o).getCoordinates()) {
            if (near.contains(c)) {
              theirs.add(c);
            }
          }
        }
      }
      if (theirs.isEmpty()) {
        continue;
      }
      Geometry points =
          mine.getFactory().createMultiPointFromCoords(theirs.toArray(Coordinate[]::new));
      Geometry s = new GeometrySnapper(mine).snapTo(points, SNAP_DEGREES);
      if (s.isValid()) {
        units.put(code, s);
      }
    }
  }

  private static Geometry onGrid(Geometry g) {
    Geometry fixed = GeometryPrecisionReducer.reduce(GeometryFixer.fix(g), FixedGrid.PRECISION);
    return FixedGrid.FACTORY.createGeometry(fixed);
  }

  private static double area(Geometry g) {
    return GroundMeasure.areaM2(g);
  }

  private static String names(List<String> codes, List<Integer> claims, int except) {
    StringBuilder b = new StringBuilder();
    for (int i : claims) {
      if (i != except) {
        b.append(b.length() == 0 ? "" : ",").append(codes.get(i));
      }
    }
    return b.toString();
  }
}
