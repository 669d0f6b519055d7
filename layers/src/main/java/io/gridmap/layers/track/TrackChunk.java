package io.gridmap.layers.track;

/**
 * One row of the track store: a run of one force's fixes, packed ({@link TrackCodec}).
 *
 * @param forceId the force
 * @param start the time of its first fix, epoch ms (with the force, the row's key)
 * @param end the time of its last fix, epoch ms: retention deletes a chunk whose end has passed
 * @param points how many fixes it holds
 * @param data the packed fixes
 */
public record TrackChunk(long forceId, long start, long end, int points, byte[] data) {}
