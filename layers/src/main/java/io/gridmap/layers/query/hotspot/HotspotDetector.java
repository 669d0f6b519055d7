package io.gridmap.layers.query.hotspot;

import io.gridmap.layers.geo.GroundMeasure;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Feature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.locationtech.jts.algorithm.ConvexHull;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;

/**
 * Density-based hotspots: DBSCAN over a set of points (say, this month's manhole-cover reports),
 * then each cluster scored against its own neighbourhood's background.
 *
 * <h2>Clustering</h2>
 *
 * Points are placed in a local equirectangular frame in metres (scaled by the WGS84 radii of
 * curvature at the points' mean latitude) and bucketed in square cells of side {@code eps}; a
 * point's neighbours are those within {@code eps} in the 3 × 3 cells around it. A point with at
 * least {@code minPoints} points within {@code eps} (itself included) is a core point; clusters are
 * core points joined through their neighbourhoods plus the border points they reach (DBSCAN, Ester
 * et al. 1996). Nothing about where hotspots are is given to it.
 *
 * <h2>Ranking</h2>
 *
 * A cluster of n points covering area A (its convex hull grown by eps/2) is compared with the
 * density of the same query's other points within {@code backgroundMetres} beyond its farthest
 * member (a disc around its centre): λ = (background points + 1) / (background area) × A is how
 * many points chance would put there, and the score is the Poisson log-likelihood ratio n ln(n/λ) −
 * (n − λ) (the statistic of Kulldorff's scan): large for many points where the neighbourhood is
 * sparse, small for a clump in a place that is busy anyway. Clusters are returned by score, highest
 * first.
 */
public final class HotspotDetector {
  private static final GeometryFactory GF = new GeometryFactory();

  private HotspotDetector() {}

  /**
   * @param epsMetres neighbourhood radius
   * @param minPoints points within eps (itself included) that make a core point
   * @param backgroundMetres radius of the neighbourhood a cluster is compared with
   */
  public record Settings(double epsMetres, int minPoints, double backgroundMetres) {
    /**
     * The settings a request gets when it names none (the HTTP handler's documented defaults):
     *
     * <ul>
     *   <li>{@code epsMetres} 150: two reports count as neighbours within 150 m, about one city
     *       block, so reports along one stretch of road chain into one cluster;
     *   <li>{@code minPoints} 4: a point with at least 3 others within 150 m (4 counting itself) is
     *       a core point; clusters grow from core points, and a point with no core point within 150
     *       m is noise;
     *   <li>{@code backgroundMetres} 1000: each cluster is compared with the density of the other
     *       points up to 1 km beyond its farthest member.
     * </ul>
     */
    public static final Settings DEFAULTS = new Settings(150, 4, 1000);

    public Settings {
      if (!(epsMetres > 0) || minPoints < 2 || !(backgroundMetres > epsMetres)) {
        throw new IllegalArgumentException(
            "hotspot settings need eps > 0, minPoints >= 2, background > eps; got "
                + epsMetres
                + ", "
                + minPoints
                + ", "
                + backgroundMetres);
      }
    }
  }

  /**
   * One hotspot.
   *
   * @param members ordinals of the member features in the layer, ascending
   * @param centreLon mean longitude of the members
   * @param centreLat mean latitude
   * @param radiusMetres farthest member from the centre
   * @param shape convex hull of the members (a point or line when they are degenerate)
   * @param expected points chance would put in the cluster's area (λ)
   * @param score Poisson log-likelihood ratio of n against λ
   */
  public record Cluster(
      int[] members,
      double centreLon,
      double centreLat,
      double radiusMetres,
      Geometry shape,
      double expected,
      double score) {
    public int count() {
      return members.length;
    }
  }

  /** Clusters of the given point features, highest score first. */
  public static List<Cluster> detect(LayerIndex layer, int[] ordinals, Settings s) {
    int n = ordinals.length;
    if (n == 0) {
      return List.of();
    }
    double[] lon = new double[n];
    double[] lat = new double[n];
    double meanLat = 0;
    for (int i = 0; i < n; i++) {
      Coordinate c = layer.feature(ordinals[i]).geometry().getCoordinate();
      lon[i] = c.x;
      lat[i] = c.y;
      meanLat += c.y / n;
    }
    double[] k = GroundMeasure.metresPerDegree(meanLat);
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = lon[i] * k[0];
      y[i] = lat[i] * k[1];
    }
    double eps = s.epsMetres();
    Map<Long, int[]> cells = buckets(x, y, eps);

    int[] label = new int[n]; // 0 unvisited, -1 noise, >0 cluster id
    int clusters = 0;
    int[] queue = new int[n];
    for (int i = 0; i < n; i++) {
      if (label[i] != 0) {
        continue;
      }
      int[] nb = neighbours(i, x, y, eps, cells);
      if (nb.length < s.minPoints()) {
        label[i] = -1;
        continue;
      }
      int id = ++clusters;
      label[i] = id;
      int head = 0;
      int tail = 0;
      for (int j : nb) {
        if (label[j] <= 0) {
          label[j] = id;
          queue[tail++] = j;
        }
      }
      while (head < tail) {
        int j = queue[head++];
        int[] nb2 = neighbours(j, x, y, eps, cells);
        if (nb2.length >= s.minPoints()) {
          for (int m : nb2) {
            if (label[m] <= 0) {
              label[m] = id;
              queue[tail++] = m;
            }
          }
        }
      }
    }

