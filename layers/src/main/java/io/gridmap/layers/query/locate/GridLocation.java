package io.gridmap.layers.query.locate;

import io.gridmap.layers.model.Feature;

/**
 * Where a point is: its grid and the units above it, the grid's full-time worker, and whether the
 * point lay on a border (so that the border rule chose the grid).
 *
 * @param grid the grid (never null)
 * @param village its village, or null when the dataset lacks it
 * @param street its street, or null
 * @param district its district, or null
 * @param worker the grid's full-time worker in the forces layer, or null
 * @param onBorder true when the point is on the grid's boundary rather than inside it
 */
public record GridLocation(
    Feature grid,
    Feature village,
    Feature street,
    Feature district,
    Feature worker,
    boolean onBorder) {}
