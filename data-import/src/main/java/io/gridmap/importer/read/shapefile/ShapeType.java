package io.gridmap.importer.read.shapefile;

import java.util.Optional;

/**
 * The shape types of the ESRI Shapefile Technical Description (1998), folded into the five
 * geometries we read: a Z or M variant stores x and y exactly where the plain type does and its z
 * and m values after them, so reading x,y only, one decoder serves all three.
 */
enum ShapeType {
  NULL,
  POINT,
  POLYLINE,
  POLYGON,
  MULTIPOINT;

  /**
   * The type a record's shape type code stands for; empty for MultiPatch (31), which has no x,y
   * equivalent we import, and for codes the format does not define.
   */
  static Optional<ShapeType> ofCode(int code) {
    return Optional.ofNullable(
        switch (code) {
          case 0 -> NULL;
          case 1, 11, 21 -> POINT;
          case 3, 13, 23 -> POLYLINE;
          case 5, 15, 25 -> POLYGON;
          case 8, 18, 28 -> MULTIPOINT;
          default -> null;
        });
  }

  /** The name of a code in messages: "PolygonZ (15)", "MultiPatch (31)", "unknown (77)". */
  static String describe(int code) {
    String name =
        switch (code) {
          case 0 -> "Null";
          case 1 -> "Point";
          case 3 -> "PolyLine";
          case 5 -> "Polygon";
          case 8 -> "MultiPoint";
          case 11 -> "PointZ";
          case 13 -> "PolyLineZ";
          case 15 -> "PolygonZ";
          case 18 -> "MultiPointZ";
          case 21 -> "PointM";
          case 23 -> "PolyLineM";
          case 25 -> "PolygonM";
          case 28 -> "MultiPointM";
          case 31 -> "MultiPatch";
          default -> "unknown";
        };
    return name + " (" + code + ")";
  }
}
