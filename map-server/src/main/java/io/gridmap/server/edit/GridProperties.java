package io.gridmap.server.edit;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.server.web.ApiException;
import io.gridmap.server.web.GeoJsonReader;
import io.gridmap.server.web.Params;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The properties of a grid an edit may name: the editable ones with their typed new values, and the
 * read-only codes, which a body may repeat (a client that sends back the feature it read) but never
 * change.
 *
 * @param values editable field -> new value (null only for worker_name, which may be cleared)
 * @param repeated read-only field -> the value the body gives, to be compared with the current one
 */
record GridProperties(Map<String, Object> values, Map<String, JsonNode> repeated) {
  static final LayerDef GRIDS = Catalogue.GRIDS;

  /** Fields a planner may change with PATCH. */
  static final List<String> EDITABLE =
      List.of("name", "population", "households", "worker_id", "worker_name");

  /** Codes follow the city's hierarchy: the grid's own and its parents'. */
  static final List<String> CODES = List.of("code", "village_code", "street_code", "district_code");

  static final int MAX_TEXT = 64;

  /** The most people or households in one grid (population and households). */
  static final long MAX_COUNT = 10_000_000;

  /**
   * A worker is named by its force id (13 digits, beyond MAX_COUNT; a string of digits is accepted
   * too, for clients that keep ids as strings); that the force exists is checked against the
   * current index by {@link #checkWorker}.
   */
  static final String WORKER_FORM = "the id of an existing force (a feature of collection forces)";

  /**
   * Reads a properties object.
   *
   * @param path where it sits in the body, for messages
   */
  static GridProperties parse(JsonNode properties, String path) {
    if (properties == null || !properties.isObject()) {
      throw GeoJsonReader.invalid(
          path,
          properties,
          "an object of grid properties; editable: " + String.join(", ", EDITABLE));
    }
    Map<String, Object> values = new LinkedHashMap<>();
    Map<String, JsonNode> repeated = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = e.getKey();
      JsonNode v = e.getValue();
      String at = path + "." + name;
      if (CODES.contains(name)) {
        repeated.put(name, v);
        continue;
      }
      switch (name) {
        case "name" -> values.put(name, text(v, at, false));
        case "worker_name" -> values.put(name, text(v, at, true));
        case "population", "households" -> values.put(name, count(v, at));
        case "worker_id" -> values.put(name, GeoJsonReader.positiveId(v, at, WORKER_FORM));
        default ->
            throw ApiException.badRequest(
                at
                    + ": grids have no property "
                    + Params.quote(name)
                    + "; editable: "
                    + String.join(", ", EDITABLE)
                    + " (read-only: "
                    + String.join(", ", CODES)
                    + ")");
      }
    }
    return new GridProperties(values, repeated);
  }

  private static String text(JsonNode v, String at, boolean nullable) {
    if (v.isNull() && nullable) {
      return null;
    }
    String form =
        "a string of 1 to "
            + MAX_TEXT
            + " characters"
            + (nullable ? ", or null to clear it" : " (it cannot be removed)");
    if (!v.isTextual()) {
      throw GeoJsonReader.invalid(at, v, form);
    }
    String s = v.asText().strip();
    if (s.isEmpty()
        || s.codePointCount(0, s.length()) > MAX_TEXT
        || s.chars().anyMatch(Character::isISOControl)) {
      throw GeoJsonReader.invalid(at, v, form + " without control characters");
    }
    return s;
  }

  private static Long count(JsonNode v, String at) {
    String form = "an integer in 0.." + MAX_COUNT + " (it cannot be removed)";
    if (!v.isIntegralNumber()
        || !v.canConvertToLong()
        || v.asLong() < 0
        || v.asLong() > MAX_COUNT) {
      throw GeoJsonReader.invalid(at, v, form);
    }
    return v.asLong();
  }

  boolean isEmpty() {
    return values.isEmpty() && repeated.isEmpty();
  }

  /**
   * Checks the body's codes against the grid's own: equal is fine, different is a 400 naming the
   * field.
   */
  void checkCodes(Feature grid, String path) {
    repeated.forEach(
        (name, v) -> {
          Object now = grid.value(GRIDS.requireField(name));
          String given = v.isTextual() || v.isIntegralNumber() ? v.asText() : null;
          if (!Objects.equals(String.valueOf(now), given)) {
            throw ApiException.badRequest(
                path
                    + "."
                    + name
                    + "="
                    + GeoJsonReader.shown(v)
                    + " but grid "
                    + grid.id()
                    + "'s "
                    + name
                    + " is "
                    + Params.quote(String.valueOf(now))
                    + ": "
                    + name
                    + " is read-only (rule codes-fixed: codes and parent codes follow"
                    + " the city's hierarchy and never change); leave it out, or repeat it unchanged");
          }
        });
  }

  /**
   * Checks that a worker id names a full-time grid worker: a force whose role is grid_worker (a
   * grid without one is a grid nobody answers for; part-timers and volunteers help, they do not
   * hold a grid).
   */
  void checkWorker(CityIndex index, String path) {
    if (values.containsKey("worker_id")) {
      long id = (Long) values.get("worker_id");
      String role = io.gridmap.layers.edit.Revert.workerRole(index, id);
      if (role == null) {
        throw new ApiException(
            422,
            "Unprocessable Content",
            path
                + ".worker_id is "
                + id
                + ", which is no force; expected the id of an existing force (a feature of the collection forces) whose role is grid_worker");
      }
      if (!io.gridmap.layers.edit.Revert.FULL_TIME.equals(role)) {
        throw new ApiException(
            422,
            "Topology rule broken: worker",
            "rule worker: "
                + path
                + ".worker_id is "
                + id
                + ", a "
                + role
                + ", not a full-time grid worker; every grid keeps a force whose role is grid_worker");
      }
    }
  }

  /** The grid's values with this body's applied. */
  Object[] applied(Feature grid) {
    Object[] out = grid.values().clone();
    values.forEach((name, v) -> out[GRIDS.requireField(name)] = v);
    return out;
  }
}
