package io.gridmap.tiler.pack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.locationtech.jts.geom.Envelope;

/**
 * What a tile package says about itself, in both formats: the TileJSON fields a reader needs (name,
 * zooms, bounds, centre, {@code vector_layers} as {@code /tiles/cq.json} lists them) and where it
 * came from (area, visibility).
 *
 * @param bounds the area's extent in degrees (lon/lat)
 * @param vectorLayers TileJSON 3.0.0 {@code vector_layers}: id, description, minzoom, maxzoom,
 *     fields
 * @param extra further keys of the JSON metadata (the area exported, the visibility class)
 */
public record ArchiveMetadata(
    String name,
    String description,
    String attribution,
    int minZoom,
    int maxZoom,
    Envelope bounds,
    int centerZoom,
    List<Map<String, Object>> vectorLayers,
    Map<String, Object> extra) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public ArchiveMetadata {
    if (minZoom < 0 || maxZoom < minZoom) {
      throw new IllegalArgumentException("zooms " + minZoom + ".." + maxZoom + " are not a range");
    }
    if (bounds == null || bounds.isNull()) {
      throw new IllegalArgumentException("a package needs the bounds of its area");
    }
    bounds = new Envelope(bounds);
    vectorLayers = List.copyOf(vectorLayers);
    extra = Map.copyOf(extra);
  }

  public double centerLon() {
    return bounds.centre().x;
  }

  public double centerLat() {
    return bounds.centre().y;
  }

  /** The JSON a PMTiles archive carries, and MBTiles' {@code json} entry with the same content. */
  public Map<String, Object> json() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("name", name);
    doc.put("description", description);
    doc.put("attribution", attribution);
    doc.put("version", "1.0.0");
    doc.put("type", "overlay");
    doc.put("vector_layers", vectorLayers);
    doc.putAll(new java.util.TreeMap<>(extra));
    return doc;
  }

  static String toJson(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("metadata is not JSON-ready: " + e.getMessage(), e);
    }
  }
}
