package io.gridmap.styles;

import io.gridmap.layers.model.Board;
import java.util.List;
import java.util.Locale;

/**
 * The ids of the style layers. They are part of the viewer's contract (it toggles layers by admin
 * level and by board), so they are stable: rename one only together with the viewer. Both themes
 * have exactly the same layers in the same order; only paint values differ.
 */
public final class StyleLayers {
  private StyleLayers() {}

  /** The one vector source, the {@code cq} tileset. */
  public static final String SOURCE = "cq";

  /** The derived label-point source layer written by the tiler (not a stored layer). */
  public static final String LABELS_SOURCE_LAYER = "labels";

  public static final String BACKGROUND = "background";

  public static final String DISTRICTS_FILL = "districts-fill";
  public static final String VILLAGES_FILL = "villages-fill";
  public static final String GRIDS_FILL = "grids-fill";

  public static final String GRIDS_LINE = "grids-line";
  public static final String VILLAGES_LINE = "villages-line";
  public static final String STREETS_LINE = "streets-line";
  public static final String DISTRICTS_CASING = "districts-casing";
  public static final String DISTRICTS_LINE = "districts-line";

  public static final String KEY_SITES_CLUSTER = "key-sites-cluster";
  public static final String KEY_SITES = "key-sites";
  public static final String FORCES_CLUSTER = "forces-cluster";
  public static final String FORCES = "forces";
  public static final String EVENTS_CLUSTER = "events-cluster";

  public static final String LABELS_GRID = "labels-grid";
  public static final String LABELS_VILLAGE = "labels-village";
  public static final String LABELS_STREET = "labels-street";
  public static final String LABELS_DISTRICT = "labels-district";

  public static final String KEY_SITES_LABEL = "key-sites-label";
  public static final String KEY_SITES_CLUSTER_COUNT = "key-sites-cluster-count";
  public static final String FORCES_CLUSTER_COUNT = "forces-cluster-count";
  public static final String EVENTS_CLUSTER_COUNT = "events-cluster-count";

  public static final String EVENTS_URGENT_HALO = "events-urgent-halo";
  public static final String EVENTS_URGENT_RING = "events-urgent-ring";
  public static final String EVENTS_URGENT = "events-urgent";

  /** The non-urgent, unclustered events of one board, e.g. {@code events-safety_law}. */
  public static String events(Board board) {
    return "events-" + board.code().toLowerCase(Locale.ROOT);
  }

  /** The layers drawing urgent events: the only layers that paint {@link AlertPalette#URGENT}. */
  public static final List<String> URGENT =
      List.of(EVENTS_URGENT_HALO, EVENTS_URGENT_RING, EVENTS_URGENT);
}
