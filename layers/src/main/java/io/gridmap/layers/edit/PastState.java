package io.gridmap.layers.edit;

/**
 * What one feature was at a past instant, for a feature changed since.
 *
 * @param fid the feature's id
 * @param version the version valid then, or null when the feature did not exist then (added since);
 *     a retired version means it was gone by then
 */
public record PastState(long fid, FeatureVersion version) {
  /** Whether the feature was on the map at that instant. */
  public boolean existed() {
    return version != null && !version.retired();
  }
}
