package io.gridmap.layers.query.locate;

import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.LayerDef;
import java.util.Arrays;
import org.locationtech.jts.algorithm.locate.SimplePointInAreaLocator;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Location;

/**
 * Point to grid, and grid to its village, street, district and full-time worker.
 *
 * <h2>The border rule</h2>
 *
 * A point inside a grid belongs to that grid. A point on a border (an edge or a vertex that two or
 * more grids share, or the outer edge of the city) belongs to the grid with the <b>smallest grid
 * code</b> among those whose boundary it lies on. Grids are closed sets that tile their village, so
 * every point of the city is in exactly one grid by this rule, whichever order the index returns
 * candidates in. A point in no grid has none.
 *
 * <h2>Speed</h2>
 *
 * The grid layer's packed R-tree (HPRtree) gives the few grids whose envelope holds the point; each
 * is tested by ray crossing ({@link SimplePointInAreaLocator}: shell then holes, exact on the
 * boundary), with no allocation but the query envelope. The chain above the grid is precomputed per
 * grid as ordinals, so a location is a handful of array reads.
 */
public final class GridLocator {
  private final CityIndex index;
  private final LayerIndex grids;
  private final LayerIndex villages;
  private final LayerIndex streets;
  private final LayerIndex districts;
  private final LayerIndex forces;
  private final int[] villageOf;
  private final int[] streetOf;
  private final int[] districtOf;
  private final int[] workerOf;

  private GridLocator(CityIndex index) {
    this.index = index;
    this.grids = index.layer("grids");
    this.villages = index.findLayer("villages").orElse(null);
    this.streets = index.findLayer("streets").orElse(null);
    this.districts = index.findLayer("districts").orElse(null);
    this.forces = index.findLayer("forces").orElse(null);
    int n = grids.size();
    villageOf = new int[n];
    streetOf = new int[n];
    districtOf = new int[n];
    workerOf = new int[n];
    LayerDef def = grids.def();
    int code = def.fieldIndex("code");
    int worker = def.fieldIndex("worker_id");
    for (int g = 0; g < n; g++) {
      Feature f = grids.feature(g);
      String c =
          code >= 0 && f.value(code) != null ? (String) f.value(code) : Long.toString(f.id());
      villageOf[g] = ordinal(villages, c, 12);
      streetOf[g] = ordinal(streets, c, 9);
      districtOf[g] = ordinal(districts, c, 6);
      Object w = worker >= 0 ? f.value(worker) : null;
      workerOf[g] = forces != null && w != null ? forces.ordinalOf(((Number) w).longValue()) : -1;
    }
  }

  /**
   * Builds the locator over an index that has a {@code grids} layer (and, for the chain, the levels
   * above).
   */
  public static GridLocator build(CityIndex index) {
    return new GridLocator(index);
  }

  /**
   * Codes tell their ancestry: a grid's first 12 digits are its village, 9 its street, 6 its
   * district.
   */
  private static int ordinal(LayerIndex layer, String code, int digits) {
    if (layer == null || code.length() < digits) {
      return -1;
    }
    try {
      return layer.ordinalOf(Long.parseLong(code.substring(0, digits)));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * The ordinal (in the grids layer) of the grid holding the point by the border rule, or -1 when
   * no grid does.
   */
  public int locateOrdinal(double lon, double lat) {
    Finder f = new Finder(lon, lat);
    grids.queryOrdinals(new Envelope(lon, lon, lat, lat), f);
    return f.interior >= 0 ? f.interior : f.boundary;
  }

  /** The full location of a point, or null when it is in no grid. */
  public GridLocation locate(double lon, double lat) {
    Finder f = new Finder(lon, lat);
    grids.queryOrdinals(new Envelope(lon, lon, lat, lat), f);
    int g = f.interior >= 0 ? f.interior : f.boundary;
    return g < 0 ? null : location(g, f.interior < 0);
  }

  /** The chain of a grid given by ordinal. */
  public GridLocation location(int gridOrdinal, boolean onBorder) {
    int g = gridOrdinal;
    return new GridLocation(
        grids.feature(g),
        villageOf[g] < 0 ? null : villages.feature(villageOf[g]),
        streetOf[g] < 0 ? null : streets.feature(streetOf[g]),
        districtOf[g] < 0 ? null : districts.feature(districtOf[g]),
        workerOf[g] < 0 ? null : forces.feature(workerOf[g]),
        onBorder);
  }

  /** The index this locator reads. */
  public CityIndex index() {
    return index;
  }

  public LayerIndex grids() {
    return grids;
  }

  /** Collects the interior grid, or the smallest-id grid whose boundary holds the point. */
  private final class Finder implements io.gridmap.layers.index.IntVisitor {
    private final Coordinate p;
    int interior = -1;
    int boundary = -1;
    long boundaryId = Long.MAX_VALUE;

    Finder(double lon, double lat) {
      this.p = new Coordinate(lon, lat);
    }

    @Override
    public void visit(int ordinal) {
      if (interior >= 0) {
        return;
      }
      Feature f = grids.feature(ordinal);
      int loc = SimplePointInAreaLocator.locate(p, f.geometry());
      if (loc == Location.INTERIOR) {
        interior = ordinal;
      } else if (loc == Location.BOUNDARY && f.id() < boundaryId) {
        boundary = ordinal;
        boundaryId = f.id();
      }
    }
  }

  @Override
  public String toString() {
    return "GridLocator["
        + grids.size()
        + " grids, "
        + Arrays.stream(workerOf).filter(w -> w >= 0).count()
        + " with a worker]";
  }
}
