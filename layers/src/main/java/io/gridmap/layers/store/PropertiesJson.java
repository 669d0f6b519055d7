package io.gridmap.layers.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Field;
import io.gridmap.layers.model.LayerDef;
import java.io.IOException;
import java.util.List;

/**
 * A feature's values as a JSON object (field name to value, timestamps as ISO-8601 UTC text): how
 * every store keeps the versions in its history, whatever columns the layer has at the time.
 */
public final class PropertiesJson {
  private PropertiesJson() {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The values of {@code f}, a feature of {@code def}, as JSON text. */
  public static String write(LayerDef def, Feature f) {
    ObjectNode o = JSON.createObjectNode();
    List<Field> fields = def.fields();
    for (int i = 0; i < fields.size(); i++) {
      Object v = f.value(i);
      String name = fields.get(i).name();
      switch (fields.get(i).type()) {
        case STRING -> o.put(name, (String) v);
        case INTEGER -> o.put(name, (Long) v);
        case REAL -> o.put(name, (Double) v);
        case BOOLEAN -> o.put(name, (Boolean) v);
        case TIMESTAMP -> o.put(name, v == null ? null : IsoTimestamp.format((Long) v));
      }
    }
    return o.toString();
  }

  /**
   * The values of a feature of {@code def} read back from {@link #write}'s JSON; a field the JSON
   * lacks is null.
   *
   * @throws IllegalArgumentException when the text is not a JSON object
   */
  public static Object[] read(LayerDef def, String json) {
    JsonNode o;
    try {
      o = JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed JSON: " + e.getMessage(), e);
    }
    if (o == null || !o.isObject()) {
      throw new IllegalArgumentException("expected a JSON object of " + def.name() + " values");
    }
    List<Field> fields = def.fields();
    Object[] out = new Object[fields.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode v = o.get(fields.get(i).name());
      if (v == null || v.isNull()) {
        continue;
      }
      out[i] =
          switch (fields.get(i).type()) {
            case STRING -> v.asText();
            case INTEGER -> v.asLong();
            case REAL -> v.asDouble();
            case BOOLEAN -> v.asBoolean();
            case TIMESTAMP -> IsoTimestamp.parse(v.asText());
          };
    }
    return out;
  }
}
