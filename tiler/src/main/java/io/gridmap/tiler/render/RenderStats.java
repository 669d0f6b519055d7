package io.gridmap.tiler.render;

import java.util.concurrent.atomic.LongAdder;

/**
 * What rendering did, for /metrics. Bad geometry is counted, not fatal: a polygon that rounding
 * broke is repaired and counted, one that no repair saves is dropped and counted.
 */
public final class RenderStats {
  final LongAdder tilesRendered = new LongAdder();
  final LongAdder layersEncoded = new LongAdder();
  final LongAdder renderNanos = new LongAdder();
  final LongAdder polygonsRepaired = new LongAdder();
  final LongAdder polygonsDropped = new LongAdder();
  final LongAdder polygonsClipped = new LongAdder();

  public void tileRendered(long nanos) {
    tilesRendered.increment();
    renderNanos.add(nanos);
  }

  public void layerEncoded() {
    layersEncoded.increment();
  }

  public Snapshot snapshot() {
    return new Snapshot(
        tilesRendered.sum(),
        layersEncoded.sum(),
        renderNanos.sum(),
        polygonsClipped.sum(),
        polygonsRepaired.sum(),
        polygonsDropped.sum());
  }

  /**
   * @param tilesRendered tiles rendered (cache misses that produced a tile)
   * @param layersEncoded (tile, layer) pairs encoded
   * @param renderNanos total time spent rendering tiles
   * @param polygonsClipped polygons that crossed the buffered tile edge and were clipped
   * @param polygonsRepaired polygons that clipping or rounding made invalid and were repaired
   * @param polygonsDropped polygons dropped because no repair made them valid
   */
  public record Snapshot(
      long tilesRendered,
      long layersEncoded,
      long renderNanos,
      long polygonsClipped,
      long polygonsRepaired,
      long polygonsDropped) {}
}
