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

  /** Name of the stored layer holding this level's polygons. */
  public String layerName() {
    return layerName;
  }
}
