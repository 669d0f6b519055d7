package io.gridmap.importer.generate.shape;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.CoordinateSequence;
import org.locationtech.jts.geom.CoordinateSequenceFilter;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.triangulate.VoronoiDiagramBuilder;

/**
 * Voronoi cells of lon/lat seeds computed where distances are true to the ground: longitude is
 * scaled by cos(latitude) first (at 30°N a degree of longitude is 0.87 of a degree of latitude),
 * and the cells are scaled back. The scaling is affine, so cells still tile the plane and shared
 * vertices stay identical.
 */
final class LocalVoronoi {
  private static final GeometryFactory FLOATING = new GeometryFactory();

  private final double k;
  private final Envelope clip;

  LocalVoronoi(Envelope parent) {
    this.k = Math.cos(Math.toRadians(parent.centre().y));
    Envelope e =
        new Envelope(
            parent.getMinX() * k, parent.getMaxX() * k, parent.getMinY(), parent.getMaxY());
    e.expandBy(Math.max(e.getWidth(), e.getHeight()) * 0.5 + 1e-3);
    this.clip = e;
  }

  /** One cell per seed, in seed order. */
  List<Geometry> cells(List<Coordinate> seeds) {
    List<Coordinate> scaled = new ArrayList<>(seeds.size());
    Map<Coordinate, Integer> index = new HashMap<>();
    for (int i = 0; i < seeds.size(); i++) {
      Coordinate s = new Coordinate(seeds.get(i).x * k, seeds.get(i).y);
      scaled.add(s);
      index.put(s, i);
    }
    VoronoiDiagramBuilder b = new VoronoiDiagramBuilder();
    b.setSites(scaled);
    b.setClipEnvelope(clip);
    Geometry diagram = b.getDiagram(FLOATING);
    Geometry[] out = new Geometry[seeds.size()];
    for (int i = 0; i < diagram.getNumGeometries(); i++) {
      Geometry cell = diagram.getGeometryN(i);
      Integer at = index.get((Coordinate) cell.getUserData());
      if (at != null) {
        out[at] = unscale(cell);
      }
    }
    List<Geometry> cells = new ArrayList<>(seeds.size());
    for (int i = 0; i < out.length; i++) {
      if (out[i] == null) {
        throw new IllegalStateException("no Voronoi cell for seed " + seeds.get(i));
      }
      cells.add(out[i]);
    }
    return cells;
  }

  private Geometry unscale(Geometry cell) {
    Geometry g = cell.copy();
    g.apply(
        new CoordinateSequenceFilter() {
          @Override
          public void filter(CoordinateSequence seq, int i) {
            seq.setOrdinate(i, 0, seq.getX(i) / k);
          }

          @Override
          public boolean isDone() {
            return false;
          }

          @Override
          public boolean isGeometryChanged() {
            return true;
          }
        });
    return g;
  }
}
