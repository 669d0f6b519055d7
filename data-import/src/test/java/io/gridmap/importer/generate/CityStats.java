package io.gridmap.importer.generate;

import io.gridmap.layers.geo.GroundMeasure;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.model.LayerDef;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.locationtech.jts.coverage.CoverageValidator;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;

/** Measurements of a generated city that the acceptance tests assert on. */
final class CityStats {
  private CityStats() {}

  static String code(Feature f, LayerDef def) {
    return f.string(def.requireField("code"));
  }

  /** Parent code of an admin feature: its code minus the last three digits. */
  static String parentCode(Feature f, LayerDef def) {
    String c = code(f, def);
    return c.substring(0, c.length() - 3);
  }

  /** Features of a layer grouped by parent code. */
  static Map<String, List<Feature>> byParent(Layer layer) {
    return layer.features().stream()
        .collect(
            Collectors.groupingBy(
                f -> parentCode(f, layer.def()), LinkedHashMap::new, Collectors.toList()));
  }

  /** Share of features with Polsby-Popper compactness at least {@code min}. */
  static double compactShare(Layer layer, double min) {
    long ok = layer.features().stream().filter(f -> compactness(f.geometry()) >= min).count();
    return (double) ok / layer.size();
  }

  /**
   * Polsby-Popper compactness 4πA/P²: 1 for a disc, about 0.9 for a regular hexagon, 0.785 for a
   * square, near 0 for a sliver. Measured as the generator measures (area and lengths on one
   * sphere), so that the thresholds it was tuned to keep their meaning.
   */
  static double compactness(Geometry g) {
    double perimeter = 0;
    Geometry boundary = g.getBoundary();
    for (int i = 0; i < boundary.getNumGeometries(); i++) {
      Coordinate[] cs = boundary.getGeometryN(i).getCoordinates();
      for (int j = 0; j + 1 < cs.length; j++) {
        perimeter += GroundMeasure.sphereMetres(cs[j], cs[j + 1]);
      }
    }
    return perimeter == 0
        ? 0
        : 4 * Math.PI * GroundMeasure.sinusoidalAreaM2(g) / (perimeter * perimeter);
  }

  /** Codes of urban units: subdistrict streets, communities; grids in communities. */
  static Set<String> communityCodes(Dataset d) {
    Layer v = d.layer("villages");
    int kind = v.def().requireField("kind");
    return v.features().stream()
        .filter(f -> f.string(kind).equals("community"))
        .map(f -> code(f, v.def()))
        .collect(Collectors.toSet());
  }

  static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s.length == 0
        ? Double.NaN
        : s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  /** Median area of grids in communities divided by the median area of grids in villages. */
  static double urbanToRuralMedianGridArea(Dataset d) {
    Set<String> communities = communityCodes(d);
    Layer grids = d.layer("grids");
    List<Double> urban = new ArrayList<>();
    List<Double> rural = new ArrayList<>();
    for (Feature f : grids.features()) {
      (communities.contains(parentCode(f, grids.def())) ? urban : rural)
          .add(GroundMeasure.sinusoidalAreaM2(f.geometry()));
    }
    return median(urban.stream().mapToDouble(x -> x).toArray())
        / median(rural.stream().mapToDouble(x -> x).toArray());
  }

  /** Whether a unit is urban: a subdistrict street, a community, or a grid in a community. */
  static boolean urban(Dataset d, String layer, Feature f, Set<String> communities) {
    return switch (layer) {
      case "streets" -> f.string(Catalogue.STREETS.requireField("kind")).equals("subdistrict");
      case "villages" -> communities.contains(code(f, Catalogue.VILLAGES));
      case "grids" -> communities.contains(parentCode(f, Catalogue.GRIDS));
      default -> false;
    };
  }

  /** Units below the minimum area for their kind (urban 2 ha, rural 20 ha), as "code area". */
  static List<String> tooSmall(Dataset d, String layer) {
    Set<String> communities = communityCodes(d);
    Layer l = d.layer(layer);
    List<String> out = new ArrayList<>();
    for (Feature f : l.features()) {
      double a = GroundMeasure.sinusoidalAreaM2(f.geometry());
      double min = urban(d, layer, f, communities) ? 20_000 : 200_000;
      if (a < min) {
        out.add(code(f, l.def()) + " " + Math.round(a) + " m²");
      }
    }
    return out;
  }

  /** Parents whose children are not a clean coverage or do not add up to the parent's area. */
  static List<String> untiledParents(Dataset d, String childLayer, String parentLayer) {
    Map<String, Geometry> parents = new HashMap<>();
    Layer p = d.layer(parentLayer);
    for (Feature f : p.features()) {
      parents.put(code(f, p.def()), f.geometry());
    }
    List<String> bad = new ArrayList<>();
    byParent(d.layer(childLayer))
        .forEach(
            (parent, kids) -> {
              Geometry[] cov = kids.stream().map(Feature::geometry).toArray(Geometry[]::new);
              double sum = Arrays.stream(cov).mapToDouble(Geometry::getArea).sum();
              Geometry pg = parents.get(parent);
              if (pg == null
                  || CoverageValidator.hasInvalidResult(CoverageValidator.validate(cov))
                  || Math.abs(sum - pg.getArea()) > 1e-6 * pg.getArea()
                  || Arrays.stream(cov).anyMatch(g -> g.isEmpty() || !g.isValid())) {
                bad.add(parent);
              }
            });
    return bad;
  }

  /** Whether a whole layer (across parents) is a clean coverage. */
  static boolean isCoverage(Layer layer) {
    Geometry[] cov = layer.features().stream().map(Feature::geometry).toArray(Geometry[]::new);
    return !CoverageValidator.hasInvalidResult(CoverageValidator.validate(cov));
  }
}
