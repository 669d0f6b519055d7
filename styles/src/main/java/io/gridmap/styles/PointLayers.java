package io.gridmap.styles;

import static io.gridmap.styles.Expr.all;
import static io.gridmap.styles.Expr.byZoom;
import static io.gridmap.styles.Expr.count;
import static io.gridmap.styles.Expr.eq;
import static io.gridmap.styles.Expr.get;
import static io.gridmap.styles.Expr.isCluster;
import static io.gridmap.styles.Expr.isSingle;
import static io.gridmap.styles.Expr.of;
import static io.gridmap.styles.LayerBuilder.layer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridmap.layers.model.Board;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.LayerDef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Key sites, forces and events. Below z14 the tiler clusters points: a cluster is a point with a
 * {@code count} above 1 and maybe no other attribute, drawn as a circle sized by the count with the
 * count written on it. Urgent events are never clustered and get three layers of their own on top
 * of everything, in the reserved {@link AlertPalette#URGENT}.
 */
final class PointLayers {
  private PointLayers() {}

  static final String GROUP_KEY_SITES = Catalogue.KEY_SITES.name();
  static final String GROUP_FORCES = Catalogue.FORCES.name();
  static final String GROUP_EVENTS = Catalogue.EVENTS.name();

  /** Points: clusters under singles, then events of each board. */
  static List<ObjectNode> points(Theme t) {
    List<ObjectNode> layers = new ArrayList<>();
    layers.add(cluster(StyleLayers.KEY_SITES_CLUSTER, Catalogue.KEY_SITES, GROUP_KEY_SITES, t));
    layers.add(
        single(StyleLayers.KEY_SITES, Catalogue.KEY_SITES, GROUP_KEY_SITES, t)
            .paint(
                "circle-color", Expr.match("category", categoryColours(), SiteColour.OTHER_COLOUR))
            .paint("circle-radius", byZoom(10, 3, 14, 6, 16, 8))
            .build());
    layers.add(cluster(StyleLayers.FORCES_CLUSTER, Catalogue.FORCES, GROUP_FORCES, t));
    boolean offDuty = false;
    layers.add(
        single(StyleLayers.FORCES, Catalogue.FORCES, GROUP_FORCES, t)
            .paint(
                "circle-color",
                of(
                    "case",
                    of("==", get("on_duty"), offDuty),
                    ForceColour.OFF_DUTY_COLOUR,
                    Expr.match("role", roleColours(), ForceColour.OTHER_COLOUR)))
            .paint("circle-opacity", of("case", of("==", get("on_duty"), offDuty), 0.55, 1))
            .paint("circle-radius", byZoom(10, 2.5, 14, 5, 16, 7))
            .build());
    layers.add(cluster(StyleLayers.EVENTS_CLUSTER, Catalogue.EVENTS, GROUP_EVENTS, t));
    for (Board board : Board.values()) {
      layers.add(boardEvents(board, t));
    }
    return layers;
  }

  /**
   * An urgent event still being handled: drawn as an alert. Once closed it is history and drawn
   * with its board, faded like every closed event (most urgent events of a year are closed).
   */
  static ArrayNode alerting() {
    return all(
        eq("urgency", "urgent"),
        of("!", of("in", get("status"), of("literal", of("closed", "rejected")))));
  }

  private static ObjectNode boardEvents(Board board, Theme t) {
    return layer(StyleLayers.events(board), "circle", Catalogue.EVENTS.name())
        .minzoom(Catalogue.EVENTS.minZoom())
        .group(GROUP_EVENTS)
        .board(board.code())
        .filter(all(isSingle(), eq("board", board.code()), of("!", alerting())))
        .paint("circle-color", BoardColour.of(board).colour())
        .paint("circle-radius", byZoom(8, 2.5, 14, 6, 16, 8))
        // closed events stay on the map, faded; work in hand gets a heavier ring
        .paint("circle-opacity", of("match", get("status"), of("closed", "rejected"), 0.35, 0.95))
        .paint("circle-stroke-color", t.pointStroke())
        .paint(
            "circle-stroke-width",
            of("match", get("status"), of("dispatched", "accepted", "on_site", "escalated"), 2, 1))
        .paint(
            "circle-stroke-opacity", of("match", get("status"), of("closed", "rejected"), 0.4, 1))
        .build();
  }

  /** Site names at the zooms where sites are no longer clustered. */
  static List<ObjectNode> pointLabels(Theme t) {
    ObjectNode siteNames =
        layer(StyleLayers.KEY_SITES_LABEL, "symbol", Catalogue.KEY_SITES.name())
            .minzoom(Catalogue.KEY_SITES.maxZoom())
            .group(GROUP_KEY_SITES)
            .filter(isSingle())
            .layout("text-field", get("name"))
            .layout("text-font", of(Fonts.REGULAR))
            .layout("text-size", 11)
            .layout("text-anchor", "top")
            .layout("text-offset", of(0, 0.8))
            .layout("text-max-width", 8)
            .layout("text-optional", true)
            .paint("text-color", t.labelText())
            .paint("text-halo-color", t.labelHalo())
            .paint("text-halo-width", 1.2)
            .build();
    return List.of(siteNames);
  }

  /** Numbers on cluster circles; they never hide other labels nor are hidden by them. */
  static List<ObjectNode> clusterCounts(Theme t) {
    return List.of(
        clusterCount(StyleLayers.KEY_SITES_CLUSTER_COUNT, Catalogue.KEY_SITES, GROUP_KEY_SITES, t),
        clusterCount(StyleLayers.FORCES_CLUSTER_COUNT, Catalogue.FORCES, GROUP_FORCES, t),
        clusterCount(StyleLayers.EVENTS_CLUSTER_COUNT, Catalogue.EVENTS, GROUP_EVENTS, t));
  }

  /**
   * Urgent events: a wide blurred halo, a thin ring and a white-edged dot, all in the reserved
   * colour, on top of every other layer. The halo and ring look like a pulse frozen mid-beat; a
   * viewer that wants real pulsing animates {@code circle-radius} and {@code circle-opacity} of
   * {@link StyleLayers#EVENTS_URGENT_HALO} with {@code setPaintProperty}.
   */
  static List<ObjectNode> urgent(Theme t) {
    ArrayNode urgent = alerting();
    ObjectNode halo =
        layer(StyleLayers.EVENTS_URGENT_HALO, "circle", Catalogue.EVENTS.name())
            .minzoom(Catalogue.EVENTS.minZoom())
            .group(GROUP_EVENTS)
            .filter(urgent)
            .paint("circle-color", AlertPalette.URGENT)
            .paint("circle-radius", byZoom(8, 12, 14, 24, 16, 30))
            .paint("circle-blur", 0.8)
            .paint("circle-opacity", AlertPalette.HALO_OPACITY)
            .paint("circle-pitch-alignment", "map")
            .build();
    ObjectNode ring =
        layer(StyleLayers.EVENTS_URGENT_RING, "circle", Catalogue.EVENTS.name())
            .minzoom(Catalogue.EVENTS.minZoom())
            .group(GROUP_EVENTS)
            .filter(urgent.deepCopy())
            .paint("circle-color", AlertPalette.URGENT)
            .paint("circle-opacity", 0)
            .paint("circle-radius", byZoom(8, 8, 14, 14, 16, 18))
            .paint("circle-stroke-color", AlertPalette.URGENT)
            .paint("circle-stroke-width", 1.5)
            .paint("circle-stroke-opacity", AlertPalette.RING_OPACITY)
            .build();
    ObjectNode dot =
        layer(StyleLayers.EVENTS_URGENT, "circle", Catalogue.EVENTS.name())
            .minzoom(Catalogue.EVENTS.minZoom())
            .group(GROUP_EVENTS)
            .filter(urgent.deepCopy())
            .paint("circle-color", AlertPalette.URGENT)
            .paint("circle-radius", byZoom(8, 5, 14, 8, 16, 10))
            .paint("circle-stroke-color", AlertPalette.URGENT_STROKE)
            .paint("circle-stroke-width", 2)
            .build();
    return List.of(halo, ring, dot);
  }

  private static LayerBuilder single(String id, LayerDef def, String group, Theme t) {
    return layer(id, "circle", def.name())
        .minzoom(def.minZoom())
        .group(group)
        .filter(isSingle())
        .paint("circle-stroke-color", t.pointStroke())
        .paint("circle-stroke-width", 1);
  }

  private static ObjectNode cluster(String id, LayerDef def, String group, Theme t) {
    return layer(id, "circle", def.name())
        .minzoom(def.minZoom())
        .group(group)
        .filter(isCluster())
        .paint("circle-color", t.cluster())
        .paint("circle-opacity", 0.85)
        // area roughly proportional to log(count): 2 -> 9 px, 10 -> 12, 100 -> 18, 1000+ -> 26
        .paint(
            "circle-radius",
            Expr.interpolate(of("linear"), count(), 2, 9, 10, 12, 100, 18, 1000, 26))
        .paint("circle-stroke-color", t.pointStroke())
        .paint("circle-stroke-width", 1.5)
        .build();
  }

  private static ObjectNode clusterCount(String id, LayerDef def, String group, Theme t) {
    return layer(id, "symbol", def.name())
        .minzoom(def.minZoom())
        .group(group)
        .filter(isCluster())
        .layout("text-field", of("to-string", count()))
        .layout("text-font", of(Fonts.BOLD))
        .layout("text-size", 11)
        .layout("text-allow-overlap", true)
        .layout("text-ignore-placement", true)
        .paint("text-color", t.clusterText())
        .build();
  }

  private static Map<String, Colour> categoryColours() {
    Map<String, Colour> m = new LinkedHashMap<>();
    for (SiteColour c : SiteColour.values()) {
      m.put(c.code(), c.colour());
    }
    return m;
  }

  private static Map<String, Colour> roleColours() {
    Map<String, Colour> m = new LinkedHashMap<>();
    for (ForceColour r : ForceColour.values()) {
      m.put(r.code(), r.colour());
    }
    return m;
  }
}
