package io.gridmap.styles;

/**
 * Key-site categories the styles know, with their colours. A category the data has but this
 * list lacks is still drawn, in {@link #OTHER_COLOUR}; add it here to give it its own colour and
 * legend entry.
 */
public enum SiteCategory {
  SCHOOL("school", "学校", "#3f51b5"),
  CLINIC("clinic", "卫生站", "#ec407a"),
  COMMUNITY_CANTEEN("community_canteen", "社区食堂", "#8d6e63"),
  ENTERPRISE("enterprise", "企业", "#546e7a"),
  FIRE_LANE("fire_lane", "消防通道", "#8e2424"),
  VOLUNTEER_STATION("volunteer_station", "志愿服务站", "#7cb342"),
  MARKET("market", "市场", "#c9a227"),
  ELDERLY_ALONE_HOME("elderly_alone_home", "独居老人", "#8e24aa");

  /** Colour of categories not listed here. */
  public static final Colour OTHER_COLOUR = Colour.hex("#78909c");

  private final String code;
  private final String label;
  private final Colour colour;

  SiteCategory(String code, String label, String hex) {
    this.code = code;
    this.label = label;
    this.colour = Colour.hex(hex);
  }

  /** The value of the {@code category} attribute. */
  public String code() {
    return code;
  }

  public String label() {
    return label;
  }

  public Colour colour() {
    return colour;
  }
}
