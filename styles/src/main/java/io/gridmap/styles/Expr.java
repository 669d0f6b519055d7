package io.gridmap.styles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** Small builders for MapLibre expressions, written as the JSON arrays the spec defines. */
final class Expr {
  private Expr() {}

  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** An array of expression parts: strings, numbers, booleans, colours, nodes. */
  static ArrayNode of(Object... parts) {
    ArrayNode a = NODES.arrayNode();
    for (Object p : parts) {
      a.add(node(p));
    }
    return a;
  }

  static JsonNode node(Object p) {
    if (p == null) {
      return NODES.nullNode();
    } else if (p instanceof JsonNode n) {
      return n;
    } else if (p instanceof String s) {
      return NODES.textNode(s);
    } else if (p instanceof Integer i) {
      return NODES.numberNode(i);
    } else if (p instanceof Long l) {
      return NODES.numberNode(l);
    } else if (p instanceof Double d) {
      return d == Math.rint(d) && Math.abs(d) < 1e9
          ? NODES.numberNode(d.longValue())
          : NODES.numberNode(d);
    } else if (p instanceof Boolean b) {
      return NODES.booleanNode(b);
    } else if (p instanceof Colour c) {
      return NODES.textNode(c.hex());
    }
    throw new IllegalArgumentException("cannot put " + p.getClass() + " into an expression");
  }

  static ArrayNode get(String field) {
    return of("get", field);
  }

  static ArrayNode eq(String field, Object value) {
    return of("==", get(field), value);
  }

  static ArrayNode all(Object... conditions) {
    ArrayNode a = of("all");
    for (Object c : conditions) {
      a.add(node(c));
    }
    return a;
  }

  /**
   * {@code ["interpolate", ["linear"], ["zoom"], z0, v0, z1, v1, ...]}: a paint value that grows
   * with zoom, given as zoom/value pairs.
   */
  static ArrayNode byZoom(double... zoomValuePairs) {
    return interpolate(of("linear"), of("zoom"), zoomValuePairs);
  }

  /** Like {@link #byZoom} but exponential, which keeps line widths even across many zooms. */
  static ArrayNode byZoomExp(double base, double... zoomValuePairs) {
    return interpolate(of("exponential", base), of("zoom"), zoomValuePairs);
  }

  static ArrayNode interpolate(ArrayNode curve, ArrayNode input, double... pairs) {
    if (pairs.length < 4 || pairs.length % 2 != 0) {
      throw new IllegalArgumentException(
          "interpolate needs at least two stop pairs, got " + pairs.length + " numbers");
    }
    ArrayNode a = of("interpolate", curve, input);
    for (double p : pairs) {
      a.add(node(p));
    }
    return a;
  }

  /** {@code ["match", ["get", field], k1, v1, ..., fallback]}, cases in the map's order. */
  static ArrayNode match(String field, java.util.Map<String, ?> cases, Object fallback) {
    if (cases.isEmpty()) {
      throw new IllegalArgumentException("match on " + field + " needs at least one case");
    }
    ArrayNode a = of("match", get(field));
    cases.forEach(
        (k, v) -> {
          a.add(k);
          a.add(node(v));
        });
    a.add(node(fallback));
    return a;
  }

  /** The {@code count} of a clustered point; 0 on an unclustered point (to-number of null). */
  static ArrayNode count() {
    return of("to-number", get("count"), 1);
  }

  /** True on cluster features: {@code count > 1}. */
  static ArrayNode isCluster() {
    return of(">", count(), 1);
  }

  /** True on single features: no {@code count}, or a count of 1. */
  static ArrayNode isSingle() {
    return of("<=", count(), 1);
  }
}
