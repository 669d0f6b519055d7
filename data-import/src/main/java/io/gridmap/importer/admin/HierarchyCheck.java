package io.gridmap.importer.admin;

import io.gridmap.importer.admin.HierarchyProblem.Rule;
import io.gridmap.layers.edit.GridRedraw;
import io.gridmap.layers.geo.GroundMeasure;
import io.gridmap.layers.index.AdminLevel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.locationtech.jts.coverage.CoverageValidator;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.locationtech.jts.geom.util.PolygonExtracter;
import org.locationtech.jts.index.strtree.STRtree;
import org.locationtech.jts.operation.overlayng.OverlayNG;
import org.locationtech.jts.operation.overlayng.OverlayNGRobust;

/**
 * Checks that one admin level keeps the hierarchy: its codes are well formed and nest in the level
 * above, its units form a coverage (no overlaps, neighbours share their edges), each parent is
 * tiled by its children (nothing outside, no gaps), and the level below still nests in it.
 *
 * <p>The tolerances are the ones grid redraws use ({@link GridRedraw#AREA_TOLERANCE_M2} of area,
 * {@link GridRedraw#GAP_WIDTH_DEGREES} of gap width): an import may not break what an edit may not.
 * The cheap tests run first (codes, a prepared {@code covers}, the sum of the children's areas) and
 * the overlays only where those fail, so a valid grid layer of 65,000 units checks in seconds.
 */
public final class HierarchyCheck {
  /** Problems smaller than this (square metres) are noise of coordinate rounding. */
  public static final double AREA_TOLERANCE_M2 = GridRedraw.AREA_TOLERANCE_M2;

  private HierarchyCheck() {}

  /**
   * The problems of {@code units} as the new content of {@code level}.
   *
   * @param parents the level above by code (empty for districts)
   * @param children the store's level below, which must still nest in the new units (empty for
   *     grids)
   */
  public static List<HierarchyProblem> check(
      AdminLevel level,
      List<AdminUnit> units,
      Map<String, Geometry> parents,
      List<AdminUnit> children) {
    List<HierarchyProblem> problems = new ArrayList<>();
    String layer = level.layerName();
    int length = codeLength(level);
    List<AdminUnit> nested = new ArrayList<>();
    for (AdminUnit u : units) {
      if (!u.code().matches("\\d{" + length + "}")) {
        problems.add(
            new HierarchyProblem(
                Rule.BAD_CODE,
                layer,
                u.code(),
                null,
                u.geometry(),
                0,
                level.code() + " code " + u.code() + " is not " + length + " digits",
                codeFix(level)));
        continue;
      }
      if (level != AdminLevel.DISTRICT && !parents.containsKey(parentCode(u.code()))) {
        problems.add(
            new HierarchyProblem(
                Rule.NOT_NESTED,
                layer,
                u.code(),
                parentCode(u.code()),
                u.geometry(),
                0,
                level.code()
                    + " "
                    + u.code()
                    + " names parent "
                    + parentCode(u.code())
                    + ", which is not in "
                    + parentLevel(level).layerName(),
                codeFix(level)));
        continue;
      }
      nested.add(u);
    }
    coverage(layer, units, problems);
    if (level != AdminLevel.DISTRICT) {
      tiles(parentLevel(level), parents, layer, nested, problems);
    }
    if (level != AdminLevel.GRID && !children.isEmpty()) {
      Map<String, Geometry> byCode = new HashMap<>();
      units.forEach(u -> byCode.put(u.code(), u.geometry()));
      AdminLevel below = AdminLevel.values()[level.ordinal() + 1];
      List<AdminUnit> kept = new ArrayList<>();
      for (AdminUnit c : children) {
        String p = parentCode(c.code());
        if (!byCode.containsKey(p)) {
          problems.add(
              new HierarchyProblem(
                  Rule.ORPHAN,
                  below.layerName(),
                  c.code(),
                  p,
                  c.geometry(),
                  0,
                  below.code()
                      + " "
                      + c.code()
                      + " of the store lies in "
                      + level.code()
                      + " "
                      + p
                      + ", which the file does not hold",
                  "keep "
                      + level.code()
                      + " "
                      + p
                      + " in the file, or import the "
                      + below.layerName()
                      + " anew first"));
        } else {
          kept.add(c);
        }
      }
      tiles(level, byCode, below.layerName(), kept, problems);
    }
    return problems;
  }

