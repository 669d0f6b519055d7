package io.gridmap.importer.generate;

/**
 * Key site categories with the expected number per grid in a community and in a village: about 1.6
 * and 1.3, so ~95,000 sites in the full city. Homes of elderly people living alone are personal.
 */
enum KeySiteCategory {
  SCHOOL("school", 0.10, 0.08, "小学"),
  KINDERGARTEN("kindergarten", 0.08, 0.05, "幼儿园"),
  CLINIC("clinic", 0.12, 0.15, "卫生室"),
  PHARMACY("pharmacy", 0.12, 0.04, "药房"),
  COMMUNITY_CANTEEN("community_canteen", 0.10, 0.03, "社区食堂"),
  ENTERPRISE("enterprise", 0.45, 0.12, "有限公司"),
  FIRE_LANE("fire_lane", 0.25, 0.05, "消防通道"),
  VOLUNTEER_STATION("volunteer_station", 0.12, 0.10, "志愿服务站"),
  MARKET("market", 0.08, 0.06, "农贸市场"),
  ELDERLY_ALONE_HOME("elderly_alone_home", 0.20, 0.60, "独居老人户");

  final String code;
  final double perUrbanGrid;
  final double perRuralGrid;
  final String suffix;

  KeySiteCategory(String code, double perUrbanGrid, double perRuralGrid, String suffix) {
    this.code = code;
    this.perUrbanGrid = perUrbanGrid;
    this.perRuralGrid = perRuralGrid;
    this.suffix = suffix;
  }

  boolean personal() {
    return this == ELDERLY_ALONE_HOME;
  }
}
