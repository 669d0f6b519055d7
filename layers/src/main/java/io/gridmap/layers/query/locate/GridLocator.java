package io.gridmap.layers.query.locate;

import io.gridmap.layers.index.CellIndex;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.LayerDef;
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
 * The grid layer's {@link CellIndex} answers most points from a cell that lies wholly inside one
 * grid, with no polygon test; a point in a cell a border crosses is tested by ray crossing ({@link
 * SimplePointInAreaLocator}: shell then holes, exact on the boundary) against the few grids listed
 * there. The chain above the grid is precomputed per grid as ordinals, so a location is a handful
 * of array reads.
 *
 * <p>The path before the cell index (the packed R-tree's candidates, each tested by ray crossing)
 * is kept as {@link #locateByTree}: the baseline that benchmarks measure against and tests compare
 * with.
 */
public final class GridLocator {
  private final CityIndex index;
  private final LayerIndex grids;
  private final CellIndex cells;

  /**
   * Per grid ordinal, its location for a point inside it, filled the first time a point lands in
   * the grid: a locate then returns a shared immutable record instead of five list lookups and an
   * allocation (a third of the time of a locate on the cell index, JFR). Filled lazily because a
   * locator is built anew for every index version (every batch of positions makes one) and a locate
   * follows it: filling all 65,000 grids at once would cost each of them milliseconds. Two threads
   * may fill one slot at once; both compute the same immutable record, so either is kept.
   */
  private final GridLocation[] inside;

  private final LayerIndex villages;
  private final LayerIndex streets;
  private final LayerIndex districts;
  private final LayerIndex forces;
  private final int codeField;
  private final int workerField;

  private GridLocator(CityIndex index) {
    this.index = index;
    this.grids = index.layer("grids");
    this.cells = grids.cells();
    this.villages = index.findLayer("villages").orElse(null);
    this.streets = index.findLayer("streets").orElse(null);
    this.districts = index.findLayer("districts").orElse(null);
    this.forces = index.findLayer("forces").orElse(null);
    this.inside = new GridLocation[grids.size()];
    LayerDef def = grids.def();
    this.codeField = def.fieldIndex("code");
    this.workerField = def.fieldIndex("worker_id");
  }

  /** The chain of the grid at ordinal g, for a point inside it. */
  private GridLocation chain(int g) {
    Feature f = grids.feature(g);
    String c =
        codeField >= 0 && f.value(codeField) != null
            ? (String) f.value(codeField)
            : Long.toString(f.id());
    Object w = workerField >= 0 ? f.value(workerField) : null;
    int workerOrdinal =
        forces != null && w != null ? forces.ordinalOf(((Number) w).longValue()) : -1;
    return new GridLocation(
        f,
        feature(villages, ordinal(villages, c, 12)),
        feature(streets, ordinal(streets, c, 9)),
        feature(districts, ordinal(districts, c, 6)),
        feature(forces, workerOrdinal),
        false);
  }

  private static Feature feature(LayerIndex layer, int ordinal) {
    return ordinal < 0 ? null : layer.feature(ordinal);
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
    return CellIndex.ordinal(cells == null ? byTree(lon, lat) : cells.locate(lon, lat));
  }

  /** The full location of a point, or null when it is in no grid. */
  public GridLocation locate(double lon, double lat) {
    return location(cells == null ? byTree(lon, lat) : cells.locate(lon, lat));
  }

  /**
   * {@link #locate} by the path before the cell index: every grid whose envelope the packed R-tree
   * says holds the point, tested by ray crossing. The same answers; kept as the baseline.
   */
  public GridLocation locateByTree(double lon, double lat) {
    return location(byTree(lon, lat));
  }

  /** {@link #locateOrdinal} by the path before the cell index. */
  public int locateOrdinalByTree(double lon, double lat) {
    return CellIndex.ordinal(byTree(lon, lat));
  }

  /** The R-tree path's answer, coded as {@link CellIndex#locate} codes it. */
  private int byTree(double lon, double lat) {
    Finder f = new Finder(lon, lat);
    grids.queryOrdinals(new Envelope(lon, lon, lat, lat), f);
    return f.interior >= 0 ? f.interior : f.boundary < 0 ? CellIndex.NONE : -2 - f.boundary;
  }

  private GridLocation location(int located) {
    return located == CellIndex.NONE
        ? null
        : location(CellIndex.ordinal(located), CellIndex.onBoundary(located));
  }

  /** The chain of a grid given by ordinal. */
  public GridLocation location(int gridOrdinal, boolean onBorder) {
    GridLocation in = inside[gridOrdinal];
    if (in == null) {
      in = chain(gridOrdinal);
      inside[gridOrdinal] = in;
    }
    return onBorder
        ? new GridLocation(in.grid(), in.village(), in.street(), in.district(), in.worker(), true)
        : in;
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
    return "GridLocator[" + grids.size() + " grids]";
  }
}
