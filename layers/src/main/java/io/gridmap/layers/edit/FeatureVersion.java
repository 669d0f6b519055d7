package io.gridmap.layers.edit;

import io.gridmap.layers.model.Feature;

/**
 * One version of a feature as the store's history keeps it.
 *
 * @param version 1 for the feature as it was before its first change, then one more per change
 * @param feature the feature as it was in that version; for a retirement, as it last was
 * @param provenance who made this version; null for version 1 (written by generate or import)
 * @param seq the change-log position of the change that made this version; 0 for version 1 and for
 *     versions stored before the history kept it
 * @param retired whether this version retired the feature: it is gone from the layer since (the
 *     last version, unless the id was added again later)
 */
public record FeatureVersion(
    int version, Feature feature, Provenance provenance, long seq, boolean retired) {

  /** A version that did not retire the feature. */
  public FeatureVersion(int version, Feature feature, Provenance provenance, long seq) {
    this(version, feature, provenance, seq, false);
  }

  /** A version the history holds no change-log position for. */
  public FeatureVersion(int version, Feature feature, Provenance provenance) {
    this(version, feature, provenance, 0);
  }
}
