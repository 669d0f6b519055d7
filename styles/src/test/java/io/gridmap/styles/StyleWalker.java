package io.gridmap.styles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads style documents the way the tests need: layers, attributes read, colours painted. */
final class StyleWalker {
  private StyleWalker() {}

  private static final Pattern HEX = Pattern.compile("#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})");
  private static final Pattern RGBA =
      Pattern.compile("rgba?\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,\\s*(\\d+)\\s*(,\\s*[0-9.]+\\s*)?\\)");

  static List<ObjectNode> layers(JsonNode style) {
    List<ObjectNode> out = new ArrayList<>();
    style.get("layers").forEach(l -> out.add((ObjectNode) l));
    return out;
  }

  static List<String> ids(JsonNode style) {
    return layers(style).stream().map(l -> l.get("id").asText()).toList();
  }

  static ObjectNode layer(JsonNode style, String id) {
    return layers(style).stream()
        .filter(l -> l.get("id").asText().equals(id))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no layer " + id));
  }

  /** Attribute names a layer reads with ["get", name] or ["has", name] anywhere. */
  static Set<String> attributesRead(JsonNode layer) {
    Set<String> names = new LinkedHashSet<>();
    collectGets(layer.path("filter"), names);
    collectGets(layer.path("layout"), names);
    collectGets(layer.path("paint"), names);
    return names;
  }

  private static void collectGets(JsonNode node, Set<String> names) {
    if (node.isArray()) {
      if (node.size() == 2
          && node.get(0).isTextual()
          && (node.get(0).asText().equals("get") || node.get(0).asText().equals("has"))
          && node.get(1).isTextual()) {
        names.add(node.get(1).asText());
      }
      node.forEach(n -> collectGets(n, names));
    } else if (node.isObject()) {
      node.forEach(n -> collectGets(n, names));
    }
  }

  /** Every colour written in a layer's paint and layout, parsed. */
  static List<Colour> colours(JsonNode layer) {
    List<Colour> out = new ArrayList<>();
    collectColours(layer.path("paint"), out);
    collectColours(layer.path("layout"), out);
    return out;
  }

  private static void collectColours(JsonNode node, List<Colour> out) {
    if (node.isTextual()) {
      parseColour(node.asText()).ifPresent(out::add);
    } else {
      node.forEach(n -> collectColours(n, out));
    }
  }

  static Optional<Colour> parseColour(String s) {
    String t = s.trim();
    if (HEX.matcher(t).matches()) {
      return Optional.of(Colour.hex(t));
    }
    Matcher m = RGBA.matcher(t);
    if (m.matches()) {
      return Optional.of(
          new Colour(
              Integer.parseInt(m.group(1)),
              Integer.parseInt(m.group(2)),
              Integer.parseInt(m.group(3))));
    }
    return Optional.empty();
  }
}
