package io.gridmap.layers.model;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a layer is: its name, geometry, attributes and the zooms at which tiles draw it.
 *
 * @param name snake_case layer name; also the store table name and the tile source layer
 * @param title human title
 * @param kind geometry kind
 * @param fields attributes in their stored order; a feature's values follow this order
 * @param minZoom first zoom at which tiles carry the layer
 * @param maxZoom last zoom (tiles stop at 14; clients overzoom)
 * @param coverage true when the polygons tile their parent exactly and are generalised as a
 *     coverage
 * @param live true when features change while the server runs (positions, incidents)
 * @param staffOnly true when the whole layer is for staff (an imported roster of people): absent
 *     from public tiles, TileJSON, collections and items, as if every feature were personal
 * @param clustered for point layers: true when tiles below z14 draw cells of points (clusters),
 *     false when they draw every point at every zoom of the range
 */
public record LayerDef(
    String name,
    String title,
    GeometryKind kind,
    List<Field> fields,
    int minZoom,
    int maxZoom,
    boolean coverage,
    boolean live,
    boolean staffOnly,
    boolean clustered) {

  /** A layer of the built-in catalogue: public, and its points clustered. */
  public LayerDef(
      String name,
      String title,
      GeometryKind kind,
      List<Field> fields,
      int minZoom,
      int maxZoom,
      boolean coverage,
      boolean live) {
    this(
        name,
        title,
        kind,
        fields,
        minZoom,
        maxZoom,
        coverage,
        live,
        false,
        kind == GeometryKind.POINT);
  }

  public LayerDef {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    fields = List.copyOf(fields);
    if (minZoom < 0 || maxZoom > 14 || minZoom > maxZoom) {
      throw new IllegalArgumentException(
          "layer "
              + name
              + ": zooms must satisfy 0 <= min <= max <= 14, got "
              + minZoom
              + ".."
              + maxZoom);
    }
    if (coverage && kind != GeometryKind.POLYGON) {
      throw new IllegalArgumentException(
          "layer " + name + ": only polygon layers can be coverages");
    }
    if (clustered && kind != GeometryKind.POINT) {
      throw new IllegalArgumentException("layer " + name + ": only point layers are clustered");
    }
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < fields.size(); i++) {
      if (seen.put(fields.get(i).name(), i) != null) {
        throw new IllegalArgumentException(
            "layer " + name + ": duplicate field " + fields.get(i).name());
      }
    }
  }

  /** Index of a field in {@link #fields()}, or -1 when the layer has no such field. */
  public int fieldIndex(String fieldName) {
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).name().equals(fieldName)) {
        return i;
      }
    }
    return -1;
  }

  /** Index of a field that must exist. */
  public int requireField(String fieldName) {
    int i = fieldIndex(fieldName);
    if (i < 0) {
      throw new IllegalArgumentException("layer " + name + " has no field " + fieldName);
    }
    return i;
  }
}
