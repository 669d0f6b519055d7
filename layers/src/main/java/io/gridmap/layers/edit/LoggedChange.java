package io.gridmap.layers.edit;

import java.time.Instant;

/**
 * One entry of a store's change log: every change gets the next position ({@code seq}) in one
 * ordered log, in the transaction that applies it, so a reader that knows the last position it saw
 * can ask for exactly what came after (a live client reconnecting with {@code ?since=}, later a
 * cluster node catching up).
 *
 * @param seq the change's position: increasing, never reused, kept across restarts
 * @param layer the layer changed
 * @param ids the ids of the features the change replaced or added
 * @param at when it was applied
 * @param action what kind of write it was ("positions", "incident.dispatch", ...)
 * @param writer the server node that wrote it, or null (a store one server writes, or another
 *     program's row)
 */
public record LoggedChange(
    long seq, String layer, long[] ids, Instant at, String action, String writer) {

  /**
   * The action of an import's entry: {@code layer} was replaced whole (an imported layer), no ids.
   * A reader takes the layer anew from the store ({@code FeatureStore#readImportedLayer}); the ids
   * of a whole layer would make the log as large as the layer.
   */
  public static final String LAYER_IMPORT = "layer.import";

  /** Whether this entry is an import's: the whole layer, not the features of {@link #ids}. */
  public boolean layerImport() {
    return LAYER_IMPORT.equals(action);
  }

  /** An entry of a store only one server writes. */
  public LoggedChange(long seq, String layer, long[] ids, Instant at, String action) {
    this(seq, layer, ids, at, action, null);
  }
}
