package io.gridmap.server.content;

import io.gridmap.layers.edit.Change;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.DatasetMetadata;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.server.security.Visibility;
import io.gridmap.server.web.ApiException;
import io.gridmap.server.web.Params;
import io.gridmap.tiler.TileService;
import io.gridmap.tiler.TileServiceConfig;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.locationtech.jts.geom.Envelope;

/**
 * Everything the server answers from, held in memory: the dataset's metadata, the spatial index and
 * the tile services over it, one per visibility class. Reads never touch the store.
 */
public final class Content {
  private final DatasetMetadata metadata;
  private final TileService tiles;
  private final TileServiceConfig tileConfig;
  private final String description;
  private final FeatureStore store;
  private volatile CityIndex index;
  private volatile TileService staffTiles;
  private final PastViews pastViews = new PastViews();

  /**
   * @param store where changes are written, or null for a read-only server (content from memory)
   */
  public Content(
      DatasetMetadata metadata,
      CityIndex index,
      TileService tiles,
      String description,
      FeatureStore store) {
    this.metadata = metadata;
    this.index = index;
    this.tiles = tiles;
    this.tileConfig = tiles.config();
    this.description = description;
    this.store = store;
  }

  /**
   * Indexes a dataset and puts a tile service with a cache of {@code tileCacheBytes} over it;
   * read-only.
   */
  public static Content of(Dataset dataset, long tileCacheBytes, String description) {
    return of(dataset, tileCacheBytes, description, null);
  }

  /**
   * As {@link #of(Dataset, long, String)}, with the store that changes are written to (may be
   * null).
   */
  public static Content of(
      Dataset dataset, long tileCacheBytes, String description, FeatureStore store) {
    return of(
        dataset, tileCacheBytes, TileServiceConfig.defaults().closedWindow(), description, store);
  }

  /**
   * As {@link #of(Dataset, long, String, FeatureStore)}, with how long closed incidents stay in the
   * tiles (the {@code closed_days} setting).
   */
  public static Content of(
      Dataset dataset,
      long tileCacheBytes,
      java.time.Duration closedWindow,
      String description,
      FeatureStore store) {
    CityIndex index = CityIndex.build(dataset);
    TileServiceConfig config =
        TileServiceConfig.defaults()
            .withCacheMaxBytes(tileCacheBytes)
            .withClosedWindow(closedWindow);
    return new Content(
        dataset.metadata(), index, TileService.create(index, config), description, store);
  }

  /** The views of the past ({@code as-of}) this server keeps. */
  public PastViews pastViews() {
    return pastViews;
  }

  /** The store changes go to, if the server was started on one. */
  public Optional<FeatureStore> store() {
    return Optional.ofNullable(store);
  }

  /**
   * Swaps a change into memory: a new index with the change, the tiles of every visibility class
   * moved onto it with exactly the touched area of the changed layer forgotten. Requests that
   * started before keep the index they began with. Called by the one writer, after the store
   * committed the change.
   */
  public synchronized void apply(Change change) {
    if (change.isEmpty() && change.generalised().isEmpty()) {
      return;
    }
    CityIndex next = index.withChange(change);
    java.util.List<Envelope> areas = new java.util.ArrayList<>(change.mercatorAreas());
    // where the replaced generalised polygons were drawn (a neighbour's may move without its
    // feature changing)
    CityIndex before = index;
    change
        .generalised()
        .forEach(
            (z, byId) ->
                before
                    .generalised(change.layer(), z)
                    .ifPresent(
                        gi ->
                            byId.keySet()
                                .forEach(
                                    id -> {
                                      int o = gi.ordinalOf(id);
                                      if (o >= 0) {
                                        areas.add(gi.geometry(o).getEnvelopeInternal());
                                      }
                                    })));
    // a retired feature's polygons go at every zoom, though the change names none: where they
    // were drawn (a simplified outline may stray a little outside the feature's envelope)
    if (change.retiresAny()) {
      before
          .findLayer(change.layer())
          .ifPresent(
              li -> {
                for (int z = li.def().minZoom(); z <= li.def().maxZoom(); z++) {
                  before
                      .generalised(change.layer(), z)
                      .ifPresent(
                          gi -> {
                            for (Change.Replacement r : change.replacements()) {
                              int o = r.isRetired() ? gi.ordinalOf(r.id()) : -1;
                              if (o >= 0) {
                                areas.add(gi.geometry(o).getEnvelopeInternal());
                              }
                            }
                          });
                }
              });
    }
    // a point layer is updated in place of being rebuilt; the areas serve coverage layers
    tiles.apply(next, change, areas);
    TileService staff = staffTiles;
    if (staff != null) {
      staff.apply(next, change, areas);
    }
    index = next;
  }