  /** 6 digits a district, then 3 more a level. */
  public static int codeLength(AdminLevel level) {
    return 6 + 3 * level.ordinal();
  }

  /** The code of the unit one level up: the code without its last three digits. */
  public static String parentCode(String code) {
    return code.substring(0, code.length() - 3);
  }

  static AdminLevel parentLevel(AdminLevel level) {
    return AdminLevel.values()[level.ordinal() - 1];
  }

  private static String codeFix(AdminLevel level) {
    return level == AdminLevel.DISTRICT
        ? "a district code is its 6-digit GB/T 2260 code"
        : "a "
            + level.code()
            + " code is its parent's code and 3 digits ("
            + codeLength(level)
            + " in all); map the code column with --map code=COLUMN";
  }

  /**
   * Overlaps and unmatched edges between the units: JTS {@code CoverageValidator} finds the units
   * at fault, an overlay measures each overlap with the neighbours of those units only.
   */
  private static void coverage(String layer, List<AdminUnit> units, List<HierarchyProblem> out) {
    Geometry[] geoms = units.stream().map(AdminUnit::geometry).toArray(Geometry[]::new);
    Geometry[] invalid = CoverageValidator.validate(geoms, GridRedraw.GAP_WIDTH_DEGREES);
    STRtree tree = new STRtree();
    for (int i = 0; i < geoms.length; i++) {
      tree.insert(geoms[i].getEnvelopeInternal(), i);
    }
    boolean[] overlapping = new boolean[geoms.length];
    for (int i = 0; i < geoms.length; i++) {
      if (invalid[i] == null) {
        continue;
      }
      for (Object o : tree.query(geoms[i].getEnvelopeInternal())) {
        int j = (Integer) o;
        // each pair once: by the lower index, or by the only one of the two at fault
        if (j == i || (invalid[j] != null && j < i) || !geoms[i].intersects(geoms[j])) {
          continue;
        }
        Geometry both =
            polygons(OverlayNGRobust.overlay(geoms[i], geoms[j], OverlayNG.INTERSECTION));
        double area = GroundMeasure.areaM2(both);
        if (area > AREA_TOLERANCE_M2) {
          overlapping[i] = true;
          overlapping[j] = true;
          AdminUnit a = units.get(Math.min(i, j));
          AdminUnit b = units.get(Math.max(i, j));
          out.add(
              new HierarchyProblem(
                  Rule.OVERLAP,
                  layer,
                  a.code(),
                  b.code(),
                  both,
                  area,
                  String.format(
                      java.util.Locale.ROOT,
                      "%s and %s overlap by %.1f m²",
                      a.code(),
                      b.code(),
                      area),
                  "move the shared boundary so that the ground is in one of them, or pass --repair"
                      + " (the lower code keeps it)"));
        }
      }
    }
    for (int i = 0; i < geoms.length; i++) {
      if (invalid[i] != null && !overlapping[i] && !invalid[i].isEmpty()) {
        out.add(
            new HierarchyProblem(
                Rule.EDGES,
                layer,
                units.get(i).code(),
                null,
                invalid[i],
                0,
                units.get(i).code()
                    + " does not share its boundary with its neighbours vertex for vertex (or"
                    + " leaves a gap narrower than "
                    + GridRedraw.GAP_WIDTH_DEGREES
                    + "°)",
                "snap the layer to itself in QGIS (Vector > Geometry Tools > Snap geometries to"
                    + " layer), or pass --repair"));
      }
    }
  }

