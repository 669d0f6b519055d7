package io.gridmap.layers.model;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One attribute of a layer.
 *
 * @param name snake_case name, as it appears in the store, in tiles and in JSON
 * @param type value type
 * @param personal true when the value identifies a person (a staff member's name): such values are
 *     stored but never appear in tiles or public responses
 * @param inTiles true when the attribute is written into vector tiles (tiles carry few attributes)
 * @param description one line for TileJSON, queryables and docs
 */
public record Field(
    String name, FieldType type, boolean personal, boolean inTiles, String description) {
  private static final Pattern SNAKE = Pattern.compile("[a-z][a-z0-9_]*");

  public Field {
    Objects.requireNonNull(type, "type");
    if (name == null || !SNAKE.matcher(name).matches()) {
      throw new IllegalArgumentException("field name must be snake_case, got: " + name);
    }
    if (personal && inTiles) {
      throw new IllegalArgumentException(
          "personal field " + name + " cannot be written into tiles");
    }
    description = description == null ? "" : description;
  }

  /** A field that is written into tiles. */
  public static Field tiled(String name, FieldType type, String description) {
    return new Field(name, type, false, true, description);
  }

  /** A field kept out of tiles (still served as a feature attribute). */
  public static Field plain(String name, FieldType type, String description) {
    return new Field(name, type, false, false, description);
  }

  /** A field that identifies a person: stored, never tiled, never public. */
  public static Field personal(String name, FieldType type, String description) {
    return new Field(name, type, true, false, description);
  }
}
