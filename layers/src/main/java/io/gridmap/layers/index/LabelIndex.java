package io.gridmap.layers.index;

import java.util.ArrayList;
import java.util.List;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.index.hprtree.HPRtree;

/** The label points of one admin level under a packed R-tree, in EPSG:3857. */
public final class LabelIndex {
  private final AdminLevel level;
  private final LabelPoint[] points;
  private final HPRtree tree;

  LabelIndex(AdminLevel level, LabelPoint[] points) {
    this.level = level;
    this.points = points;
    this.tree = new HPRtree();
    for (int i = 0; i < points.length; i++) {
      tree.insert(new Envelope(points[i].x(), points[i].x(), points[i].y(), points[i].y()), i);
    }
    tree.build();
  }

  public AdminLevel level() {
    return level;
  }

  public int size() {
    return points.length;
  }

  public LabelPoint point(int ordinal) {
    return points[ordinal];
  }

  /** Visits the ordinals of label points inside {@code mercator} (boundary included). */
  public void queryOrdinals(Envelope mercator, IntVisitor visitor) {
    tree.query(mercator, item -> visitor.visit((Integer) item));
  }

  public List<LabelPoint> query(Envelope mercator) {
    List<LabelPoint> out = new ArrayList<>();
    queryOrdinals(mercator, o -> out.add(points[o]));
    return out;
  }
}
