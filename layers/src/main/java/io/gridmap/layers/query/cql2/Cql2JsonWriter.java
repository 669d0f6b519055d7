package io.gridmap.layers.query.cql2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.MultiLineString;
import org.locationtech.jts.geom.MultiPoint;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;

/** Writes a {@link Filter} as cql2-json that {@link Cql2JsonParser} reads back to an equal tree. */
public final class Cql2JsonWriter {
  private Cql2JsonWriter() {}

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  public static String write(Filter f) {
    return toNode(f).toString();
  }

  public static JsonNode toNode(Filter f) {
    if (f instanceof Filter.Constant) {
      return F.booleanNode(((Filter.Constant) f).value());
    }
    if (f instanceof Filter.And) {
      return op(
          "and",
          ((Filter.And) f).args().stream().map(Cql2JsonWriter::toNode).toArray(JsonNode[]::new));
    }
    if (f instanceof Filter.Or) {
      return op(
          "or",
          ((Filter.Or) f).args().stream().map(Cql2JsonWriter::toNode).toArray(JsonNode[]::new));
    }
    if (f instanceof Filter.Not) {
      return op("not", toNode(((Filter.Not) f).arg()));
    }
    if (f instanceof Filter.Compare) {
      Filter.Compare c = (Filter.Compare) f;
      return op(c.op().symbol(), operand(c.left()), operand(c.right()));
    }
    if (f instanceof Filter.Like) {
      Filter.Like l = (Filter.Like) f;
      return op("like", operand(l.value()), operand(l.pattern()));
    }
    if (f instanceof Filter.Between) {
      Filter.Between b = (Filter.Between) f;
      return op("between", operand(b.value()), operand(b.low()), operand(b.high()));
    }
    if (f instanceof Filter.In) {
      Filter.In in = (Filter.In) f;
      ArrayNode list = F.arrayNode();
      in.list().forEach(o -> list.add(operand(o)));
      return op("in", operand(in.value()), list);
    }
    if (f instanceof Filter.IsNull) {
      return op("isNull", operand(((Filter.IsNull) f).value()));
    }
    if (f instanceof Filter.Spatial) {
      Filter.Spatial s = (Filter.Spatial) f;
      return op(s.op().jsonName(), operand(s.left()), operand(s.right()));
    }
    if (f instanceof Filter.DWithin) {
      Filter.DWithin d = (Filter.DWithin) f;
      return op(
          "s_dwithin",
          operand(d.left()),
          operand(d.right()),
          F.numberNode(d.distance()),
          F.textNode(d.unit().canonicalName()));
    }
    Filter.Temporal t = (Filter.Temporal) f;
    return op(t.op().jsonName(), operand(t.left()), operand(t.right()));
  }

  private static ObjectNode op(String name, JsonNode... args) {
    ObjectNode o = F.objectNode();
    o.put("op", name);
    ArrayNode a = o.putArray("args");
    for (JsonNode n : args) {
      a.add(n);
    }
    return o;
  }

  static JsonNode operand(Operand o) {
    if (o instanceof Operand.Property) {
      return F.objectNode().put("property", ((Operand.Property) o).name());
    }
    if (o instanceof Operand.StringLiteral) {
      return F.textNode(((Operand.StringLiteral) o).value());
    }
    if (o instanceof Operand.NumberLiteral) {
      Number n = ((Operand.NumberLiteral) o).value();
      return n instanceof Long ? F.numberNode((Long) n) : F.numberNode((Double) n);
    }
    if (o instanceof Operand.BooleanLiteral) {
      return F.booleanNode(((Operand.BooleanLiteral) o).value());
    }
    if (o instanceof Operand.TimestampLiteral) {
      return F.objectNode().put("timestamp", ((Operand.TimestampLiteral) o).value().toString());
    }
    if (o instanceof Operand.DateLiteral) {
      return F.objectNode().put("date", ((Operand.DateLiteral) o).value().toString());
    }
    if (o instanceof Operand.IntervalLiteral) {
      Operand.IntervalLiteral i = (Operand.IntervalLiteral) o;
      ObjectNode n = F.objectNode();
      n.putArray("interval").add(intervalBound(i.start())).add(intervalBound(i.end()));
      return n;
    }
    if (o instanceof Operand.OpenBound) {
      return F.textNode("..");
    }
    if (o instanceof Operand.GeometryLiteral) {
      return geoJson(((Operand.GeometryLiteral) o).geometry());
    }
    if (o instanceof Operand.BboxLiteral) {
      Operand.BboxLiteral b = (Operand.BboxLiteral) o;
      ObjectNode n = F.objectNode();
      n.putArray("bbox").add(b.minX()).add(b.minY()).add(b.maxX()).add(b.maxY());
      return n;
    }
    ObjectNode n = F.objectNode();
    n.set("casei", operand(((Operand.CaseI) o).value()));
    return n;
  }

  private static JsonNode intervalBound(Operand o) {
    if (o instanceof Operand.TimestampLiteral) {
      return F.textNode(((Operand.TimestampLiteral) o).value().toString());
    }
    if (o instanceof Operand.DateLiteral) {
      return F.textNode(((Operand.DateLiteral) o).value().toString());
    }
    return operand(o);
  }

  static ObjectNode geoJson(Geometry g) {
    ObjectNode n = F.objectNode();
    if (g instanceof Point) {
      n.put("type", "Point");
      n.set("coordinates", position(g.getCoordinate()));
    } else if (g instanceof LineString) {
      n.put("type", "LineString");
      n.set("coordinates", positions(g.getCoordinates()));
    } else if (g instanceof Polygon) {
      n.put("type", "Polygon");
      n.set("coordinates", rings((Polygon) g));
    } else if (g instanceof MultiPoint) {
      n.put("type", "MultiPoint");
      n.set("coordinates", positions(g.getCoordinates()));
    } else if (g instanceof MultiLineString) {
      n.put("type", "MultiLineString");
      ArrayNode a = n.putArray("coordinates");
      for (int i = 0; i < g.getNumGeometries(); i++) {
        a.add(positions(g.getGeometryN(i).getCoordinates()));
      }
    } else if (g instanceof MultiPolygon) {
      n.put("type", "MultiPolygon");
      ArrayNode a = n.putArray("coordinates");
      for (int i = 0; i < g.getNumGeometries(); i++) {
        a.add(rings((Polygon) g.getGeometryN(i)));
      }
    } else {
      throw new IllegalArgumentException("unsupported geometry literal " + g.getGeometryType());
    }
    return n;
  }

  private static ArrayNode rings(Polygon p) {
    ArrayNode a = F.arrayNode();
    a.add(positions(p.getExteriorRing().getCoordinates()));
    for (int i = 0; i < p.getNumInteriorRing(); i++) {
      a.add(positions(p.getInteriorRingN(i).getCoordinates()));
    }
    return a;
  }

  private static ArrayNode positions(Coordinate[] cs) {
    ArrayNode a = F.arrayNode();
    for (Coordinate c : cs) {
      a.add(position(c));
    }
    return a;
  }

  private static ArrayNode position(Coordinate c) {
    ArrayNode a = F.arrayNode().add(c.x).add(c.y);
    if (!Double.isNaN(c.getZ())) {
      a.add(c.getZ());
    }
    return a;
  }
}