    List<List<Integer>> members = new ArrayList<>();
    for (int c = 0; c < clusters; c++) {
      members.add(new ArrayList<>());
    }
    for (int i = 0; i < n; i++) {
      if (label[i] > 0) {
        members.get(label[i] - 1).add(i);
      }
    }
    Map<Long, int[]> bgCells = buckets(x, y, s.backgroundMetres());
    List<Cluster> out = new ArrayList<>();
    for (List<Integer> m : members) {
      out.add(cluster(layer, ordinals, m, lon, lat, x, y, k, s, bgCells));
    }
    out.sort(
        Comparator.comparingDouble(Cluster::score)
            .reversed()
            .thenComparingInt(c -> c.members()[0]));
    return out;
  }

  private static Cluster cluster(
      LayerIndex layer,
      int[] ordinals,
      List<Integer> m,
      double[] lon,
      double[] lat,
      double[] x,
      double[] y,
      double[] k,
      Settings s,
      Map<Long, int[]> bgCells) {
    int c = m.size();
    double cx = 0;
    double cy = 0;
    Coordinate[] coords = new Coordinate[c];
    int[] ords = new int[c];
    for (int j = 0; j < c; j++) {
      int i = m.get(j);
      cx += x[i] / c;
      cy += y[i] / c;
      coords[j] = new Coordinate(lon[i], lat[i]);
      ords[j] = ordinals[i];
    }
    Arrays.sort(ords);
    double radius = 0;
    for (int i : m) {
      radius = Math.max(radius, Math.hypot(x[i] - cx, y[i] - cy));
    }
    Geometry hull = new ConvexHull(coords, GF).getConvexHull();
    // hull area and perimeter in metres, grown by eps/2 (Steiner's formula for a convex set)
    double area = 0;
    double perimeter = 0;
    Coordinate[] h = hull.getCoordinates();
    for (int j = 0; j + 1 < h.length; j++) {
      double x1 = h[j].x * k[0];
      double y1 = h[j].y * k[1];
      double x2 = h[j + 1].x * k[0];
      double y2 = h[j + 1].y * k[1];
      area += x1 * y2 - x2 * y1;
      perimeter += Math.hypot(x2 - x1, y2 - y1);
    }
    area = Math.abs(area) / 2;
    if (hull.getDimension() < 2) {
      perimeter *= 2; // a segment's outline goes there and back
    }
    double half = s.epsMetres() / 2;
    double clusterArea = area + perimeter * half + Math.PI * half * half;
    // the neighbourhood reaches backgroundMetres beyond the cluster's farthest member, so that a
    // large cluster is still compared with the ground around it
    double bgRadius = radius + s.backgroundMetres();
    int background = 0;
    java.util.Set<Integer> own = new java.util.HashSet<>(m);
    double cellSize = s.backgroundMetres();
    long cellX = (long) Math.floor(cx / cellSize);
    long cellY = (long) Math.floor(cy / cellSize);
    long reach = (long) Math.ceil(bgRadius / cellSize);
    for (long dx = -reach; dx <= reach; dx++) {
      for (long dy = -reach; dy <= reach; dy++) {
        int[] cell = bgCells.get(key(cellX + dx, cellY + dy));
        if (cell == null) {
          continue;
        }
        for (int i : cell) {
          if (!own.contains(i) && Math.hypot(x[i] - cx, y[i] - cy) <= bgRadius) {
            background++;
          }
        }
      }
    }
    double bgArea = Math.max(Math.PI * bgRadius * bgRadius - clusterArea, clusterArea);
    double lambda = (background + 1) / bgArea * clusterArea;
    double score = c > lambda ? c * Math.log(c / lambda) - (c - lambda) : 0;
    return new Cluster(ords, cx / k[0], cy / k[1], radius, hull, lambda, score);
  }

  private static long key(long cx, long cy) {
    return (cx << 32) ^ (cy & 0xffffffffL);
  }

  private static Map<Long, int[]> buckets(double[] x, double[] y, double size) {
    Map<Long, List<Integer>> lists = new HashMap<>();
    for (int i = 0; i < x.length; i++) {
      lists
          .computeIfAbsent(
              key((long) Math.floor(x[i] / size), (long) Math.floor(y[i] / size)),
              q -> new ArrayList<>())
          .add(i);
    }
    Map<Long, int[]> out = new HashMap<>();
    lists.forEach((q, l) -> out.put(q, l.stream().mapToInt(Integer::intValue).toArray()));
    return out;
  }

  /** Indexes within eps of point i, itself included. */
  private static int[] neighbours(
      int i, double[] x, double[] y, double eps, Map<Long, int[]> cells) {
    long cx = (long) Math.floor(x[i] / eps);
    long cy = (long) Math.floor(y[i] / eps);
    int[] buf = new int[16];
    int n = 0;
    for (long dx = -1; dx <= 1; dx++) {
      for (long dy = -1; dy <= 1; dy++) {
        int[] cell = cells.get(key(cx + dx, cy + dy));
        if (cell == null) {
          continue;
        }
        for (int j : cell) {
          if (Math.hypot(x[j] - x[i], y[j] - y[i]) <= eps) {
            if (n == buf.length) {
              buf = Arrays.copyOf(buf, n * 2);
            }
            buf[n++] = j;
          }
        }
      }
    }
    return Arrays.copyOf(buf, n);
  }

  /** The features of a cluster. */
  public static List<Feature> features(LayerIndex layer, Cluster c) {
    List<Feature> out = new ArrayList<>(c.count());
    for (int o : c.members()) {
      out.add(layer.feature(o));
    }
    return out;
  }
}
