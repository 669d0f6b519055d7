package io.gridmap.layers.query.nearest;

import io.gridmap.layers.geo.GroundMeasure;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Feature;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;

/**
 * The k features of a point layer nearest to a point, in metres ({@link GroundMeasure#metres}),
 * among those a filter accepts.
 *
 * <p>Searches the layer's R-tree in growing boxes (500 m, then four times wider) until k accepted
 * features lie within the box's inscribed radius or the radius passes {@code maxMetres}, so a dense
 * city answers from a few hundred candidates. Personal features are never returned. Ties are broken
 * by id, so the answer does not depend on index order.
 */
public final class NearestPoints {
  private NearestPoints() {}

  /** A feature and its distance in metres. */
  public record Neighbour(Feature feature, double metres) {}

  /**
   * The {@code k} nearest non-personal features; see {@link #nearest(LayerIndex, double, double,
   * int, Predicate, double, boolean)}.
   */
  public static List<Neighbour> nearest(
      LayerIndex layer,
      double lon,
      double lat,
      int k,
      Predicate<Feature> filter,
      double maxMetres) {
    return nearest(layer, lon, lat, k, filter, maxMetres, false);
  }

  /**
   * The {@code k} nearest features, personal ones (homes of vulnerable residents) only when {@code
   * includePersonal}.
   */
  public static List<Neighbour> nearest(
      LayerIndex layer,
      double lon,
      double lat,
      int k,
      Predicate<Feature> filter,
      double maxMetres,
      boolean includePersonal) {
    double r = Math.min(500, maxMetres);
    while (true) {
      List<Neighbour> found = new ArrayList<>();
      double radius = r;
      layer.queryOrdinals(
          GroundMeasure.expand(new Envelope(lon, lon, lat, lat), radius),
          o -> {
            Feature f = layer.feature(o);
            if ((f.personal() && !includePersonal) || (filter != null && !filter.test(f))) {
              return;
            }
            Coordinate c = f.geometry().getCoordinate();
            if (c == null) {
              return;
            }
            double d = GroundMeasure.metres(lon, lat, c.x, c.y);
            if (d <= radius) {
              found.add(new Neighbour(f, d));
            }
          });
      if (found.size() >= k || r >= maxMetres) {
        found.sort(
            Comparator.comparingDouble(Neighbour::metres).thenComparingLong(n -> n.feature().id()));
        return found.subList(0, Math.min(k, found.size()));
      }
      r = Math.min(r * 4, maxMetres);
    }
  }
}
