package io.gridmap.layers.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridmap.layers.model.Field;
import io.gridmap.layers.model.FieldType;
import io.gridmap.layers.model.GeometryKind;
import io.gridmap.layers.model.LayerDef;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link LayerDef} whole as JSON text: how both stores keep an imported layer's definition in
 * their {@code imported_layers} registry, since its schema is not in the catalogue.
 *
 * <p>Written member by member rather than by Jackson's record mapping so that the stored form is
 * fixed here and a renamed record component cannot silently change it. Every member is required on
 * reading: a definition with a gap is a broken store, not a default.
 */
public final class LayerDefJson {
  private LayerDefJson() {}

  private static final ObjectMapper JSON = new ObjectMapper();

  public static String write(LayerDef def) {
    ObjectNode o = JSON.createObjectNode();
    o.put("name", def.name());
    o.put("title", def.title());
    o.put("kind", def.kind().name());
    ArrayNode fields = o.putArray("fields");
    for (Field f : def.fields()) {
      ObjectNode fo = fields.addObject();
      fo.put("name", f.name());
      fo.put("type", f.type().name());
      fo.put("personal", f.personal());
      fo.put("inTiles", f.inTiles());
      fo.put("description", f.description());
    }
    o.put("minZoom", def.minZoom());
    o.put("maxZoom", def.maxZoom());
    o.put("coverage", def.coverage());
    o.put("live", def.live());
    o.put("staffOnly", def.staffOnly());
    o.put("clustered", def.clustered());
    return o.toString();
  }

  /**
   * @throws IllegalArgumentException naming the member that is missing or wrong, or Jackson's
   *     reason and position when the text is no JSON
   */
  public static LayerDef read(String json) {
    JsonNode o;
    try {
      o = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "expected a layer definition as JSON but found: " + e.getOriginalMessage(), e);
    }
    if (o == null || !o.isObject()) {
      throw new IllegalArgumentException("expected a layer definition as a JSON object");
    }
    List<Field> fields = new ArrayList<>();
    JsonNode fs = member(o, "fields");
    if (!fs.isArray()) {
      throw new IllegalArgumentException("expected an array in member fields but found " + fs);
    }
    for (JsonNode f : fs) {
      fields.add(
          new Field(
              text(f, "name"),
              FieldType.valueOf(text(f, "type")),
              bool(f, "personal"),
              bool(f, "inTiles"),
              text(f, "description")));
    }
    return new LayerDef(
        text(o, "name"),
        o.path("title").isNull() ? null : text(o, "title"),
        GeometryKind.valueOf(text(o, "kind")),
        fields,
        integer(o, "minZoom"),
        integer(o, "maxZoom"),
        bool(o, "coverage"),
        bool(o, "live"),
        bool(o, "staffOnly"),
        bool(o, "clustered"));
  }

  private static JsonNode member(JsonNode o, String name) {
    JsonNode v = o.get(name);
    if (v == null) {
      throw new IllegalArgumentException("layer definition lacks member " + name + ": " + o);
    }
    return v;
  }

  private static String text(JsonNode o, String name) {
    JsonNode v = member(o, name);
    if (!v.isTextual()) {
      throw new IllegalArgumentException("expected text in member " + name + " but found " + v);
    }
    return v.asText();
  }

  private static boolean bool(JsonNode o, String name) {
    JsonNode v = member(o, name);
    if (!v.isBoolean()) {
      throw new IllegalArgumentException(
          "expected true or false in member " + name + " but found " + v);
    }
    return v.asBoolean();
  }

  private static int integer(JsonNode o, String name) {
    JsonNode v = member(o, name);
    if (!v.isInt()) {
      throw new IllegalArgumentException(
          "expected an integer in member " + name + " but found " + v);
    }
    return v.asInt();
  }
}
