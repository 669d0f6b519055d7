package io.gridmap.styles;

import static io.gridmap.styles.Expr.byZoom;
import static io.gridmap.styles.Expr.byZoomExp;
import static io.gridmap.styles.Expr.eq;
import static io.gridmap.styles.Expr.get;
import static io.gridmap.styles.Expr.of;
import static io.gridmap.styles.LayerBuilder.layer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridmap.layers.model.Catalogue;
import java.util.List;

/**
 * The admin levels: fills, boundaries and labels of districts, streets, villages and grids.
 *
 * <p>Boundaries are drawn finest first, so where a district boundary is also a street, village and
 * grid boundary only the district line shows. Each level fades in over the zoom after its tiles
 * start (streets at z7-8, villages z10-11, grids z12-13) and its width grows exponentially with
 * zoom, so at every zoom the hierarchy reads from thick dark to thin light: district > street >
 * village > grid.
 */
final class BoundaryLayers {
  private BoundaryLayers() {}

  static final String GROUP_DISTRICTS = Catalogue.DISTRICTS.name();
  static final String GROUP_STREETS = Catalogue.STREETS.name();
  static final String GROUP_VILLAGES = Catalogue.VILLAGES.name();
  static final String GROUP_GRIDS = Catalogue.GRIDS.name();

  /** Label levels in the {@code labels} source layer and the zoom each starts at. */
  static final int DISTRICT_LABELS_FROM = 5;

  static final int STREET_LABELS_FROM = 8;
  static final int VILLAGE_LABELS_FROM = 11;
  static final int GRID_LABELS_FROM = 13;

  static List<ObjectNode> fills(Theme t) {
    ObjectNode districts =
        layer(StyleLayers.DISTRICTS_FILL, "fill", Catalogue.DISTRICTS.name())
            .minzoom(Catalogue.DISTRICTS.minZoom())
            .group(GROUP_DISTRICTS)
            .paint("fill-color", t.land())
            .build();
    ObjectNode villages =
        layer(StyleLayers.VILLAGES_FILL, "fill", Catalogue.VILLAGES.name())
            .minzoom(Catalogue.VILLAGES.minZoom())
            .group(GROUP_VILLAGES)
            .paint(
                "fill-color",
                of(
                    "match",
                    get("kind"),
                    "community",
                    t.communityFill(),
                    "village",
                    t.ruralFill(),
                    t.land()))
            .paint("fill-opacity", byZoom(10, 0, 11, 1))
            .build();
    // Nearly invisible, but it makes a click anywhere in a grid hit the grid
    // (queryRenderedFeatures).
    ObjectNode grids =
        layer(StyleLayers.GRIDS_FILL, "fill", Catalogue.GRIDS.name())
            .minzoom(Catalogue.GRIDS.minZoom())
            .group(GROUP_GRIDS)
            .paint("fill-color", t.gridLine())
            .paint("fill-opacity", 0.04)
            .build();
    return List.of(districts, villages, grids);
  }

