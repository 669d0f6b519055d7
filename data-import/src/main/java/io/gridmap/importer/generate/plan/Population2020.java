package io.gridmap.importer.generate.plan;

import java.util.Map;

/**
 * Resident population of each district, in ten-thousands, rounded from the 2020 (seventh) census.
 * Used only to weight how many streets, grids and residents each district gets; the total is 32.05
 * million. 綦江 includes 万盛, which the outline file does not separate.
 */
final class Population2020 {
  private Population2020() {}

  static final Map<String, Double> TEN_THOUSANDS =
      Map.ofEntries(
          Map.entry("500101", 156.4), // 万州
          Map.entry("500102", 111.5), // 涪陵
          Map.entry("500103", 58.9), // 渝中
          Map.entry("500104", 42.2), // 大渡口
          Map.entry("500105", 92.6), // 江北
          Map.entry("500106", 147.8), // 沙坪坝
          Map.entry("500107", 152.7), // 九龙坡
          Map.entry("500108", 119.8), // 南岸
          Map.entry("500109", 83.4), // 北碚
          Map.entry("500110", 101.3), // 綦江 (with 万盛)
          Map.entry("500111", 83.5), // 大足
          Map.entry("500112", 219.2), // 渝北
          Map.entry("500113", 117.9), // 巴南
          Map.entry("500114", 48.7), // 黔江
          Map.entry("500115", 69.3), // 长寿
          Map.entry("500116", 135.9), // 江津
          Map.entry("500117", 124.5), // 合川
          Map.entry("500118", 114.9), // 永川
          Map.entry("500119", 57.2), // 南川
          Map.entry("500120", 76.0), // 璧山
          Map.entry("500151", 68.6), // 铜梁
          Map.entry("500152", 68.9), // 潼南
          Map.entry("500153", 66.9), // 荣昌
          Map.entry("500154", 120.3), // 开州
          Map.entry("500155", 64.6), // 梁平
          Map.entry("500156", 35.7), // 武隆
          Map.entry("500229", 19.8), // 城口
          Map.entry("500230", 55.7), // 丰都
          Map.entry("500231", 65.4), // 垫江
          Map.entry("500233", 72.1), // 忠县
          Map.entry("500235", 92.9), // 云阳
          Map.entry("500236", 74.5), // 奉节
          Map.entry("500237", 46.3), // 巫山
          Map.entry("500238", 38.8), // 巫溪
          Map.entry("500240", 38.9), // 石柱
          Map.entry("500241", 50.2), // 秀山
          Map.entry("500242", 60.7), // 酉阳
          Map.entry("500243", 49.4)); // 彭水

  static double residents(String code) {
    Double v = TEN_THOUSANDS.get(code);
    if (v == null) {
      throw new IllegalArgumentException("no population figure for district " + code);
    }
    return v * 10_000;
  }
}
