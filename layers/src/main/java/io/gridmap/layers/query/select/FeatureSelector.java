package io.gridmap.layers.query.select;

import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Feature;
import java.util.Arrays;
import java.util.function.Predicate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Point;

/**
 * Selects the features of one layer that a request asks for, in a stable order, one page at a time:
 * the engine under {@code /collections/{id}/items} and the domain queries.
 *
 * <p>Candidates come from the layer's R-tree when the request bounds space (a bbox, or the envelope
 * a CQL2 filter implies), else from a scan; each is then tested exactly. Features marked personal
 * are never selected. Matches are ordered by ordinal (dataset order), so that paging with an offset
 * is stable; only the ordinals are kept (4 bytes a match), never a copy of the features, so that a
 * whole-world request over 500k points costs 2 MB.
 */
public final class FeatureSelector {
  private static final GeometryFactory FACTORY = new GeometryFactory();

  private FeatureSelector() {}

  /**
   * One page of matches.
   *
   * @param ordinals the page's feature ordinals, in order
   * @param matched how many features match in all
   * @param offset the offset of the page's first feature among the matches
   */
  public record Page(int[] ordinals, int matched, int offset) {}

  /**
   * The matches of a request.
   *
   * @param layer the layer
   * @param bbox lon/lat box that a feature's geometry must intersect, or null
   * @param indexHint lon/lat envelope that every match's envelope intersects (from a filter), or
   *     null; a {@link Envelope#isNull() null envelope} means nothing can match
   * @param filter predicate every match satisfies, or null
   * @return the ordinals of every match, ascending
   */
  public static int[] matches(
      LayerIndex layer, Envelope bbox, Envelope indexHint, Predicate<Feature> filter) {
    return matches(layer, bbox, indexHint, filter, false);
  }

  /**
   * As {@link #matches(LayerIndex, Envelope, Envelope, Predicate)}; {@code includePersonal} selects
   * personal features too, for callers whose role may see them.
   */
  public static int[] matches(
      LayerIndex layer,
      Envelope bbox,
      Envelope indexHint,
      Predicate<Feature> filter,
      boolean includePersonal) {
    Envelope search = bbox;
    if (indexHint != null) {
      search = search == null ? indexHint : search.intersection(indexHint);
    }
    if (search != null && search.isNull()) {
      return new int[0];
    }
    int[] candidates;
    if (search == null) {
      candidates = new int[layer.size()];
      for (int i = 0; i < candidates.length; i++) {
        candidates[i] = i;
      }
    } else {
      IntBuffer found = new IntBuffer();
      layer.queryOrdinals(search, found::add);
      candidates = found.toArray();
      Arrays.sort(candidates);
    }
    Geometry box = bbox == null ? null : FACTORY.toGeometry(bbox);
    int n = 0;
    for (int o : candidates) {
      Feature f = layer.feature(o);
      if (f.personal() && !includePersonal) {
        continue;
      }
      if (box != null && !intersects(f.geometry(), bbox, box)) {
        continue;
      }
      if (filter != null && !filter.test(f)) {
        continue;
      }
      candidates[n++] = o;
    }
    return Arrays.copyOf(candidates, n);
  }

  /** The page {@code [offset, offset + limit)} of {@link #matches}. */
  public static Page page(int[] matches, int offset, int limit) {
    int from = Math.min(offset, matches.length);
    int to = (int) Math.min((long) from + limit, matches.length);
    return new Page(Arrays.copyOfRange(matches, from, to), matches.length, offset);
  }

  /** Exact intersection with a box: points by comparison, others by JTS (rectangle-optimised). */
  static boolean intersects(Geometry g, Envelope bbox, Geometry box) {
    Envelope e = g.getEnvelopeInternal();
    if (!bbox.intersects(e)) {
      return false;
    }
    if (g instanceof Point || bbox.contains(e)) {
      return true;
    }
    return box.intersects(g);
  }

  /** A growable int array. */
  static final class IntBuffer {
    private int[] a = new int[64];
    private int n;

    void add(int v) {
      if (n == a.length) {
        a = Arrays.copyOf(a, a.length * 2);
      }
      a[n++] = v;
    }

    int[] toArray() {
      return Arrays.copyOf(a, n);
    }
  }
}