  static List<ObjectNode> lines(Theme t) {
    ObjectNode grids =
        line(StyleLayers.GRIDS_LINE, Catalogue.GRIDS.name(), Catalogue.GRIDS.minZoom(), GROUP_GRIDS)
            .paint("line-color", t.gridLine())
            .paint("line-width", byZoomExp(1.5, 12, 0.3, 14, 1.1, 16, 1.6))
            .paint("line-opacity", byZoom(12, 0.3, 13, 0.9))
            .build();
    ObjectNode villages =
        line(
                StyleLayers.VILLAGES_LINE,
                Catalogue.VILLAGES.name(),
                Catalogue.VILLAGES.minZoom(),
                GROUP_VILLAGES)
            .paint("line-color", t.villageLine())
            .paint("line-width", byZoomExp(1.5, 10, 0.5, 14, 1.4, 16, 2))
            .paint("line-dasharray", of(3, 2))
            .paint("line-opacity", byZoom(10, 0.3, 11, 1))
            .build();
    ObjectNode streets =
        line(
                StyleLayers.STREETS_LINE,
                Catalogue.STREETS.name(),
                Catalogue.STREETS.minZoom(),
                GROUP_STREETS)
            .paint("line-color", t.streetLine())
            .paint("line-width", byZoomExp(1.5, 7, 0.5, 10, 1.1, 14, 2.2, 16, 3))
            .paint("line-opacity", byZoom(7, 0.4, 8, 1))
            .build();
    ObjectNode casing =
        line(
                StyleLayers.DISTRICTS_CASING,
                Catalogue.DISTRICTS.name(),
                Catalogue.DISTRICTS.minZoom(),
                GROUP_DISTRICTS)
            .paint("line-color", t.districtCasing())
            .paint("line-width", byZoomExp(1.5, 0, 2, 6, 3, 10, 5, 14, 9))
            .paint("line-opacity", 0.6)
            .paint("line-blur", byZoom(0, 0.5, 14, 2))
            .build();
    ObjectNode districts =
        line(
                StyleLayers.DISTRICTS_LINE,
                Catalogue.DISTRICTS.name(),
                Catalogue.DISTRICTS.minZoom(),
                GROUP_DISTRICTS)
            .paint("line-color", t.districtLine())
            .paint("line-width", byZoomExp(1.5, 0, 0.6, 6, 1.2, 10, 2.2, 14, 3.5))
            .build();
    return List.of(grids, villages, streets, casing, districts);
  }

  private static LayerBuilder line(String id, String sourceLayer, int minzoom, String group) {
    return layer(id, "line", sourceLayer)
        .minzoom(minzoom)
        .group(group)
        .layout("line-join", "round")
        .layout("line-cap", "round");
  }

  /**
   * Labels from the {@code labels} source layer, one layer per level. Listed finest first: MapLibre
   * places symbols of higher layers first, so district names win collisions.
   */
  static List<ObjectNode> labels(Theme t) {
    ObjectNode grid =
        label(
                StyleLayers.LABELS_GRID,
                "grid",
                GRID_LABELS_FROM,
                GROUP_GRIDS,
                Fonts.REGULAR,
                byZoom(13, 10, 16, 13),
                t)
            .paint("text-color", t.gridLabel())
            .build();
    ObjectNode village =
        label(
                StyleLayers.LABELS_VILLAGE,
                "village",
                VILLAGE_LABELS_FROM,
                GROUP_VILLAGES,
                Fonts.REGULAR,
                byZoom(11, 11, 16, 15),
                t)
            .paint("text-color", t.labelText())
            .build();
    ObjectNode street =
        label(
                StyleLayers.LABELS_STREET,
                "street",
                STREET_LABELS_FROM,
                GROUP_STREETS,
                Fonts.REGULAR,
                byZoom(8, 11, 12, 14, 16, 17),
                t)
            .paint("text-color", t.labelText())
            .build();
    ObjectNode district =
        label(
                StyleLayers.LABELS_DISTRICT,
                "district",
                DISTRICT_LABELS_FROM,
                GROUP_DISTRICTS,
                Fonts.BOLD,
                byZoom(5, 12, 8, 15, 12, 19),
                t)
            .layout("text-letter-spacing", 0.1)
            .paint("text-color", t.districtLine())
            .build();
    return List.of(grid, village, street, district);
  }

  private static LayerBuilder label(
      String id, String level, int minzoom, String group, String font, Object size, Theme t) {
    return layer(id, "symbol", StyleLayers.LABELS_SOURCE_LAYER)
        .minzoom(minzoom)
        .group(group)
        .filter(eq("level", level))
        .layout("text-field", get("name"))
        .layout("text-font", of(font))
        .layout("text-size", size)
        .layout("text-max-width", 8)
        .layout("text-padding", 2)
        .paint("text-halo-color", t.labelHalo())
        .paint("text-halo-width", 1.5)
        .paint("text-halo-blur", 0.5);
  }
}
