package io.gridmap.tiler.render;

import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.index.GeneralisedIndex;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.tiler.encode.Commands;
import io.gridmap.tiler.encode.IntList;
import io.gridmap.tiler.encode.MvtLayerWriter;
import java.util.Map;

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

  public PolygonLayer(LayerDef def, CityIndex index, boolean includePersonal) {
    this.includePersonal = includePersonal;
    this.def = def;
    this.index = index;
    this.attributes = new TileAttributes(def);
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
    gi.queryOrdinals(
        ctx.bufferedMercator(),
        o -> {
          Feature f = gi.feature(o);
          if (f.personal() && !includePersonal) {
            return;
          }
          IntList g = ctx.geometry();
          if (polygons.render(gi.geometry(o), ctx.transform(), g)) {
            attributes.write(f, out);
            out.feature(f.id(), Commands.POLYGON, g);
          }
        });
  }
}
