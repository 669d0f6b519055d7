package io.gridmap.layers.index;

/** The four admin levels, top down, with the stored layer that holds each. */
public enum AdminLevel {
  DISTRICT("district", "districts"),
  STREET("street", "streets"),
  VILLAGE("village", "villages"),
  GRID("grid", "grids");

  private final String code;
  private final String layerName;

  AdminLevel(String code, String layerName) {
    this.code = code;
    this.layerName = layerName;
  }

  /** snake_case code used in attributes, e.g. the {@code level} of a label. */
  public String code() {
    return code;
  }

  /**
   * The level a code names by its length (GB/T 2260 and its extensions: 6 digits a district, 9 a
   * street, 12 a village, 15 a grid), or empty for any other length.
   */
  public static java.util.Optional<AdminLevel> ofCode(String code) {
    return switch (code == null ? 0 : code.length()) {
      case 6 -> java.util.Optional.of(DISTRICT);
      case 9 -> java.util.Optional.of(STREET);
      case 12 -> java.util.Optional.of(VILLAGE);
      case 15 -> java.util.Optional.of(GRID);
      default -> java.util.Optional.empty();
    };
  }

  /** Name of the stored layer holding this level's polygons. */
  public String layerName() {
    return layerName;
  }
}
