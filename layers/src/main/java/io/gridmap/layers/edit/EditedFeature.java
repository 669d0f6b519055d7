package io.gridmap.layers.edit;

/**
 * A feature one change made a version of: what a revert of that change must put back.
 *
 * @param layer the layer's name
 * @param fid the feature's id
 * @param version the version the change made (its previous one is {@code version - 1})
 */
public record EditedFeature(String layer, long fid, int version) {}
