package io.gridmap.importer.generate;

/** The three kinds of street (镇街), as the {@code kind} attribute spells them. */
public enum StreetKind {
  SUBDISTRICT("subdistrict", "街道"),
  TOWN("town", "镇"),
  TOWNSHIP("township", "乡");

  private final String code;
  private final String suffix;

  StreetKind(String code, String suffix) {
    this.code = code;
    this.suffix = suffix;
  }

  public String code() {
    return code;
  }

  /** The name ending: 街道, 镇 or 乡. */
  public String suffix() {
    return suffix;
  }
}
