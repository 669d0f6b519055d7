package io.gridmap.importer.generate;

import io.gridmap.importer.geo.FixedGrid;
import java.util.List;
import java.util.SplittableRandom;
import org.locationtech.jts.algorithm.locate.IndexedPointInAreaLocator;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Location;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.index.strtree.STRtree;

/** Random points strictly inside grids, on {@link FixedGrid}, and the grid that holds a point. */
final class PointSampler {
  private final List<GridUnit> grids;
  private final IndexedPointInAreaLocator[] locators;
  private final STRtree index = new STRtree();

  PointSampler(List<GridUnit> grids) {
    this.grids = grids;
    this.locators = new IndexedPointInAreaLocator[grids.size()];
    for (int i = 0; i < grids.size(); i++) {
      index.insert(grids.get(i).geometry().getEnvelopeInternal(), i);
    }
    index.build();
  }

  private IndexedPointInAreaLocator locator(int i) {
    if (locators[i] == null) {
      locators[i] = new IndexedPointInAreaLocator(grids.get(i).geometry());
    }
    return locators[i];
  }

  /** A uniformly random point strictly inside grid i. */
  Point inside(int i, SplittableRandom rng) {
    Envelope env = grids.get(i).geometry().getEnvelopeInternal();
    for (int tries = 0; tries < 100_000; tries++) {
      Coordinate c =
          FixedGrid.round(
              new Coordinate(
                  env.getMinX() + rng.nextDouble() * env.getWidth(),
                  env.getMinY() + rng.nextDouble() * env.getHeight()));
      if (locator(i).locate(c) == Location.INTERIOR) {
        return FixedGrid.FACTORY.createPoint(c);
      }
    }
    throw new IllegalStateException("cannot place a point inside grid " + grids.get(i).code());
  }

  /** Index of the grid whose interior holds c, or -1. */
  int gridAt(Coordinate c) {
    for (Object o : index.query(new Envelope(c))) {
      int i = (Integer) o;
      if (locator(i).locate(c) == Location.INTERIOR) {
        return i;
      }
    }
    return -1;
  }
}
