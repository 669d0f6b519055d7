package io.gridmap.importer.generate;

import io.gridmap.layers.model.Feature;

/**
 * Ids and codes of the generated key sites and forces.
 *
 * <p>A point's <b>code</b> is its grid's 15-digit code and a 2-digit number in the grid (00 is the
 * grid's full-time worker), e.g. {@code 50010300100100101}: 17 digits that say where the point
 * belongs. As a number it is above 2^53, and every JavaScript reader of our tiles and GeoJSON
 * rounds it (to a multiple of 8 near 5·10^16), so the code is a string attribute and not the id.
 *
 * <p>A point's <b>id</b> is the district code × 10^7 + the grid's number in its district × 100 +
 * the same 2 digits, e.g. {@code 5001030000101}: 13 digits like the events' ids (district code ×
 * 10^7 + a sequence number), far below {@link Feature#ID_LIMIT}. Both depend only on the district
 * and the grid, so a subset of districts keeps the ids the full city gives them.
 */
final class PointIds {
  /** Grids a district may have: the grid number takes 5 digits of the id. */
  static final int MAX_GRIDS_PER_DISTRICT = 99_999;

  /** Points of one layer a grid may have: the number in the grid takes 2 digits. */
  static final int MAX_PER_GRID = 99;

  private PointIds() {}

  /**
   * @param districtCode 6-digit district code
   * @param gridNumber the grid's number in its district, from 1
   * @param seq the point's number in its grid, 0 to 99
   */
  static long id(String districtCode, int gridNumber, int seq) {
    if (gridNumber < 1 || gridNumber > MAX_GRIDS_PER_DISTRICT) {
      throw new IllegalStateException(
          "district "
              + districtCode
              + " has grid number "
              + gridNumber
              + "; point ids hold grid numbers 1.."
              + MAX_GRIDS_PER_DISTRICT);
    }
    checkSeq(districtCode, seq);
    return Long.parseLong(districtCode) * 10_000_000L + gridNumber * 100L + seq;
  }

  /**
   * @param gridCode 15-digit grid code
   * @param seq the point's number in its grid, 0 to 99
   */
  static String code(String gridCode, int seq) {
    checkSeq(gridCode, seq);
    return gridCode + (seq < 10 ? "0" : "") + seq;
  }

  private static void checkSeq(String where, int seq) {
    if (seq < 0 || seq > MAX_PER_GRID) {
      throw new IllegalStateException(
          where + ": a grid holds at most " + MAX_PER_GRID + " points of one layer, got " + seq);
    }
  }
}
