package io.gridmap.bench.race;

import io.gridmap.layers.index.AdminLevel;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Field;
import io.gridmap.layers.model.FieldType;
import io.gridmap.layers.model.GeometryKind;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.tiler.render.LabelLayer;
import io.gridmap.tiler.render.PointLayer;
import java.util.ArrayList;
import java.util.List;

/**
 * One source layer of our tileset as both sides of the race draw it, read from the catalogue and
 * the tiler's constants so that the race follows the tiler when a layer, a zoom or an attribute
 * changes: its name, zooms and tiled attributes ({@code inTiles}, never personal, as the tiler's
 * {@code TileAttributes} picks them).
 *
 * @param def the stored layer, or null for the derived {@code labels}
 * @param kind how it is drawn
 * @param attributes the attributes tiles carry, in the catalogue's order
 * @param category for a point layer, the attribute a cluster summarises ({@code category}, else
 *     {@code role}, as the tiler's {@code PointLayer.categoryField}); null otherwise
 */
record RaceLayer(LayerDef def, Kind kind, List<Attribute> attributes, String category) {
  enum Kind {
    /** Admin polygons from the generalised geometries of each zoom. */
    COVERAGE,
    /** One point per admin unit where its name goes. */
    LABELS,
    /** Key sites, forces, events: cells below z14, every point at z14. */
    POINTS
  }

  /** A tiled attribute and its type (booleans are summarised differently from text in cells). */
  record Attribute(String name, FieldType type) {}

  static final String LABELS = LabelLayer.NAME;

  RaceLayer {
    attributes = List.copyOf(attributes);
  }

  /** Every layer of a whole-map tile, in our tiles' drawing order: polygons, labels, points. */
  static List<RaceLayer> all() {
    List<RaceLayer> out = new ArrayList<>();
    for (LayerDef d : Catalogue.ALL) {
      if (d.coverage()) {
        out.add(new RaceLayer(d, Kind.COVERAGE, tiled(d), null));
      }
    }
    out.add(
        new RaceLayer(
            null,
            Kind.LABELS,
            List.of(
                new Attribute("level", FieldType.STRING),
                new Attribute("code", FieldType.STRING),
                new Attribute("name", FieldType.STRING)),
            null));
    for (LayerDef d : Catalogue.ALL) {
      if (!d.coverage() && d.kind() == GeometryKind.POINT) {
        out.add(new RaceLayer(d, Kind.POINTS, tiled(d), categoryOf(d)));
      }
    }
    return out;
  }

  String name() {
    return def == null ? LABELS : def.name();
  }

  int minZoom() {
    return def == null ? LabelLayer.MIN_ZOOM : def.minZoom();
  }

  int maxZoom() {
    return def == null ? LabelLayer.MAX_ZOOM : def.maxZoom();
  }

  boolean visibleAt(int z) {
    return z >= minZoom() && z <= maxZoom();
  }

  /** True where our tiler draws this layer as cells (point layers below z14). */
  boolean clusteredAt(int z) {
    return kind == Kind.POINTS && visibleAt(z) && z < PointLayer.INDIVIDUAL_ZOOM;
  }

  /**
   * True when our server has a single-layer tile of it ({@code /collections/{id}/tiles/...}): every
   * stored layer; the labels are no collection, so they are raced only inside the whole-map tile.
   */
  boolean singleOnOurs() {
    return def != null;
  }

  /** The first zoom at which labels of a level appear (the tiler's {@code LEVEL_MIN_ZOOM}). */
  static int labelMinZoom(AdminLevel level) {
    return LabelLayer.LEVEL_MIN_ZOOM.get(level);
  }

  private static List<Attribute> tiled(LayerDef d) {
    List<Attribute> out = new ArrayList<>();
    for (Field f : d.fields()) {
      if (f.inTiles() && !f.personal()) {
        out.add(new Attribute(f.name(), f.type()));
      }
    }
    return out;
  }

  private static String categoryOf(LayerDef d) {
    for (String name : new String[] {"category", "role"}) {
      int i = d.fieldIndex(name);
      if (i >= 0 && d.fields().get(i).inTiles() && !d.fields().get(i).personal()) {
        return name;
      }
    }
    return null;
  }
}
