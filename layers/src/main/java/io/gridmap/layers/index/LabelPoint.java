package io.gridmap.layers.index;

import io.gridmap.layers.model.Feature;

/**
 * Where an admin unit's label goes: a point inside the unit, in EPSG:3857 metres.
 *
 * @param feature the unit
 * @param level its admin level
 * @param code its code (the {@code code} attribute), or null when the layer has none
 * @param name its name (the {@code name} attribute), or null
 * @param x EPSG:3857 x
 * @param y EPSG:3857 y
 */
public record LabelPoint(
    Feature feature, AdminLevel level, String code, String name, double x, double y) {
  public long id() {
    return feature.id();
  }
}
