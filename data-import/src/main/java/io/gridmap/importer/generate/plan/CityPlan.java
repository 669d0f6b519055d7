package io.gridmap.importer.generate.plan;

import io.gridmap.importer.clean.District;
import io.gridmap.layers.geo.GroundMeasure;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts for every district, fixed before any random draw so that a subset of districts gets
 * exactly the counts it has in the full city.
 *
 * <p>At scale 1 the city has exactly {@value #STREETS} streets, {@value #VILLAGES} villages and
 * {@value #GRIDS} grids (DESIGN.md). The nine main urban districts take {@value
 * #MAIN_URBAN_STREETS} streets (15%) and {@value #MAIN_URBAN_GRIDS} grids (a third). Streets are
 * shared by population in the main urban group and by sqrt(population × area) elsewhere (a big
 * rural county has many towns however few live there); grids by population. Each district's grids
 * are split between communities and villages by {@link #communityGridShare}, and the 11,000
 * villages are shared so that a community averages about 10 grids and a village about 3.5.
 */
public final class CityPlan {
  public static final int STREETS = 1031;
  public static final int MAIN_URBAN_STREETS = 155;
  public static final int VILLAGES = 11_000;
  public static final int GRIDS = 65_000;
  public static final int MAIN_URBAN_GRIDS = 21_667;

  /** Grids per km² at most in a main urban district: 20 is 5 ha a grid (渝中 would be 1.8 ha). */
  static final double MAX_GRIDS_PER_KM2 = 20;

  static final double GRIDS_PER_COMMUNITY = 10;
  static final double GRIDS_PER_VILLAGE = 3.5;

  /** A rural grid covers this many times the ground of an urban one in the same district. */
  static final double RURAL_TO_URBAN_GRID_AREA = 25;

  /** Share of rural streets that are townships (乡) rather than towns (镇). */
  static final double TOWNSHIP_SHARE = 0.2;

  private final Map<String, DistrictPlan> byCode;

  private CityPlan(Map<String, DistrictPlan> byCode) {
    this.byCode = byCode;
  }

  public DistrictPlan of(String code) {
    DistrictPlan p = byCode.get(code);
    if (p == null) {
      throw new IllegalArgumentException(
          "no plan for district " + code + "; known: " + byCode.keySet());
    }
    return p;
  }

  public Map<String, DistrictPlan> all() {
    return byCode;
  }

  /**
   * Community (urban) share of a district's grids: 渝中 is all city, the main urban 95%, counties
   * 42%.
   */
  static double communityGridShare(String code, boolean mainUrban) {
    if (code.equals("500103")) {
      return 1.0;
    }
    return mainUrban ? 0.95 : 0.42;
  }

  /** The plan for all districts at a scale (0 < scale <= 1). */
  public static CityPlan of(List<District> districts, double scale) {
    if (!(scale > 0 && scale <= 1)) {
      throw new IllegalArgumentException("scale must be in (0, 1], got " + scale);
    }
    int n = districts.size();
    double[] pop = new double[n];
    double[] area = new double[n];
    boolean[] main = new boolean[n];
    for (int i = 0; i < n; i++) {
      District d = districts.get(i);
      pop[i] = Population2020.residents(d.code());
      area[i] = GroundMeasure.sinusoidalAreaM2(d.geometry()) / 1e6;
      main[i] = d.mainUrban();
    }
    long[] streets = new long[n];
    long[] grids = new long[n];
    for (boolean group : new boolean[] {true, false}) {
      int[] idx = java.util.stream.IntStream.range(0, n).filter(i -> main[i] == group).toArray();
      double[] streetWeight = new double[idx.length];
      double[] gridWeight = new double[idx.length];
      long[] gridLo = new long[idx.length];
      long[] gridHi = new long[idx.length];
      for (int j = 0; j < idx.length; j++) {
        int i = idx[j];
        streetWeight[j] = group ? pop[i] : Math.sqrt(pop[i] * area[i]);
        gridWeight[j] = pop[i];
        gridLo[j] = 1;
        gridHi[j] = group ? (long) Math.floor(MAX_GRIDS_PER_KM2 * area[i]) : Long.MAX_VALUE / 4;
      }
      long[] s =
          Apportion.byWeight(
              group ? MAIN_URBAN_STREETS : STREETS - MAIN_URBAN_STREETS, streetWeight, 1);
      long[] g =
          Apportion.bounded(
              group ? MAIN_URBAN_GRIDS : GRIDS - MAIN_URBAN_GRIDS, gridWeight, gridLo, gridHi);
      for (int j = 0; j < idx.length; j++) {
        streets[idx[j]] = s[j];
        grids[idx[j]] = g[j];
      }
    }
    double[] gridsU = new double[n];
    double[] gridsR = new double[n];
    double[] expectedUnits = new double[n];
    for (int i = 0; i < n; i++) {
      double share = communityGridShare(districts.get(i).code(), main[i]);
      gridsU[i] = Math.round(grids[i] * share);
      gridsR[i] = grids[i] - gridsU[i];
      expectedUnits[i] = gridsU[i] / GRIDS_PER_COMMUNITY + gridsR[i] / GRIDS_PER_VILLAGE;
    }
    long[] units = Apportion.byWeight(VILLAGES, expectedUnits, 1);

    Map<String, DistrictPlan> out = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      District d = districts.get(i);
      double communityShare = (gridsU[i] / GRIDS_PER_COMMUNITY) / expectedUnits[i];
      long c = Math.round(units[i] * communityShare);
      long r = units[i] - c;
      out.put(
          d.code(),
          scaled(d.code(), main[i], streets[i], c, r, gridsU[i], gridsR[i], pop[i], scale));
    }
    return new CityPlan(out);
  }

  private static DistrictPlan scaled(
      String code,
      boolean main,
      long streets,
      long communities,
      long villages,
      double gridsU,
      double gridsR,
      double pop,
      double scale) {
    int s = (int) Math.max(1, Math.round(streets * scale));
    int c = (int) Math.round(communities * scale);
    int r = (int) Math.round(villages * scale);
    if (c + r == 0) {
      if (gridsU >= gridsR) {
        c = 1;
      } else {
        r = 1;
      }
    }
    while (c + r < s) { // every street needs a village: grow the kind that is short of its share
      if (c > 0
          && (r == 0 || (double) c / (c + r) < communities / (double) (communities + villages))) {
        c++;
      } else {
        r++;
      }
    }
    int sub;
    if (c == 0) {
      sub = 0;
    } else if (r == 0) {
      sub = s;
    } else if (s == 1) {
      sub = gridsU >= gridsR ? 1 : 0;
    } else {
      sub = (int) Math.max(1, Math.min(s - 1, Math.round((double) s * c / (c + r))));
      sub = Math.min(sub, c);
      sub = Math.max(sub, s - r);
    }
    int townships = main ? 0 : (int) Math.round((s - sub) * TOWNSHIP_SHARE);
    int gu = c == 0 ? 0 : (int) Math.max(5L * c, Math.min(15L * c, Math.round(gridsU * scale)));
    int gr = r == 0 ? 0 : (int) Math.max(2L * r, Math.min(5L * r, Math.round(gridsR * scale)));
    long people = Math.round(pop * scale);
    long pu = Math.round(people * (double) gu / (gu + gr));
    double core;
    if (c == 0) {
      core = 0;
    } else if (r == 0) {
      core = 1;
    } else {
      core = gu / (gu + RURAL_TO_URBAN_GRID_AREA * gr);
    }
    return new DistrictPlan(code, main, s, sub, townships, c, r, gu, gr, pu, people - pu, core);
  }
}
