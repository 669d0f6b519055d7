package io.gridmap.layers.query.cql2;

import io.gridmap.layers.model.Field;
import io.gridmap.layers.model.FieldType;
import io.gridmap.layers.model.LayerDef;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The names a filter may use for one layer, and nothing else: the fields the caller allows, plus
 * {@code geometry} (alias {@code geom}) and {@code id}. Names are looked up in this map exactly
 * (case-sensitively); they are never resolved by reflection, evaluated or passed to SQL as text.
 *
 * <p>Which fields are allowed is the caller's decision, by role: a public request uses {@link
 * #withoutPersonal(LayerDef)} so that a filter can never probe a personal field such as a worker's
 * name (a filter on a hidden field leaks its values one guess at a time).
 */
public final class Queryables {
  /** Where a queryable's value comes from. */
  public enum Source {
    FIELD,
    ID,
    GEOMETRY
  }

  /**
   * One queryable.
   *
   * @param name the name a filter uses
   * @param type its CQL2 type
   * @param source attribute, feature id or geometry
   * @param fieldIndex index in {@link LayerDef#fields()} for a FIELD, else -1
   * @param fieldType the field's type for a FIELD (ID is INTEGER), null for the geometry
   */
  public record Queryable(
      String name, ValueType type, Source source, int fieldIndex, FieldType fieldType) {}

  public static final String GEOMETRY = "geometry";
  public static final String GEOM = "geom";
  public static final String ID = "id";

  private final LayerDef layer;
  private final Map<String, Queryable> byName;

  private Queryables(LayerDef layer, Map<String, Queryable> byName) {
    this.layer = layer;
    this.byName = Collections.unmodifiableMap(byName);
  }

  /** The fields that {@code include} accepts, plus geometry, geom and id. */
  public static Queryables of(LayerDef layer, Predicate<Field> include) {
    Objects.requireNonNull(layer, "layer");
    Objects.requireNonNull(include, "include");
    Map<String, Queryable> m = new LinkedHashMap<>();
    List<Field> fields = layer.fields();
    for (int i = 0; i < fields.size(); i++) {
      Field f = fields.get(i);
      if (include.test(f)) {
        m.put(f.name(), new Queryable(f.name(), ValueType.of(f.type()), Source.FIELD, i, f.type()));
      }
    }
    // A field of the same name shadows a built-in; field names come from our own catalogue.
    m.putIfAbsent(GEOMETRY, new Queryable(GEOMETRY, ValueType.GEOMETRY, Source.GEOMETRY, -1, null));
    m.putIfAbsent(GEOM, new Queryable(GEOM, ValueType.GEOMETRY, Source.GEOMETRY, -1, null));
    m.putIfAbsent(ID, new Queryable(ID, ValueType.NUMBER, Source.ID, -1, FieldType.INTEGER));
    return new Queryables(layer, m);
  }

  /**
   * The named fields, plus geometry, geom and id. Every name must be a field of the layer, so a
   * typo in a role's configuration fails loudly instead of silently hiding a field.
   */
  public static Queryables of(LayerDef layer, Set<String> fieldNames) {
    Objects.requireNonNull(fieldNames, "fieldNames");
    Set<String> missing = new TreeSet<>(fieldNames);
    layer.fields().forEach(f -> missing.remove(f.name()));
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("layer " + layer.name() + " has no fields " + missing);
    }
    return of(layer, f -> fieldNames.contains(f.name()));
  }

  /**
   * Every field that is not personal, plus geometry, geom and id: what a public request may use.
   */
  public static Queryables withoutPersonal(LayerDef layer) {
    return of(layer, f -> !f.personal());
  }

  public LayerDef layer() {
    return layer;
  }

  /** Names in order: fields as the layer declares them, then geometry, geom, id. */
  public List<String> names() {
    return new ArrayList<>(byName.keySet());
  }

  /** The queryable, or a Cql2Exception that lists the valid names. */
  public Queryable require(String name) {
    Queryable q = byName.get(name);
    if (q != null) {
      return q;
    }
    String hint = "";
    for (String n : byName.keySet()) {
      if (n.equalsIgnoreCase(name)) {
        hint = " (names are case-sensitive: did you mean '" + n + "'?)";
        break;
      }
    }
    throw Cql2Exception.of(
        Cql2Exception.Kind.UNKNOWN_PROPERTY,
        "property "
            + Cql2Exception.quote(name)
            + " is not queryable in layer "
            + layer.name()
            + hint
            + "; the queryables are: "
            + String.join(", ", byName.keySet()));
  }
}
