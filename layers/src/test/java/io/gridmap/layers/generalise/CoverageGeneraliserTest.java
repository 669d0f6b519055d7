package io.gridmap.layers.generalise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.gridmap.layers.geo.WebMercator;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Generalised;
import io.gridmap.layers.model.Layer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.coverage.CoverageValidator;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Point;

class CoverageGeneraliserTest {
  private static final GeometryFactory F = new GeometryFactory();

  /**
   * A coverage of n × n quadrilaterals near Chongqing, cells of about 200 m, whose corners are
   * jittered and whose edges wiggle through 12 intermediate vertices each; every edge is built once
   * and shared, so neighbours match exactly.
   */
  static Layer wigglyGrids(int n, long seed) {
    Random r = new Random(seed);
    double step = 0.002;
    Coordinate[][] corner = new Coordinate[n + 1][n + 1];
    for (int i = 0; i <= n; i++) {
      for (int j = 0; j <= n; j++) {
        boolean edge = i == 0 || j == 0 || i == n || j == n;
        double jx = edge ? 0 : (r.nextDouble() - 0.5) * step * 0.4;
        double jy = edge ? 0 : (r.nextDouble() - 0.5) * step * 0.4;
        corner[i][j] = new Coordinate(106.5 + i * step + jx, 29.5 + j * step + jy);
      }
    }
    Map<String, List<Coordinate>> edges = new java.util.HashMap<>();
    List<Feature> features = new ArrayList<>();
    long id = 1;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        List<Coordinate> ring = new ArrayList<>();
        int[][] cs = {{i, j}, {i + 1, j}, {i + 1, j + 1}, {i, j + 1}, {i, j}};
        for (int k = 0; k < 4; k++) {
          ring.addAll(edge(edges, corner, cs[k], cs[k + 1], r, step));
        }
        ring.add(ring.get(0));
        features.add(
            new Feature(
                id++,
                F.createPolygon(ring.toArray(Coordinate[]::new)),
                new Object[Catalogue.GRIDS.fields().size()],
                false));
      }
    }
    return new Layer(Catalogue.GRIDS, features);
  }

  /** The edge from a to b without its last point, built once per pair and reused reversed. */
  private static List<Coordinate> edge(
      Map<String, List<Coordinate>> edges,
      Coordinate[][] corner,
      int[] a,
      int[] b,
      Random r,
      double step) {
    String key = a[0] + "," + a[1] + "-" + b[0] + "," + b[1];
    String rev = b[0] + "," + b[1] + "-" + a[0] + "," + a[1];
    List<Coordinate> pts = edges.get(key);
    if (pts == null && edges.containsKey(rev)) {
      pts = new ArrayList<>(edges.get(rev));
      java.util.Collections.reverse(pts);
    }
    if (pts == null) {
      Coordinate p = corner[a[0]][a[1]];
      Coordinate q = corner[b[0]][b[1]];
      boolean outer =
          (a[0] == b[0] && (a[0] == 0 || a[0] == corner.length - 1))
              || (a[1] == b[1] && (a[1] == 0 || a[1] == corner.length - 1));
      pts = new ArrayList<>();
      pts.add(p);
      for (int k = 1; k < 13; k++) {
        double t = k / 13.0;
        double wiggle = outer ? 0 : (r.nextDouble() - 0.5) * step * 0.05;
        pts.add(new Coordinate(p.x + (q.x - p.x) * t + wiggle, p.y + (q.y - p.y) * t - wiggle));
      }
      pts.add(q);
      edges.put(key, pts);
    }
    return pts.subList(0, pts.size() - 1);
  }

  @Test
  void toleranceFollowsTheTileUnitOfEachZoom() {
    assertThat(CoverageGeneraliser.unitMetres(0)).isCloseTo(40_075_016.686 / 4096, within(1e-3));
    assertThat(CoverageGeneraliser.unitMetres(14)).isCloseTo(0.597, within(1e-3));
    assertThat(CoverageGeneraliser.toleranceMetres(13))
        .isCloseTo(2 * CoverageGeneraliser.toleranceMetres(14), within(1e-9));
  }

  @Test
  void everyDrawnZoomIsStillACoverage() {
    Layer grids = wigglyGrids(12, 1);
    assertThat(
            CoverageValidator.hasInvalidResult(
                CoverageValidator.validate(
                    grids.features().stream().map(Feature::geometry).toArray(Geometry[]::new))))
        .isFalse();
    Generalised g = Generalised.empty();
    CoverageGeneraliser.generalise(grids, g);
    assertThat(g.zooms("grids")).containsExactlyInAnyOrder(12, 13, 14);
    for (int z = 12; z <= 14; z++) {
      Map<Long, Geometry> byId = g.get("grids", z);
      assertThat(byId).hasSize(grids.size());
      assertThat(byId.values()).allMatch(Geometry::isValid);
      assertThat(
              CoverageValidator.hasInvalidResult(
                  CoverageValidator.validate(byId.values().toArray(Geometry[]::new))))
          .as("zoom " + z)
          .isFalse();
    }
  }

  @Test
  void lowerZoomsKeepFewerVertices() {
    Layer grids = wigglyGrids(8, 2);
    Map<Integer, Map<Long, Geometry>> out = CoverageGeneraliser.generalise(grids);
    int original = grids.features().stream().mapToInt(f -> f.geometry().getNumPoints()).sum();
    int z14 = out.get(14).values().stream().mapToInt(Geometry::getNumPoints).sum();
    int z12 = out.get(12).values().stream().mapToInt(Geometry::getNumPoints).sum();
    assertThat(z14).isLessThan(original);
    assertThat(z12).isLessThan(z14);
  }

  @Test
  void outputIsInWebMercatorMetres() {
    Layer grids = wigglyGrids(3, 3);
    Geometry z14 = CoverageGeneraliser.generalise(grids).get(14).get(1L);
    Point c = grids.features().get(0).geometry().getCentroid();
    assertThat(z14.getCentroid().getX()).isCloseTo(WebMercator.x(c.getX()), within(5.0));
    assertThat(z14.getCentroid().getY()).isCloseTo(WebMercator.y(c.getY()), within(5.0));
  }

  @Test
  void refusesALayerThatIsNotACoverage() {
    Layer sites = new Layer(Catalogue.KEY_SITES, List.of());
    assertThatThrownBy(() -> CoverageGeneraliser.generalise(sites))
        .hasMessageContaining("key_sites");
  }
}
