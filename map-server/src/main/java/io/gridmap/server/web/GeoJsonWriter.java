package io.gridmap.server.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Field;
import io.gridmap.layers.model.FieldType;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.layers.query.crs.SupportedCrs;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.locationtech.jts.geom.CoordinateSequence;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryCollection;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.MultiLineString;
import org.locationtech.jts.geom.MultiPoint;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;

/**
 * Writes features as GeoJSON, streaming, in a requested CRS and its axis order.
 *
 * <p>Geographic coordinates are written as stored (the data sits on a 1e-7° grid, so they print
 * short); EPSG:3857 metres are rounded to the millimetre. Personal fields are never written: the
 * property list is built from the layer's non-personal fields and narrowed by the request.
 */
public final class GeoJsonWriter {
  private static final JsonFactory JSON = new JsonFactory();

  private final JsonGenerator g;
  private final LayerDef def;
  private final SupportedCrs crs;
  private final int[] fields;
  private final double[] xy = new double[2];

  /**
   * @param out where the JSON goes
   * @param def the features' layer
   * @param crs output CRS
   * @param properties field indexes to write, in order (already free of personal fields)
   */
  public GeoJsonWriter(OutputStream out, LayerDef def, SupportedCrs crs, int[] properties)
      throws IOException {
    this.g = JSON.createGenerator(out);
    this.def = def;
    this.crs = crs;
    this.fields = properties;
  }

  /** Indexes of every non-personal field of a layer. */
  public static int[] publicFields(LayerDef def) {
    List<Integer> out = new ArrayList<>();
    List<Field> fs = def.fields();
    for (int i = 0; i < fs.size(); i++) {
      if (!fs.get(i).personal()) {
        out.add(i);
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  public JsonGenerator json() {
    return g;
  }

  /** One Feature object; {@code extra} (nullable) writes more members, e.g. links. */
  public void feature(Feature f, Extra extra) throws IOException {
    g.writeStartObject();
    g.writeStringField("type", "Feature");
    // A number, which RFC 7946 allows as well as a string: ids are below 2^52 (Feature.ID_LIMIT),
    // so JSON.parse, which reads numbers as doubles (exact to 2^53, the I-JSON limit of RFC 7493),
    // gives every client the id the tiles and /items/{id} use. Longer codes are string attributes.
    g.writeNumberField("id", f.id());
    g.writeFieldName("geometry");
    geometry(f.geometry());
    g.writeObjectFieldStart("properties");
    for (int i : fields) {
      Field field = def.fields().get(i);
      g.writeFieldName(field.name());
      value(field.type(), f.value(i));
    }
    g.writeEndObject();
    if (extra != null) {
      extra.write(g);
    }
    g.writeEndObject();
  }

  /** Writes more members into an object being written. */
  @FunctionalInterface
  public interface Extra {
    void write(JsonGenerator g) throws IOException;
  }

  private void value(FieldType type, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
      return;
    }
    switch (type) {
      case STRING -> g.writeString((String) v);
      case INTEGER -> g.writeNumber(((Number) v).longValue());
      case REAL -> g.writeNumber(((Number) v).doubleValue());
      case BOOLEAN -> g.writeBoolean((Boolean) v);
      case TIMESTAMP -> g.writeString(Instant.ofEpochMilli((Long) v).toString());
    }
  }

  /** A GeoJSON geometry object in the output CRS. */
  public void geometry(Geometry geom) throws IOException {
    if (geom == null || geom.isEmpty()) {
      g.writeNull();
      return;
    }
    g.writeStartObject();
    if (geom instanceof GeometryCollection
        && !(geom instanceof MultiPoint
            || geom instanceof MultiLineString
            || geom instanceof MultiPolygon)) {
      g.writeStringField("type", "GeometryCollection");
      g.writeArrayFieldStart("geometries");
      for (int i = 0; i < geom.getNumGeometries(); i++) {
        geometry(geom.getGeometryN(i));
      }
      g.writeEndArray();
      g.writeEndObject();
      return;
    }
    g.writeStringField("type", geom.getGeometryType());
    g.writeFieldName("coordinates");
    coordinates(geom);
    g.writeEndObject();
  }

  private void coordinates(Geometry geom) throws IOException {
    if (geom instanceof Point p) {
      position(p.getCoordinateSequence(), 0);
    } else if (geom instanceof LineString l) {
      sequence(l.getCoordinateSequence());
    } else if (geom instanceof Polygon p) {
      g.writeStartArray();
      sequence(p.getExteriorRing().getCoordinateSequence());
      for (int i = 0; i < p.getNumInteriorRing(); i++) {
        sequence(p.getInteriorRingN(i).getCoordinateSequence());
      }
      g.writeEndArray();
    } else {
      g.writeStartArray();
      for (int i = 0; i < geom.getNumGeometries(); i++) {
        coordinates(geom.getGeometryN(i));
      }
      g.writeEndArray();
    }
  }

  private void sequence(CoordinateSequence s) throws IOException {
    g.writeStartArray();
    for (int i = 0; i < s.size(); i++) {
      position(s, i);
    }
    g.writeEndArray();
  }

  private void position(CoordinateSequence s, int i) throws IOException {
    crs.fromLonLat(s.getX(i), s.getY(i), xy);
    g.writeStartArray();
    if (crs.geographic()) {
      g.writeNumber(xy[0]);
      g.writeNumber(xy[1]);
    } else {
      g.writeNumber(Math.round(xy[0] * 1000) / 1000.0);
      g.writeNumber(Math.round(xy[1] * 1000) / 1000.0);
    }
    g.writeEndArray();
  }

  public void flush() throws IOException {
    g.flush();
  }
}
