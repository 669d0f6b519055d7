package io.gridmap.tiler.render;

import io.gridmap.layers.index.AdminLevel;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.index.LabelIndex;
import io.gridmap.layers.index.LabelPoint;
import io.gridmap.tiler.encode.Commands;
import io.gridmap.tiler.encode.IntList;
import io.gridmap.tiler.encode.MvtLayerWriter;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One point per admin unit, where its name goes. Each level starts one zoom after its outlines
 * appear, when its units are large enough on screen to hold a name: districts from z5 (outlines
 * from z0, but at z0-z4 the whole city is a few hundred pixels), streets from z8 (outlines z7),
 * villages from z11 (z10), grids from z13 (z12). All continue to z14.
 */
public final class LabelLayer implements SourceLayer {
  public static final String NAME = "labels";
  public static final int MIN_ZOOM = 5;
  public static final int MAX_ZOOM = 14;

  /** First zoom at which each level's labels appear. */
  public static final Map<AdminLevel, Integer> LEVEL_MIN_ZOOM =
      new EnumMap<>(
          Map.of(
              AdminLevel.DISTRICT,
              5,
              AdminLevel.STREET,
              8,
              AdminLevel.VILLAGE,
              11,
              AdminLevel.GRID,
              13));

  private final CityIndex index;

  /** True in the staff visibility class: personal units are labelled. */
  private final boolean includePersonal;

  /** The labels' values as dictionary ids, kept across the views of the layer. */
  private final LabelValues values;

  public LabelLayer(CityIndex index, boolean includePersonal) {
    this(index, includePersonal, new LabelValues());
  }

  /**
   * With the value ids of the layer's earlier view, so that a view made anew (after any change to
   * the index) does not look up its unchanged labels' values again.
   */
  public LabelLayer(CityIndex index, boolean includePersonal, LabelValues values) {
    this.includePersonal = includePersonal;
    this.index = index;
    this.values = values;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Label points of admin units (interior points), one per unit; level district from z5,"
        + " street z8, village z11, grid z13";
  }

  @Override
  public int minZoom() {
    return MIN_ZOOM;
  }

  @Override
  public int maxZoom() {
    return MAX_ZOOM;
  }

  @Override
  public boolean live() {
    return false;
  }

  @Override
  public Map<String, String> fields() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("level", "district, street, village or grid");
    f.put("code", "the unit's code");
    f.put("name", "the unit's name");
    return f;
  }

  @Override
  public void render(RenderContext ctx, MvtLayerWriter out) {
    int z = ctx.tile().z();
    // keys of a layer left without features go with it (MvtLayerWriter.finish)
    int[] keys = {out.keyIndex("level"), out.keyIndex("code"), out.keyIndex("name")};
    for (AdminLevel level : AdminLevel.values()) {
      if (z < LEVEL_MIN_ZOOM.get(level)) {
        continue;
      }
      LabelIndex labels = index.labels(level);
      labels.queryOrdinals(
          ctx.bufferedMercator(),
          o -> {
            LabelPoint p = labels.point(o);
            if (p.feature().personal() && !includePersonal) {
              return;
            }
            IntList g = ctx.geometry();
            if (ctx.point(p.x(), p.y(), g)) {
              values.write(labels, o, keys, out);
              out.feature(p.id(), Commands.POINT, g);
            }
          });
    }
  }
}