  /**
   * Swaps an imported layer into memory whole, added or replacing the layer of that name: a new
   * index with it ({@link CityIndex#withLayer}), the tiles of every visibility class moved onto it
   * with exactly the tiles that the layer's old and new features touch forgotten (an untouched tile
   * keeps its bytes and its ETag). Documents made from the list of layers (TileJSON, styles) are
   * made anew: {@link #layersVersion()} moves on. Called by the one writer, after the store
   * committed the layer.
   *
   * @param generalised zoom -> feature id -> EPSG:3857 polygon, as the import made them
   */
  public synchronized void replaceLayer(
      io.gridmap.layers.model.Layer layer,
      Map<Integer, Map<Long, org.locationtech.jts.geom.Geometry>> generalised) {
    CityIndex before = index;
    CityIndex next = before.withLayer(layer, generalised);
    java.util.List<Envelope> areas = new java.util.ArrayList<>();
    before.findLayer(layer.name()).ifPresent(li -> areas.addAll(mercatorAreas(li)));
    areas.addAll(mercatorAreas(next.layer(layer.name())));
    tiles.apply(next, layer.name(), areas);
    TileService staff = staffTiles;
    if (staff != null) {
      staff.apply(next, layer.name(), areas);
    }
    index = next;
    layersVersion++;
  }

  /** Each feature's EPSG:3857 envelope: where a tile draws it. */
  private static java.util.List<Envelope> mercatorAreas(LayerIndex li) {
    java.util.List<Envelope> out = new java.util.ArrayList<>(li.size());
    for (var f : li.features()) {
      out.add(io.gridmap.layers.geo.WebMercator.project(f.geometry().getEnvelopeInternal()));
    }
    return out;
  }

  private volatile long layersVersion;

  /**
   * How many times the list of layers or a layer's definition changed since the start (imports):
   * what caches of documents made from them (TileJSON, styles) put in their keys.
   */
  public long layersVersion() {
    return layersVersion;
  }

  /**
   * The layer served as collection {@code id} to a visibility class, or a 404 that lists the
   * collections that class sees. A staff-only layer asked for by the public gets the very 404 of a
   * collection that does not exist, so that the answer does not reveal that it does.
   */
  public LayerIndex collection(String id, Visibility v) {
    CityIndex i = index;
    return i.findLayer(id)
        .filter(li -> sees(v, li))
        .orElseThrow(
            () ->
                ApiException.notFound(
                    "collection "
                        + Params.quote(id)
                        + " does not exist; the collections are: "
                        + String.join(
                            ", ", collections(v).stream().map(LayerIndex::name).toList())));
  }

  /** The layers a visibility class sees as collections, in the index's order. */
  public java.util.List<LayerIndex> collections(Visibility v) {
    return index.layers().stream().filter(li -> sees(v, li)).toList();
  }

  /** Staff-only layers (an imported roster) exist for the staff class alone. */
  private static boolean sees(Visibility v, LayerIndex li) {
    return v == Visibility.STAFF || !li.def().staffOnly();
  }

  public DatasetMetadata metadata() {
    return metadata;
  }

  public CityIndex index() {
    return index;
  }

  /** The public class's tiles: no personal feature. */
  public TileService tiles() {
    return tiles;
  }

  /** What the server says it serves, for logs and /health. */
  public String description() {
    return description;
  }

  /**
   * The tiles of a visibility class if they exist yet; the staff class is built on first use (a
   * public-only deployment never pays for it), so this may be null for it.
   */
  public TileService tilesIfBuilt(Visibility v) {
    return v == Visibility.PUBLIC ? tiles : staffTiles;
  }

  /**
   * The tiles of a visibility class, building the staff class on first use: call off the event
   * loop.
   */
  public TileService tiles(Visibility v) {
    if (v == Visibility.PUBLIC) {
      return tiles;
    }
    TileService s = staffTiles;
    if (s == null) {
      synchronized (this) { // the lock apply() holds: the staff class never misses a change
        s = staffTiles;
        if (s == null) {
          // its own cache, bounded like the public one: tiles of the two classes never mix
          staffTiles = s = TileService.create(index, tileConfig.withPersonal(true));
          // built from the index current now; apply() moves it on from here (both are synchronized)
        }
      }
    }
    return s;
  }

  /**
   * Features of a layer the public class sees, counted once per version of the layer: /health is
   * polled by load balancers on the event loop, and a change replaces only the layers it touches
   * (untouched ones are shared by the new index), so only a changed layer is counted again.
   */
  private int publicCount(LayerIndex li) {
    PublicCount c = publicCounts.get(li.name());
    if (c == null || c.layer() != li) {
      int n = 0;
      for (var f : li.features()) {
        n += f.personal() ? 0 : 1;
      }
      c = new PublicCount(li, n);
      publicCounts.put(li.name(), c);
    }
    return c.count();
  }

  private record PublicCount(LayerIndex layer, int count) {}

  private final Map<String, PublicCount> publicCounts = new ConcurrentHashMap<>();

  /**
   * The dataset's identity and its features per layer as a visibility class sees them, for {@code
   * /health}: the public count leaves out personal features (homes of elderly people living alone),
   * as every public count of the queries does, so the two agree.
   */
  public JsonObject summary(Visibility v) {
    JsonObject counts = new JsonObject();
    CityIndex i = index;
    for (LayerIndex li : i.layers()) {
      if (sees(v, li)) {
        counts.put(li.name(), v == Visibility.STAFF ? li.size() : publicCount(li));
      }
    }
    JsonObject summary =
        new JsonObject()
            .put("name", metadata.name())
            .put("seed", metadata.seed())
            .put("scale", metadata.scale());
    if (v == Visibility.STAFF) {
      // where the store is (a file path, a database's host and user) is for staff, not the public
      summary.put("source", description);
    }
    return summary.put("counts", counts);
  }
}
