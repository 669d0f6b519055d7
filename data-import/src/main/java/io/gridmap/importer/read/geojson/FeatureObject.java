package io.gridmap.importer.read.geojson;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.gridmap.importer.read.SourceFeature;
import java.io.IOException;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.locationtech.jts.geom.Geometry;

/**
 * The members of one Feature object as they stream past, in whatever order they come, and the
 * {@link SourceFeature} they make.
 *
 * <p>Property values: a string is a {@code String}; an integer a {@code Long} when it fits, else a
 * {@code Double}, as is any number with a fraction or exponent; {@code true}/{@code false} a {@code
 * Boolean}; {@code null} null; a nested object or array its JSON text as a {@code String}, since
 * our layers hold flat values. The feature's own {@code "id"} member becomes the attribute {@code
 * "id"} unless the properties have one: ogr2ogr writes the FID there with {@code -lco
 * ID_FIELD}/{@code ID_GENERATE}, and a user's {@code id} property is the one they mean.
 */
final class FeatureObject {
  private static final String FEATURE_FIX =
      "a GeoJSON feature is {\"type\": \"Feature\", \"geometry\": {...} or null, \"properties\":"
          + " {...} or null}; export the layer again with ogr2ogr -f GeoJSON or QGIS";

  private final JsonFactory json;
  private final GeoJsonGeometry geometries;
  private final JsonLocation start;

  private String type;
  private boolean hasGeometry;
  private Geometry geometry;
  private Map<String, Object> properties;
  private Object id;

  FeatureObject(JsonFactory json, GeoJsonGeometry geometries, JsonLocation start) {
    this.json = json;
    this.geometries = geometries;
    this.start = start;
  }

  String type() {
    return type;
  }

  /** Reads the value of member {@code name}, the parser's current token. */
  void member(String name, JsonParser p) throws IOException {
    switch (name) {
      case "type" ->
          type =
              p.currentToken() == JsonToken.VALUE_STRING
                  ? p.getText()
                  : GeoJsonGeometry.describe(p);
      case "geometry" -> {
        hasGeometry = true;
        if (p.currentToken() == JsonToken.START_OBJECT) {
          geometry = geometries.read(p);
        } else if (p.currentToken() != JsonToken.VALUE_NULL) {
          throw new BadGeoJson(
              "expected the feature's geometry to be an object or null but found "
                  + GeoJsonGeometry.describe(p),
              FEATURE_FIX,
              p.currentTokenLocation());
        }
      }
      case "properties" -> properties = properties(p);
      case "id" -> id = value(p);
      default -> p.skipChildren(); // bbox, a foreign member
    }
  }

  SourceFeature toFeature(String where) {
    if (!"Feature".equals(type)) {
      throw new BadGeoJson(
          "expected an object of type Feature but found "
              + (type == null ? "one without a type member" : "type '" + type + "'"),
          FEATURE_FIX,
          start);
    }
    if (!hasGeometry) {
      throw new BadGeoJson(
          "the feature has no geometry member (a feature without a shape has \"geometry\": null)",
          FEATURE_FIX,
          start);
    }
    Map<String, Object> attributes = properties == null ? new LinkedHashMap<>() : properties;
    if (id != null && !attributes.containsKey("id")) {
      attributes.put("id", id);
    }
    return new SourceFeature(geometry, attributes, where);
  }

  private Map<String, Object> properties(JsonParser p) throws IOException {
    Map<String, Object> values = new LinkedHashMap<>();
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return values;
    }
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw new BadGeoJson(
          "expected the feature's properties to be an object or null but found "
              + GeoJsonGeometry.describe(p),
          FEATURE_FIX,
          p.currentTokenLocation());
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      values.put(name, value(p));
    }
    return values;
  }

  private Object value(JsonParser p) throws IOException {
    return switch (p.currentToken()) {
      case VALUE_STRING -> p.getText();
      case VALUE_NUMBER_INT ->
          switch (p.getNumberType()) {
            case INT, LONG -> p.getLongValue();
            default -> p.getDoubleValue(); // beyond a long
          };
      case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case START_OBJECT, START_ARRAY -> jsonText(p);
      default -> null;
    };
  }

  private String jsonText(JsonParser p) throws IOException {
    StringWriter text = new StringWriter();
    try (JsonGenerator g = json.createGenerator(text)) {
      g.copyCurrentStructure(p);
    }
    return text.toString();
  }
}
