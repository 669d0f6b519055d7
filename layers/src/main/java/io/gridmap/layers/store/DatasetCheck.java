package io.gridmap.layers.store;

import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Field;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.model.LayerDef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What every store checks before it writes: the layers are the catalogue's or imported ones with an
 * importable name, each feature has a value per field and each value the field's type. Each failure
 * is an {@link IllegalArgumentException} naming the layer, the feature and the field.
 */
public final class DatasetCheck {
  private DatasetCheck() {}

  /** Columns every feature table has besides its fields; no field may take these names. */
  public static final java.util.Set<String> RESERVED = java.util.Set.of("fid", "geom", "personal");

  /**
   * The dataset's catalogue layers in catalogue order; a catalogue layer the dataset lacks is
   * written empty. Its other layers are imported ones ({@link #importedLayers}).
   */
  public static List<Layer> catalogueLayers(Dataset dataset) {
    for (Map.Entry<String, Layer> e : dataset.layers().entrySet()) {
      LayerDef def = e.getValue().def();
      LayerDef known = Catalogue.byName(e.getKey()).orElse(null);
      if (known == null) {
        continue; // an imported layer: importedLayers checks it
      }
      if (!known.equals(def)) {
        throw new IllegalArgumentException(
            "layer "
                + e.getKey()
                + " differs from its definition in the catalogue"
                + " (fields "
                + def.fields().stream().map(Field::name).toList()
                + ", catalogue "
                + known.fields().stream().map(Field::name).toList()
                + ")");
      }
    }
    List<Layer> layers = new ArrayList<>();
    for (LayerDef def : Catalogue.ALL) {
      for (Field f : def.fields()) {
        if (RESERVED.contains(f.name())) {
          throw new IllegalArgumentException(
              "layer "
                  + def.name()
                  + " has a field named "
                  + f.name()
                  + ", which the store reserves for its own column");
        }
      }
      Layer l = dataset.layers().get(def.name());
      layers.add(l != null ? l : new Layer(def, List.of()));
    }
    return layers;
  }

  /**
   * The dataset's layers that are not the catalogue's, in the dataset's order: imported layers,
   * each checked as {@link #imported} does.
   */
  public static List<Layer> importedLayers(Dataset dataset) {
    List<Layer> out = new ArrayList<>();
    for (Map.Entry<String, Layer> e : dataset.layers().entrySet()) {
      if (Catalogue.byName(e.getKey()).isEmpty()) {
        if (!e.getKey().equals(e.getValue().name())) {
          throw new IllegalArgumentException(
              "layer " + e.getValue().name() + " is in the dataset under the name " + e.getKey());
        }
        imported(e.getValue().def(), e.getValue().features());
        out.add(e.getValue());
      }
    }
    return out;
  }

  /**
   * Checks an imported layer before a store writes any of it: an importable name, no field taking a
   * store column's name, each feature's geometry, arity and value types, ids unique. A store that
   * fails midway rolls back anyway; checking first keeps its error messages ours and a COPY from
   * being abandoned halfway for our own refusals.
   */
  public static void imported(LayerDef def, List<io.gridmap.layers.model.Feature> features) {
    io.gridmap.layers.model.LayerNames.checkImportable(def.name());
    for (Field f : def.fields()) {
      if (RESERVED.contains(f.name())) {
        throw new IllegalArgumentException(
            "layer "
                + def.name()
                + " has a field named "
                + f.name()
                + ", which the store reserves for its own column: rename it");
      }
    }
    // ids sorted in one array, 8 bytes a feature where a set of Longs takes some 50: an import's
    // features may be made one at a time, and this check must not hold them all
    long[] ids = new long[features.size()];
    int n = 0;
    for (Feature f : features) {
      geometry(def, f);
      arity(def, f);
      for (int i = 0; i < def.fields().size(); i++) {
        if (f.value(i) != null) {
          value(def, f, def.fields().get(i), f.value(i));
        }
      }
      if (n == ids.length) {
        ids = java.util.Arrays.copyOf(ids, Math.max(16, n * 2));
      }
      ids[n++] = f.id();
    }
    java.util.Arrays.sort(ids, 0, n);
    for (int i = 1; i < n; i++) {
      if (ids[i] == ids[i - 1]) {
        throw new IllegalArgumentException(
            "layer " + def.name() + " has two features with id " + ids[i]);
      }
    }
  }

  /** Throws unless {@code f} has one value per field of {@code def}. */
  public static void arity(LayerDef def, Feature f) {
    if (f.values().length != def.fields().size()) {
      throw new IllegalArgumentException(
          "layer "
              + def.name()
              + " feature "
              + f.id()
              + " has "
              + f.values().length
              + " values but the layer has "
              + def.fields().size()
              + " fields");
    }
  }

  /** Throws unless {@code value} (not null) is of the type {@code field} holds. */
  public static void value(LayerDef def, Feature f, Field field, Object value) {
    if (!field.type().javaType().isInstance(value)) {
      throw new IllegalArgumentException(
          "layer "
              + def.name()
              + " feature "
              + f.id()
              + " field "
              + field.name()
              + " expects a "
              + field.type().javaType().getSimpleName()
              + " ("
              + field.type()
              + ") but has a "
              + value.getClass().getSimpleName()
              + " '"
              + value
              + "'");
    }
  }

  /**
   * Throws unless {@code f}'s geometry is of its layer's kind: a Point in a point layer, a Polygon
   * or MultiPolygon in a polygon layer.
   */
  public static void geometry(LayerDef def, Feature f) {
    org.locationtech.jts.geom.Geometry g = f.geometry();
    boolean fits =
        def.kind() == io.gridmap.layers.model.GeometryKind.POINT
            ? g instanceof org.locationtech.jts.geom.Point
            : g instanceof org.locationtech.jts.geom.Polygon
                || g instanceof org.locationtech.jts.geom.MultiPolygon;
    if (!fits) {
      throw new IllegalArgumentException(
          "layer "
              + def.name()
              + " feature "
              + f.id()
              + " has a "
              + g.getGeometryType()
              + " but the layer holds "
              + (def.kind() == io.gridmap.layers.model.GeometryKind.POINT
                  ? "Points"
                  : "Polygons or MultiPolygons"));
    }
  }

  /**
   * Whether a polygon layer holds any MultiPolygon: then every store keeps its Polygons as one-part
   * MultiPolygons (as {@code ogr2ogr -nlt PROMOTE_TO_MULTI} does), one geometry type per layer as
   * GeoPackage wants, so that a client gets the same GeoJSON whichever store serves the layer.
   */
  public static boolean promotesPolygons(Layer layer) {
    return promotesPolygons(layer.features());
  }

  /** As {@link #promotesPolygons(Layer)}, for a layer's features. */
  public static boolean promotesPolygons(List<Feature> features) {
    for (Feature f : features) {
      if (f.geometry() instanceof org.locationtech.jts.geom.MultiPolygon) {
        return true;
      }
    }
    return false;
  }

  /** {@code g} as a one-part MultiPolygon when it is a Polygon and {@code promote} holds. */
  public static org.locationtech.jts.geom.Geometry promote(
      org.locationtech.jts.geom.Geometry g, boolean promote) {
    return promote && g instanceof org.locationtech.jts.geom.Polygon p
        ? g.getFactory().createMultiPolygon(new org.locationtech.jts.geom.Polygon[] {p})
        : g;
  }
}
