package io.gridmap.tiler.render;

import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.index.GeneralisedIndex;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.tiler.encode.Commands;
import io.gridmap.tiler.encode.IntList;
import io.gridmap.tiler.encode.MvtLayerWriter;
import io.gridmap.tiler.geo.TileCoord;
import io.gridmap.tiler.geo.TileTransform;
import java.util.Map;
import org.locationtech.jts.geom.Envelope;

/**
 * A polygon layer drawn from the generalised geometries of each zoom: the admin levels (coverages,
 * simplified together so that neighbours share their edges) and imported layers, whose polygons may
 * overlap. Each feature is clipped, rounded and repaired on its own ({@link PolygonRenderer}), so
 * nothing here relies on shared edges: overlapping polygons are each drawn whole.
 */
public final class PolygonLayer implements SourceLayer {
  private final LayerDef def;
  private final CityIndex index;
  private final TileAttributes attributes;

  /** True in the staff visibility class: personal features are drawn. */
  private final boolean includePersonal;

  /** What rounding does to this layer's polygons, per zoom, kept across the views of one layer. */
  private final RingMemo.PerZoom memos;

  /** The polygons' values as dictionary ids, per zoom, kept across the views of one layer. */
  private final PolygonValues.PerZoom values;

  private final int[] fields;

  /** The tiled fields' names, in the order of {@link #fields}. */
  private final String[] names;

  public PolygonLayer(LayerDef def, CityIndex index, boolean includePersonal) {
    this(def, index, includePersonal, new RingMemo.PerZoom(), new PolygonValues.PerZoom());
  }

  /**
   * With the memos and value ids of the layer's earlier view, so that a view made anew (after any
   * change to the index) does not decide its unchanged polygons' validity or look up their values
   * again.
   */
  public PolygonLayer(
      LayerDef def,
      CityIndex index,
      boolean includePersonal,
      RingMemo.PerZoom memos,
      PolygonValues.PerZoom values) {
    this.memos = memos;
    this.values = values;
    this.includePersonal = includePersonal;
    this.def = def;
    this.index = index;
    this.attributes = new TileAttributes(def);
    this.fields = attributes.indexes();
    this.names = attributes.names();
  }

  @Override
  public String name() {
    return def.name();
  }

  @Override
  public String description() {
    return def.title()
        + (def.coverage() ? ", coverage-simplified per zoom" : ", simplified per zoom");
  }

  @Override
  public int minZoom() {
    return def.minZoom();
  }

  @Override
  public int maxZoom() {
    return def.maxZoom();
  }

  @Override
  public boolean live() {
    return def.live();
  }

  @Override
  public Map<String, String> fields() {
    return attributes.descriptions();
  }

  @Override
  public void render(RenderContext ctx, MvtLayerWriter out) {
    GeneralisedIndex gi = index.generalised(def.name(), ctx.tile().z()).orElse(null);
    if (gi == null) {
      return;
    }
    PolygonRenderer polygons = ctx.polygons();
    RingMemo memo = memos.of(gi);
    PolygonValues ids = values.of(gi, fields);
    int[] keys = new int[names.length];
    for (int k = 0; k < keys.length; k++) {
      keys[k] = out.keyIndex(names[k]);
    }
    gi.queryOrdinals(
        ctx.bufferedMercator(),
        o -> {
          Feature f = gi.feature(o);
          if (f.personal() && !includePersonal) {
            return;
          }
          IntList g = ctx.geometry();
          if (polygons.render(gi.geometry(o), ctx.transform(), g, memo, o)) {
            ids.write(o, keys, out);
            out.feature(f.id(), Commands.POLYGON, g);
          }
        });
  }

  /**
   * Decides, for every zoom, what rounding does to each polygon that lies wholly inside one tile,
   * drawing it once in the tile holding its centre: what the first render of each tile would
   * otherwise decide. Slow (every polygon of every zoom once); for a background thread after start.
   *
   * @return the polygons decided
   */
  public int decideRings(int extent, int buffer, RenderStats stats) {
    int decided = 0;
    IntList scratch = new IntList(256);
    for (int z = def.minZoom(); z <= def.maxZoom(); z++) {
      GeneralisedIndex gi = index.generalised(def.name(), z).orElse(null);
      if (gi == null) {
        continue;
      }
      RingMemo memo = memos.of(gi);
      PolygonRenderer polygons = new PolygonRenderer(extent, buffer, stats);
      for (int o = 0; o < gi.size(); o++) {
        if (memo.verdict(o) != RingMemo.UNKNOWN) {
          continue;
        }
        Envelope e = gi.geometry(o).getEnvelopeInternal();
        if (e.isNull()) {
          continue;
        }
        TileCoord tile =
            TileCoord.containing(
                (e.getMinX() + e.getMaxX()) / 2, (e.getMinY() + e.getMaxY()) / 2, z);
        scratch.clear();
        polygons.render(gi.geometry(o), new TileTransform(tile, extent), scratch, memo, o);
        decided += memo.verdict(o) == RingMemo.UNKNOWN ? 0 : 1;
      }
    }
    return decided;
  }
}
