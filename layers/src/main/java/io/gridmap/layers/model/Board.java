package io.gridmap.layers.model;

/** The four boards (板块) that every event category belongs to. */
public enum Board implements Coded {
  PARTY_BUILDING("party_building", "党建"),
  ECONOMY("economy", "经济"),
  LIVELIHOOD("livelihood", "民生"),
  SAFETY_LAW("safety_law", "平安法治");

  private final String code;
  private final String chineseName;

  Board(String code, String chineseName) {
    this.code = code;
    this.chineseName = chineseName;
  }

  /** snake_case code used in attributes and styles. */
  @Override
  public String code() {
    return code;
  }

  public String chineseName() {
    return chineseName;
  }

  public static Board ofCode(String code) {
    return Coded.byCode(Board.class, code)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown board '"
                        + code
                        + "'; expected one of party_building, economy, livelihood, safety_law"));
  }
}
