package io.gridmap.importer.read.shapefile;

import io.gridmap.importer.read.ImportException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;

/**
 * One record's content (after its 8-byte header) as a JTS geometry, x and y only. The layouts are
 * those of the ESRI Shapefile Technical Description: little-endian, a shape type first; a
 * multi-point, polyline or polygon then has a bounding box, counts, part starts and points, and a Z
 * or M variant appends its z and m ranges and arrays, which are skipped.
 */
final class ShapeDecoder {
  private static final int BOX = 32;

  private final Path file;
  private final GeometryFactory factory;
  private final RingAssembler rings;

  ShapeDecoder(Path file, GeometryFactory factory) {
    this.file = file;
    this.factory = factory;
    this.rings = new RingAssembler(factory);
  }

  /**
   * The geometry of {@code content} (position 0, limit its length), or null for a Null shape.
   *
   * @throws ImportException for an unknown shape type or counts that do not fit the content
   */
  Geometry decode(ByteBuffer content, String where) {
    content.order(ByteOrder.LITTLE_ENDIAN);
    need(content, 4, "its shape type", where);
    int code = content.getInt();
    ShapeType type =
        ShapeType.ofCode(code)
            .orElseThrow(
                () ->
                    new ImportException(
                        file,
                        where,
                        "expected a shape type of Null, Point, MultiPoint, PolyLine or Polygon"
                            + " (plain, Z or M) but found "
                            + ShapeType.describe(code),
                        code == 31
                            ? "MultiPatch (3D surfaces) is not imported: convert the layer to"
                                + " polygons first (in ArcGIS, Multipatch Footprint)"
                            : "the .shp is damaged or not a Shapefile: export it again"));
    return switch (type) {
      case NULL -> null;
      case POINT -> {
        need(content, 16, "a point", where);
        yield factory.createPoint(new Coordinate(content.getDouble(), content.getDouble()));
      }
      case MULTIPOINT -> {
        need(content, BOX + 4, "a multi-point's box and count", where);
        content.position(content.position() + BOX);
        int n = count(content, "points", where);
        need(content, 16L * n, n + " points", where);
        Coordinate[] points = new Coordinate[n];
        for (int i = 0; i < n; i++) {
          points[i] = new Coordinate(content.getDouble(), content.getDouble());
        }
        yield factory.createMultiPointFromCoords(points);
      }
      case POLYLINE, POLYGON -> {
        List<Coordinate[]> parts = parts(content, where);
        yield type == ShapeType.POLYGON ? polygon(parts, where) : polyline(parts, where);
      }
    };
  }

  /** The parts of a polyline or polygon as coordinate arrays. */
  private List<Coordinate[]> parts(ByteBuffer content, String where) {
    need(content, BOX + 8, "a box and counts of parts and points", where);
    content.position(content.position() + BOX);
    int numParts = count(content, "parts", where);
    int numPoints = count(content, "points", where);
    need(
        content,
        4L * numParts + 16L * numPoints,
        numParts + " parts of " + numPoints + " points",
        where);
    int[] starts = new int[numParts + 1];
    for (int i = 0; i < numParts; i++) {
      starts[i] = content.getInt();
      if (starts[i] < 0 || starts[i] > numPoints || (i > 0 && starts[i] < starts[i - 1])) {
        throw new ImportException(
            file,
            where,
            "expected part "
                + (i + 1)
                + " to start at a point 0.."
                + numPoints
                + ", after the previous part's start, but found "
                + starts[i],
            "the .shp is damaged: export it again");
      }
    }
    starts[numParts] = numPoints;
    List<Coordinate[]> parts = new ArrayList<>(numParts);
    for (int p = 0; p < numParts; p++) {
      Coordinate[] part = new Coordinate[starts[p + 1] - starts[p]];
      for (int i = 0; i < part.length; i++) {
        part[i] = new Coordinate(content.getDouble(), content.getDouble());
      }
      parts.add(part);
    }
    return parts;
  }

  private Geometry polyline(List<Coordinate[]> parts, String where) {
    LineString[] lines = new LineString[parts.size()];
    for (int i = 0; i < lines.length; i++) {
      if (parts.get(i).length < 2) {
        throw new ImportException(
            file,
            where,
            "expected every part of a line to have at least 2 points but part "
                + (i + 1)
                + " has "
                + parts.get(i).length,
            "delete or redraw the line in QGIS and export again");
      }
      lines[i] = factory.createLineString(parts.get(i));
    }
    return lines.length == 1 ? lines[0] : factory.createMultiLineString(lines);
  }

  private Geometry polygon(List<Coordinate[]> parts, String where) {
    if (parts.isEmpty()) {
      return factory.createPolygon();
    }
    for (int i = 0; i < parts.size(); i++) {
      Coordinate[] ring = parts.get(i);
      if (ring.length < 4) {
        throw new ImportException(
            file,
            where,
            "expected every ring of a polygon to have at least 4 points (3 corners and the first"
                + " again) but ring "
                + (i + 1)
                + " has "
                + ring.length,
            "delete or redraw the polygon in QGIS and export again");
      }
      Coordinate first = ring[0];
      Coordinate last = ring[ring.length - 1];
      if (!first.equals2D(last)) {
        throw new ImportException(
            file,
            where,
            "ring "
                + (i + 1)
                + " is not closed (first point "
                + first.x
                + " "
                + first.y
                + ", last "
                + last.x
                + " "
                + last.y
                + ")",
            "close the ring in QGIS (Vector > Geometry Tools > Check Validity) and export again");
      }
    }
    return rings.assemble(parts);
  }

  private int count(ByteBuffer content, String what, String where) {
    int n = content.getInt();
    if (n < 0) {
      throw new ImportException(
          file,
          where,
          "expected a count of " + what + " of 0 or more but found " + n,
          "the .shp is damaged: export it again");
    }
    return n;
  }

  /** Fails unless {@code bytes} more bytes remain in the record. */
  private void need(ByteBuffer content, long bytes, String what, String where) {
    if (content.remaining() < bytes) {
      throw new ImportException(
          file,
          where,
          "expected "
              + what
              + " ("
              + bytes
              + " bytes) but the record's content has only "
              + content.remaining()
              + " bytes left",
          "the .shp is damaged: export it again");
    }
  }
}
