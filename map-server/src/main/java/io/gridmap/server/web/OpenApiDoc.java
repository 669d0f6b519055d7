package io.gridmap.server.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Builders for the pieces of an OpenAPI 3.0 document that every route module uses to describe its
 * operations; the parameters and responses they refer to ({@code #/components/...}) are defined
 * once by the document's assembler ({@code ogc/OpenApi}).
 */
public final class OpenApiDoc {
  /** The media type of GeoJSON responses. */
  public static final String GEOJSON = "application/geo+json";

  private OpenApiDoc() {}

  public static JsonObject ref400() {
    return new JsonObject().put("$ref", "#/components/responses/BadRequest");
  }

  public static JsonObject query(String name, String description, JsonObject schema) {
    return new JsonObject()
        .put("name", name)
        .put("in", "query")
        .put("required", false)
        .put("description", description)
        .put("schema", schema);
  }

  public static JsonObject path(String name, JsonObject schema) {
    return new JsonObject()
        .put("name", name)
        .put("in", "path")
        .put("required", true)
        .put("schema", schema);
  }

  public static JsonObject ref(String parameter) {
    return new JsonObject().put("$ref", "#/components/parameters/" + parameter);
  }

  /** A GET operation. */
  public static JsonObject get(
      String summary, String description, List<?> parameters, JsonObject responses) {
    return new JsonObject().put("get", operation(summary, description, parameters, responses));
  }

  /** An operation object. */
  public static JsonObject operation(
      String summary, String description, List<?> parameters, JsonObject responses) {
    JsonObject op =
        new JsonObject()
            .put("summary", summary)
            .put("description", description)
            .put("responses", responses);
    if (!parameters.isEmpty()) {
      op.put("parameters", new JsonArray(new java.util.ArrayList<>(parameters)));
    }
    return op;
  }

  public static JsonObject json(String description, String... alternates) {
    JsonObject content =
        new JsonObject()
            .put(
                "application/json",
                new JsonObject().put("schema", new JsonObject().put("type", "object")));
    for (String a : alternates) {
      content.put(a, new JsonObject().put("schema", new JsonObject().put("type", "string")));
    }
    return new JsonObject()
        .put("200", new JsonObject().put("description", description).put("content", content));
  }

  public static JsonObject geojson(String description) {
    return response(description, GEOJSON);
  }

  public static JsonObject response(String description, String mediaType) {
    JsonObject schema =
        mediaType.contains("json")
            ? new JsonObject().put("type", "object")
            : new JsonObject().put("type", "string").put("format", "binary");
    return new JsonObject()
        .put(
            "200",
            new JsonObject()
                .put("description", description)
                .put(
                    "content",
                    new JsonObject().put(mediaType, new JsonObject().put("schema", schema))));
  }

  /** A response whose body is a problem+json document ({@code #/components/schemas/Problem}). */
  public static JsonObject problem(String description) {
    return new JsonObject()
        .put("description", description)
        .put(
            "content",
            new JsonObject()
                .put(
                    "application/problem+json",
                    new JsonObject()
                        .put(
                            "schema",
                            new JsonObject().put("$ref", "#/components/schemas/Problem"))));
  }

  /** Adds a problem response per {status, description} pair; returns {@code responses}. */
  public static JsonObject problems(JsonObject responses, List<String[]> statuses) {
    for (String[] r : statuses) {
      responses.put(r[0], problem(r[1]));
    }
    return responses;
  }

  /** The schema of a GeoJSON FeatureCollection body of 1 to {@code maxItems} such features. */
  public static JsonObject featureCollection(JsonObject feature, int maxItems) {
    return new JsonObject()
        .put("type", "object")
        .put("required", new JsonArray().add("type").add("features"))
        .put(
            "properties",
            new JsonObject()
                .put(
                    "type",
                    new JsonObject()
                        .put("type", "string")
                        .put("enum", new JsonArray().add("FeatureCollection")))
                .put(
                    "features",
                    new JsonObject()
                        .put("type", "array")
                        .put("minItems", 1)
                        .put("maxItems", maxItems)
                        .put("items", feature)));
  }
}
