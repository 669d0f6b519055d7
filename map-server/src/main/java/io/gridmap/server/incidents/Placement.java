package io.gridmap.server.incidents;

import io.gridmap.layers.model.Feature;
import io.gridmap.layers.query.nearest.NearestPoints;
import java.util.List;

/**
 * Where an incident was routed: its grid chain, the worker it is assigned to, the street's command
 * centre, and for an urgent one the nearest on-duty forces of the roles its category needs.
 *
 * @param grid the grid containing it
 * @param village its village (null when the map lacks the level)
 * @param street its street, whose command centre watches it
 * @param district its district
 * @param assignee the grid's full-time worker, or null when the grid has none
 * @param responders the forces sent, nearest first (empty unless urgent)
 * @param duplicateOf the first report of the same thing, or null
 */
public record Placement(
    Feature grid,
    Feature village,
    Feature street,
    Feature district,
    Feature assignee,
    List<NearestPoints.Neighbour> responders,
    Long duplicateOf) {}
