package io.gridmap.importer.generate;

import io.gridmap.layers.model.SiteCategory;

/**
 * How many key sites of each {@link SiteCategory} the generator places: the expected number per
 * grid in a community and in a village, about 1.6 and 1.3, so ~95,000 sites in the full city. Homes
 * of elderly people living alone are personal.
 */
enum SitePlan {
  SCHOOL(SiteCategory.SCHOOL, 0.10, 0.08, "小学"),
  KINDERGARTEN(SiteCategory.KINDERGARTEN, 0.08, 0.05, "幼儿园"),
  CLINIC(SiteCategory.CLINIC, 0.12, 0.15, "卫生室"),
  PHARMACY(SiteCategory.PHARMACY, 0.12, 0.04, "药房"),
  COMMUNITY_CANTEEN(SiteCategory.COMMUNITY_CANTEEN, 0.10, 0.03, "社区食堂"),
  ENTERPRISE(SiteCategory.ENTERPRISE, 0.45, 0.12, "有限公司"),
  FIRE_LANE(SiteCategory.FIRE_LANE, 0.25, 0.05, "消防通道"),
  VOLUNTEER_STATION(SiteCategory.VOLUNTEER_STATION, 0.12, 0.10, "志愿服务站"),
  MARKET(SiteCategory.MARKET, 0.08, 0.06, "农贸市场"),
  ELDERLY_ALONE_HOME(SiteCategory.ELDERLY_ALONE_HOME, 0.20, 0.60, "独居老人户");

  final SiteCategory category;
  final String code;
  final double perUrbanGrid;
  final double perRuralGrid;
  final String suffix;

  SitePlan(SiteCategory category, double perUrbanGrid, double perRuralGrid, String suffix) {
    this.category = category;
    this.code = category.code();
    this.perUrbanGrid = perUrbanGrid;
    this.perRuralGrid = perRuralGrid;
    this.suffix = suffix;
  }

  boolean personal() {
    return category.personal();
  }
}
