package io.gridmap.importer.clean;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * GB/T 2260 codes of Chongqing's 38 county-level districts, keyed by the names the source file
 * uses. Two counties have since become districts under new names: 梁平县 is 梁平区 (500155) and 武隆县 is
 * 武隆区 (500156).
 */
public final class DistrictCodes {
  private DistrictCodes() {}

  /** A code with today's official name. */
  public record Entry(String code, String name) {}

  private static final Map<String, Entry> BY_SOURCE_NAME = new LinkedHashMap<>();

  /** The nine main urban districts (主城九区): small, dense, a third of the grids. */
  public static final Set<String> MAIN_URBAN =
      Set.of(
          "500103", "500105", "500108", "500106", "500107", "500104", "500112", "500113", "500109");

  static {
    add("万州区", "500101");
    add("涪陵区", "500102");
    add("渝中区", "500103");
    add("大渡口区", "500104");
    add("江北区", "500105");
    add("沙坪坝区", "500106");
    add("九龙坡区", "500107");
    add("南岸区", "500108");
    add("北碚区", "500109");
    add("綦江区", "500110");
    add("大足区", "500111");
    add("渝北区", "500112");
    add("巴南区", "500113");
    add("黔江区", "500114");
    add("长寿区", "500115");
    add("江津区", "500116");
    add("合川区", "500117");
    add("永川区", "500118");
    add("南川区", "500119");
    add("璧山区", "500120");
    add("铜梁区", "500151");
    add("潼南区", "500152");
    add("荣昌区", "500153");
    add("开州区", "500154");
    BY_SOURCE_NAME.put("梁平县", new Entry("500155", "梁平区"));
    BY_SOURCE_NAME.put("武隆县", new Entry("500156", "武隆区"));
    add("城口县", "500229");
    add("丰都县", "500230");
    add("垫江县", "500231");
    add("忠县", "500233");
    add("云阳县", "500235");
    add("奉节县", "500236");
    add("巫山县", "500237");
    add("巫溪县", "500238");
    add("石柱土家族自治县", "500240");
    add("秀山土家族苗族自治县", "500241");
    add("酉阳土家族苗族自治县", "500242");
    add("彭水苗族土家族自治县", "500243");
  }

  private static void add(String name, String code) {
    BY_SOURCE_NAME.put(name, new Entry(code, name));
  }

  /** The code and current name for a name as spelled in the source file. */
  public static Optional<Entry> bySourceName(String sourceName) {
    return Optional.ofNullable(BY_SOURCE_NAME.get(sourceName));
  }

  /** Number of districts: 38. */
  public static int count() {
    return BY_SOURCE_NAME.size();
  }
}
