package io.gridmap.importer.admin;

import io.gridmap.importer.clean.DistrictCodes;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Field;
import io.gridmap.layers.model.FieldType;
import io.gridmap.layers.model.LayerDef;
import java.util.Locale;
import java.util.function.Function;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;

/**
 * The values of an imported admin unit in the catalogue's fields: what the file gives, else what
 * the unit had in the store, else what follows from its code, name and outline (parents' codes from
 * the code's digits, a street's kind from its name's suffix, its command centre inside it).
 */
final class AdminValues {
  private AdminValues() {}

  /**
   * @param def the catalogue layer
   * @param code the unit's code
   * @param given the file's value of one of our field names, or null when the file has none
   * @param old the unit as the store held it, or null for a new code
   * @param outline the unit's outline after the import
   * @throws IllegalArgumentException naming the unit and the field when the file's value does not
   *     fit the field's type
   */
  static Object[] of(
      LayerDef def, String code, Function<String, Object> given, Feature old, Geometry outline) {
    Object[] v = new Object[def.fields().size()];
    for (int i = 0; i < v.length; i++) {
      Field field = def.fields().get(i);
      String name = field.name();
      Object fromFile = given.apply(name);
      Object was = old == null ? null : old.value(i);
      v[i] =
          switch (name) {
            case "code" -> code;
            case "district_code" -> code.substring(0, 6);
            case "street_code" -> code.substring(0, 9);
            case "village_code" -> code.substring(0, 12);
            case "worker_id", "worker_name" -> was; // set from the forces once they follow
            default -> {
              if (fromFile != null) {
                yield typed(fromFile, field.type(), def.name(), code, name);
              }
              yield was != null ? was : derived(def, name, code, v, outline);
            }
          };
    }
    return v;
  }

  /**
   * A value no one gave: from the code, the name (filled before: it comes earlier), the outline.
   */
  private static Object derived(
      LayerDef def, String field, String code, Object[] sofar, Geometry outline) {
    return switch (field) {
      case "name" -> code;
      case "urban" -> DistrictCodes.MAIN_URBAN.contains(code);
      case "kind" -> kind(def.name(), (String) sofar[def.fieldIndex("name")]);
      case "centre_lon", "centre_lat" -> {
        Coordinate c = outline.getInteriorPoint().getCoordinate();
        yield field.equals("centre_lon") ? c.x : c.y;
      }
      case "population", "households" -> 0L;
      default -> null;
    };
  }

  /** A street's or village's kind by the suffix of its name, as GB/T 10114 names them. */
  static String kind(String layer, String name) {
    String n = name == null ? "" : name;
    if (layer.equals("streets")) {
      return n.endsWith("镇") ? "town" : n.endsWith("乡") ? "township" : "subdistrict";
    }
    return n.endsWith("村") ? "village" : "community";
  }

  private static Object typed(Object value, FieldType type, String layer, String code, String f) {
    try {
      return switch (type) {
        case STRING -> value.toString();
        case INTEGER, TIMESTAMP ->
            value instanceof Number n
                ? Long.valueOf(Math.round(n.doubleValue()))
                : Long.valueOf(Long.parseLong(value.toString().trim()));
        case REAL ->
            value instanceof Number n
                ? Double.valueOf(n.doubleValue())
                : Double.valueOf(Double.parseDouble(value.toString().trim()));
        case BOOLEAN -> bool(value);
      };
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          layer
              + " "
              + code
              + ": "
              + f
              + " is '"
              + value
              + "', which is not "
              + type.name().toLowerCase(Locale.ROOT)
              + ": fix the column, or leave it out (the store's value is kept)");
    }
  }

  private static Boolean bool(Object value) {
    if (value instanceof Boolean b) {
      return b;
    }
    String s = value.toString().trim().toLowerCase(Locale.ROOT);
    return switch (s) {
      case "true", "t", "1", "yes", "y" -> true;
      case "false", "f", "0", "no", "n" -> false;
      default -> throw new IllegalArgumentException("not a boolean: " + value);
    };
  }
}
