package io.gridmap.layers.testing;

import io.gridmap.layers.generalise.CoverageGeneraliser;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.DatasetMetadata;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Generalised;
import io.gridmap.layers.model.Layer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.PrecisionModel;

/**
 * A small grids-only city for edit tests: n × n quadrilateral grids of about 200 m near Chongqing,
 * corners jittered and every edge wiggling through 12 vertices, each edge built once and shared so
 * neighbours match exactly, all on the store's 1e-7 degree grid. The western half of the columns is
 * village 500103001001, the eastern half 500103001002; grid codes are the village code and a
 * 3-digit number, ids the codes. Generalised polygons for z12-14 come from {@link
 * CoverageGeneraliser}, as generate makes them.
 */
public final class TestGrids {
  public static final String WEST = "500103001001";
  public static final String EAST = "500103001002";
  private static final PrecisionModel GRID = new PrecisionModel(1e7);
  private static final GeometryFactory F = new GeometryFactory();

  private TestGrids() {}

  /** The grid id in column i, row j of an n × n city. */
  public static long id(int n, int i, int j) {
    String village = i < n / 2 ? WEST : EAST;
    int number = (i < n / 2 ? i : i - n / 2) * n + j + 1;
    return Long.parseLong(village + String.format("%03d", number));
  }

  public static Dataset city(int n, long seed) {
    Random r = new Random(seed);
    double step = 0.002;
    Coordinate[][] corner = new Coordinate[n + 1][n + 1];
    for (int i = 0; i <= n; i++) {
      for (int j = 0; j <= n; j++) {
        boolean edge = i == 0 || j == 0 || i == n || j == n;
        double jx = edge ? 0 : (r.nextDouble() - 0.5) * step * 0.4;
        double jy = edge ? 0 : (r.nextDouble() - 0.5) * step * 0.4;
        corner[i][j] = snap(106.5 + i * step + jx, 29.5 + j * step + jy);
      }
    }
    Map<String, List<Coordinate>> edges = new HashMap<>();
    List<Feature> features = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        List<Coordinate> ring = new ArrayList<>();
        int[][] cs = {{i, j}, {i + 1, j}, {i + 1, j + 1}, {i, j + 1}, {i, j}};
        for (int k = 0; k < 4; k++) {
          ring.addAll(edge(edges, corner, cs[k], cs[k + 1], r, step));
        }
        ring.add(ring.get(0));
        long id = id(n, i, j);
        String code = Long.toString(id);
        Object[] values = {
          code,
          "第" + (id % 1000) + "网格",
          code.substring(0, 12),
          code.substring(0, 9),
          code.substring(0, 6),
          500L,
          180L,
          id * 100,
          "worker " + id
        };
        features.add(
            new Feature(id, F.createPolygon(ring.toArray(Coordinate[]::new)), values, false));
      }
    }
    features.sort((a, b) -> Long.compare(a.id(), b.id()));
    Layer grids = new Layer(Catalogue.GRIDS, features);
    Generalised g = Generalised.empty();
    CoverageGeneraliser.generalise(grids, g);
    DatasetMetadata meta =
        new DatasetMetadata(
            "test-grids",
            seed,
            1.0,
            List.of("500103"),
            "2025-01-01T00:00:00Z",
            Map.of("grids", features.size()),
            List.of(),
            Map.of());
    return Dataset.of(List.of(grids), meta, g);
  }

  private static Coordinate snap(double x, double y) {
    return new Coordinate(GRID.makePrecise(x), GRID.makePrecise(y));
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
      Collections.reverse(pts);
    }
    if (pts == null) {
      Coordinate p = corner[a[0]][a[1]];
      Coordinate q = corner[b[0]][b[1]];
      int last = corner.length - 1;
      boolean outer =
          (a[0] == b[0] && (a[0] == 0 || a[0] == last))
              || (a[1] == b[1] && (a[1] == 0 || a[1] == last));
      pts = new ArrayList<>();
      pts.add(p);
      for (int k = 1; k < 13; k++) {
        double t = k / 13.0;
        double wiggle = outer ? 0 : (r.nextDouble() - 0.5) * step * 0.05;
        pts.add(snap(p.x + (q.x - p.x) * t + wiggle, p.y + (q.y - p.y) * t - wiggle));
      }
      pts.add(q);
      edges.put(key, pts);
    }
    return pts.subList(0, pts.size() - 1);
  }
}