  /**
   * Each parent is tiled by its children: no child reaches outside it, and they leave no gap. The
   * gap is made only when the children's areas do not add up to the parent's.
   */
  private static void tiles(
      AdminLevel parentLevel,
      Map<String, Geometry> parents,
      String childLayer,
      List<AdminUnit> children,
      List<HierarchyProblem> out) {
    Map<String, List<AdminUnit>> byParent = new TreeMap<>();
    for (AdminUnit c : children) {
      byParent.computeIfAbsent(parentCode(c.code()), k -> new ArrayList<>()).add(c);
    }
    String childName = AdminLevel.values()[parentLevel.ordinal() + 1].layerName();
    for (Map.Entry<String, Geometry> p : new TreeMap<>(parents).entrySet()) {
      Geometry parent = p.getValue();
      List<AdminUnit> mine = byParent.getOrDefault(p.getKey(), List.of());
      if (mine.isEmpty()) {
        out.add(
            new HierarchyProblem(
                Rule.GAP,
                childLayer,
                p.getKey(),
                null,
                parent,
                GroundMeasure.areaM2(parent),
                parentLevel.code() + " " + p.getKey() + " holds no " + childName,
                "give it " + childName + " that cover it"));
        continue;
      }
      PreparedGeometry prepared = PreparedGeometryFactory.prepare(parent);
      double sum = 0;
      boolean clean = true;
      for (AdminUnit c : mine) {
        sum += GroundMeasure.areaM2(c.geometry());
        if (prepared.covers(c.geometry())) {
          continue;
        }
        Geometry outside =
            polygons(OverlayNGRobust.overlay(c.geometry(), parent, OverlayNG.DIFFERENCE));
        double area = GroundMeasure.areaM2(outside);
        if (area > AREA_TOLERANCE_M2) {
          clean = false;
          out.add(
              new HierarchyProblem(
                  Rule.OUTSIDE_PARENT,
                  childLayer,
                  c.code(),
                  p.getKey(),
                  outside,
                  area,
                  String.format(
                      java.util.Locale.ROOT,
                      "%s reaches %.1f m² outside its %s %s",
                      c.code(),
                      area,
                      parentLevel.code(),
                      p.getKey()),
                  "draw it inside its parent, or pass --repair (the part outside is cut off)"));
        }
      }
      if (clean && GroundMeasure.areaM2(parent) - sum <= AREA_TOLERANCE_M2) {
        continue; // inside, and adding up: no room for a gap
      }
      Geometry union = OverlayNGRobust.union(mine.stream().map(AdminUnit::geometry).toList());
      Geometry gap = polygons(OverlayNGRobust.overlay(parent, union, OverlayNG.DIFFERENCE));
      for (Geometry piece : pieces(gap)) {
        double area = GroundMeasure.areaM2(piece);
        if (area > AREA_TOLERANCE_M2) {
          out.add(
              new HierarchyProblem(
                  Rule.GAP,
                  childLayer,
                  p.getKey(),
                  null,
                  piece,
                  area,
                  String.format(
                      java.util.Locale.ROOT,
                      "%.1f m² of %s %s lies in none of its %s",
                      area,
                      parentLevel.code(),
                      p.getKey(),
                      childName),
                  "extend a neighbour over it, or pass --repair (the neighbour with the longest"
                      + " shared border takes it)"));
        }
      }
    }
  }

  /** The polygons of an overlay result (it may hold lines and points where shapes touch). */
  static Geometry polygons(Geometry g) {
    @SuppressWarnings("unchecked")
    List<Polygon> ps = PolygonExtracter.getPolygons(g);
    return g.getFactory().buildGeometry(ps);
  }

  private static List<Geometry> pieces(Geometry g) {
    List<Geometry> out = new ArrayList<>();
    for (int i = 0; i < g.getNumGeometries(); i++) {
      out.add(g.getGeometryN(i));
    }
    return out;
  }

  /** Counts per rule, for the summary: "3 overlap, 1 gap". */
  public static Map<String, Integer> counts(List<HierarchyProblem> problems) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (Rule r : Rule.values()) {
      int n = (int) problems.stream().filter(p -> p.rule() == r).count();
      if (n > 0) {
        out.put(r.id(), n);
      }
    }
    return out;
  }
}
