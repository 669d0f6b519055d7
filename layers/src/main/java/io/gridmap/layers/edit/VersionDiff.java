package io.gridmap.layers.edit;

import io.gridmap.layers.geo.GroundMeasure;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.LayerDef;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Polygonal;
import org.locationtech.jts.operation.overlayng.OverlayNG;

/**
 * What changed between two versions of a feature: the attributes that differ, and the geometry
 * added and removed (for polygons the area one covers and the other does not, for points the old
 * and new position).
 *
 * @param attributes field name -> {old value, new value}, for the fields that differ, in field
 *     order
 * @param added what the newer version covers and the older does not (empty when nothing)
 * @param removed what the older covers and the newer does not
 * @param addedM2 the area added, square metres on the ground (0 for points and lines)
 * @param removedM2 the area removed
 */
public record VersionDiff(
    Map<String, Object[]> attributes,
    Geometry added,
    Geometry removed,
    double addedM2,
    double removedM2) {

  /** Compares {@code from} with {@code to}, field by field and by overlay of their geometries. */
  public static VersionDiff of(LayerDef def, Feature from, Feature to) {
    Map<String, Object[]> changed = new LinkedHashMap<>();
    for (int i = 0; i < def.fields().size(); i++) {
      Object a = from.value(i);
      Object b = to.value(i);
      if (!Objects.equals(a, b)) {
        changed.put(def.fields().get(i).name(), new Object[] {a, b});
      }
    }
    Geometry a = from.geometry();
    Geometry b = to.geometry();
    if (a.equalsExact(b)) {
      Geometry none = a.getFactory().createGeometryCollection();
      return new VersionDiff(changed, none, none, 0, 0);
    }
    Geometry added = OverlayNG.overlay(b, a, OverlayNG.DIFFERENCE, GridRedraw.PRECISION);
    Geometry removed = OverlayNG.overlay(a, b, OverlayNG.DIFFERENCE, GridRedraw.PRECISION);
    return new VersionDiff(
        changed,
        added,
        removed,
        added instanceof Polygonal ? GroundMeasure.areaM2(added) : 0,
        removed instanceof Polygonal ? GroundMeasure.areaM2(removed) : 0);
  }
}
