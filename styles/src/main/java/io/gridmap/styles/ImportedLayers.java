package io.gridmap.styles;

import static io.gridmap.styles.Expr.byZoom;
import static io.gridmap.styles.Expr.count;
import static io.gridmap.styles.Expr.isCluster;
import static io.gridmap.styles.Expr.isSingle;
import static io.gridmap.styles.Expr.of;
import static io.gridmap.styles.LayerBuilder.layer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridmap.layers.model.GeometryKind;
import io.gridmap.layers.model.LayerDef;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A default look for layers outside the catalogue ({@code mapserver import}), so that the viewer
 * shows them without anyone writing a style: polygons a faint fill under a thin outline, points
 * circles (and, for a clustered layer, cluster circles with their count). Each layer gets one
 * colour derived from its name, the same on every server and every run, and is drawn only within
 * its zoom range. Each layer's style layers form a viewer toggle group named after the layer.
 */
final class ImportedLayers {
  private ImportedLayers() {}

  /** Fills and outlines, drawn above the admin boundaries and below every point. */
  static List<ObjectNode> polygons(List<LayerDef> imported, Theme t) {
    List<ObjectNode> out = new ArrayList<>();
    for (LayerDef def : imported) {
      if (def.kind() != GeometryKind.POLYGON) {
        continue;
      }
      Colour c = colour(def.name());
      out.add(
          zooms(layer(fillId(def.name()), "fill", def.name()), def)
              .group(def.name())
              .paint("fill-color", c)
              .paint("fill-opacity", 0.12)
              .build());
      out.add(
          zooms(layer(lineId(def.name()), "line", def.name()), def)
              .group(def.name())
              .paint("line-color", c)
              .paint("line-width", byZoom(8, 0.6, 14, 1.2))
              .build());
    }
    return out;
  }

  /** Points above the catalogue's points; a clustered layer's clusters carry their count. */
  static List<ObjectNode> points(List<LayerDef> imported, Theme t) {
    List<ObjectNode> out = new ArrayList<>();
    for (LayerDef def : imported) {
      if (def.kind() != GeometryKind.POINT) {
        continue;
      }
      Colour c = colour(def.name());
      if (def.clustered()) {
        out.add(
            zooms(layer(clusterId(def.name()), "circle", def.name()), def)
                .group(def.name())
                .filter(isCluster())
                .paint("circle-color", c)
                .paint("circle-opacity", 0.7)
                .paint(
                    "circle-radius",
                    Expr.interpolate(of("linear"), count(), 2, 9, 10, 12, 100, 18, 1000, 26))
                .paint("circle-stroke-color", t.pointStroke())
                .paint("circle-stroke-width", 1.5)
                .build());
        out.add(
            zooms(layer(clusterCountId(def.name()), "symbol", def.name()), def)
                .group(def.name())
                .filter(isCluster())
                .layout("text-field", of("to-string", count()))
                .layout("text-font", of(Fonts.BOLD))
                .layout("text-size", 11)
                .layout("text-allow-overlap", true)
                .layout("text-ignore-placement", true)
                .paint("text-color", t.clusterText())
                .build());
      }
      LayerBuilder single =
          zooms(layer(pointId(def.name()), "circle", def.name()), def)
              .group(def.name())
              .paint("circle-color", c)
              .paint("circle-radius", byZoom(10, 3, 14, 5, 16, 7))
              .paint("circle-stroke-color", t.pointStroke())
              .paint("circle-stroke-width", 1);
      // an unclustered layer has no count to test: every feature is a point
      out.add((def.clustered() ? single.filter(isSingle()) : single).build());
    }
    return out;
  }

  static String fillId(String layer) {
    return "imported-" + layer + "-fill";
  }

  static String lineId(String layer) {
    return "imported-" + layer + "-line";
  }

  static String pointId(String layer) {
    return "imported-" + layer + "-point";
  }

  static String clusterId(String layer) {
    return "imported-" + layer + "-cluster";
  }

  static String clusterCountId(String layer) {
    return "imported-" + layer + "-cluster-count";
  }

  /**
   * The layer's zoom range. Tiles stop at z14 and clients overzoom them, so a layer drawn up to z14
   * gets no {@code maxzoom}; one that stops earlier stops there ({@code maxzoom} is exclusive).
   */
  private static LayerBuilder zooms(LayerBuilder b, LayerDef def) {
    b.minzoom(def.minZoom());
    if (def.maxZoom() < 14) {
      b.maxzoom(def.maxZoom() + 1);
    }
    return b;
  }

  /**
   * A colour for a layer name: a hue from a hash of the name (FNV-1a over its UTF-8 bytes, so the
   * same on every JVM), at a saturation and lightness that read on both themes. Hues from 40° to
   * 320° only: reds belong to urgent events ({@link AlertPalette#URGENT}) and stay far from them.
   */
  static Colour colour(String layerName) {
    int h = 0x811c9dc5;
    for (byte b : layerName.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x01000193;
    }
    double hue = 40 + Integer.toUnsignedLong(h) % 281;
    return hsl(hue, 0.6, 0.42);
  }

  private static Colour hsl(double hue, double s, double l) {
    double c = (1 - Math.abs(2 * l - 1)) * s;
    double hp = hue / 60.0;
    double x = c * (1 - Math.abs(hp % 2 - 1));
    double r = 0;
    double g = 0;
    double b = 0;
    if (hp < 1) {
      r = c;
      g = x;
    } else if (hp < 2) {
      r = x;
      g = c;
    } else if (hp < 3) {
      g = c;
      b = x;
    } else if (hp < 4) {
      g = x;
      b = c;
    } else if (hp < 5) {
      r = x;
      b = c;
    } else {
      r = c;
      b = x;
    }
    double m = l - c / 2;
    return new Colour(
        (int) Math.round((r + m) * 255),
        (int) Math.round((g + m) * 255),
        (int) Math.round((b + m) * 255));
  }
}
