package io.gridmap.tiler.tilejson;

import io.gridmap.tiler.TileService;
import io.gridmap.tiler.render.LabelLayer;
import io.gridmap.tiler.render.PointLayer;
import io.gridmap.tiler.render.SourceLayer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.locationtech.jts.geom.Envelope;

/**
 * TileJSON 3.0.0 (github.com/mapbox/tilejson-spec/tree/master/3.0.0) for a tile service, as nested
 * maps and lists that any JSON library writes as they are.
 */
public final class TileJson {
  private TileJson() {}

  /** The zoom the center suggests: the whole city fits a screen around z8. */
  static final int CENTER_ZOOM = 8;

  public static Map<String, Object> of(TileService service, String tilesUrlTemplate) {
    if (tilesUrlTemplate == null
        || !tilesUrlTemplate.contains("{z}")
        || !tilesUrlTemplate.contains("{x}")
        || !tilesUrlTemplate.contains("{y}")) {
      throw new IllegalArgumentException(
          "tiles URL template must contain {z}, {x} and {y}, got: " + tilesUrlTemplate);
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("tilejson", "3.0.0");
    doc.put("name", service.config().tileset());
    doc.put(
        "description",
        "Chongqing grid governance map: admin units, labels, key sites, forces and events");
    doc.put("version", "1.0.0");
    doc.put("attribution", service.config().attribution());
    doc.put("scheme", "xyz");
    doc.put("tiles", List.of(tilesUrlTemplate));
    doc.put("minzoom", TileService.MIN_ZOOM);
    doc.put("maxzoom", TileService.MAX_ZOOM);
    Envelope b = service.index().lonLatBounds();
    if (b.isNull()) {
      b = new Envelope(105.29, 110.20, 28.16, 32.20);
    }
    doc.put(
        "bounds",
        List.of(round(b.getMinX()), round(b.getMinY()), round(b.getMaxX()), round(b.getMaxY())));
    doc.put("center", List.of(round(b.centre().x), round(b.centre().y), CENTER_ZOOM));
    doc.put("vector_layers", vectorLayers(service));
    Map<String, Object> labelZooms = new LinkedHashMap<>();
    LabelLayer.LEVEL_MIN_ZOOM.forEach((level, z) -> labelZooms.put(level.code(), z));
    doc.put("label_minzoom_by_level", labelZooms);
    return doc;
  }

  /**
   * TileJSON's {@code vector_layers}: per source layer its id, description, zooms and fields, and
   * for a point layer whether it is {@code clustered}. Tile packages carry the same list (PMTiles'
   * metadata, MBTiles' {@code json} entry).
   */
  public static List<Map<String, Object>> vectorLayers(TileService service) {
    List<Map<String, Object>> vectorLayers = new ArrayList<>();
    for (SourceLayer l : service.layers()) {
      Map<String, Object> vl = new LinkedHashMap<>();
      vl.put("id", l.name());
      vl.put("description", l.description());
      vl.put("minzoom", l.minZoom());
      vl.put("maxzoom", l.maxZoom());
      vl.put("fields", new LinkedHashMap<>(l.fields()));
      if (l instanceof PointLayer p) {
        // an extra member (TileJSON 3.0.0 allows them): whether a client should expect clusters
        // with a count below z14 or every point itself
        vl.put("clustered", p.clustered());
      }
      vectorLayers.add(vl);
    }
    return vectorLayers;
  }

  private static double round(double v) {
    return Math.round(v * 1e6) / 1e6;
  }
}
