package io.gridmap.layers.model;

import java.util.Optional;

/**
 * Categories of key sites (重点场所): the values of {@code key_sites.category}. One list for the
 * generator, the importers, the styles and the legend, so they cannot drift apart.
 */
public enum SiteCategory implements Coded {
  SCHOOL("school", "学校"),
  KINDERGARTEN("kindergarten", "幼儿园"),
  CLINIC("clinic", "卫生站"),
  PHARMACY("pharmacy", "药房"),
  COMMUNITY_CANTEEN("community_canteen", "社区食堂"),
  ENTERPRISE("enterprise", "企业"),
  FIRE_LANE("fire_lane", "消防通道"),
  VOLUNTEER_STATION("volunteer_station", "志愿服务站"),
  MARKET("market", "市场"),
  /** The home of an elderly person living alone: personal, never public. */
  ELDERLY_ALONE_HOME("elderly_alone_home", "独居老人");

  private final String code;
  private final String label;

  SiteCategory(String code, String label) {
    this.code = code;
    this.label = label;
  }

  /** The attribute value. */
  @Override
  public String code() {
    return code;
  }

  /** Chinese label for legends. */
  public String label() {
    return label;
  }

  /** True when a site of this category is a person's home, so the feature is personal. */
  public boolean personal() {
    return this == ELDERLY_ALONE_HOME;
  }

  public static Optional<SiteCategory> ofCode(String code) {
    return Coded.byCode(SiteCategory.class, code);
  }
}
