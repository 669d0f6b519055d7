package io.gridmap.server.testing;

import io.github.sebasbaumh.mapbox.vectortile.adapt.jts.MvtReader;
import io.github.sebasbaumh.mapbox.vectortile.adapt.jts.TagKeyValueMapConverter;
import io.github.sebasbaumh.mapbox.vectortile.adapt.jts.model.JtsMvt;
import java.io.ByteArrayInputStream;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;

/**
 * An MVT tile decoded by an independent decoder (mapbox-vector-tile-java), features by layer and
 * id.
 */
public final class MvtFeatures {
  private final JtsMvt mvt;

  private MvtFeatures(JtsMvt mvt) {
    this.mvt = mvt;
  }

  /** A tile as served, gzipped or not (an empty body is a tile without features). */
  public static MvtFeatures of(byte[] tile) throws Exception {
    boolean gzipped = tile.length > 1 && (tile[0] & 0xff) == 0x1f && (tile[1] & 0xff) == 0x8b;
    byte[] raw =
        gzipped ? new GZIPInputStream(new ByteArrayInputStream(tile)).readAllBytes() : tile;
    return new MvtFeatures(
        MvtReader.loadMvt(
            new ByteArrayInputStream(raw),
            new GeometryFactory(),
            new TagKeyValueMapConverter(false, "id")));
  }

  /**
   * The feature with this id in a layer, as its tile geometry (tile units) with its properties as
   * user data.
   */
  public Optional<Geometry> feature(String layer, long id) {
    var l = mvt.getLayer(layer);
    if (l == null) {
      return Optional.empty();
    }
    return l.getGeometries().stream().filter(g -> id(g) == id).findFirst();
  }

  /** The properties of the feature with this id (empty when the tile has none such). */
  @SuppressWarnings("unchecked")
  public Map<String, Object> props(String layer, long id) {
    return feature(layer, id).map(g -> (Map<String, Object>) g.getUserData()).orElse(Map.of());
  }

  /**
   * Area in tile units² of every part a layer holds for an id (a polygon can be split into several
   * features by nothing, but be safe).
   */
  public double area(String layer, long id) {
    var l = mvt.getLayer(layer);
    return l == null
        ? 0
        : l.getGeometries().stream().filter(g -> id(g) == id).mapToDouble(Geometry::getArea).sum();
  }

  /** How many features a layer holds (0 when the tile lacks the layer). */
  public int count(String layer) {
    var l = mvt.getLayer(layer);
    return l == null ? 0 : l.getGeometries().size();
  }

  /** The names of the tile's layers. */
  public java.util.Set<String> layers() {
    java.util.Set<String> out = new java.util.TreeSet<>();
    mvt.getLayers().forEach(l -> out.add(l.getName()));
    return out;
  }

  /** The ids of a layer's features (empty when the tile lacks the layer). */
  public java.util.Set<Long> ids(String layer) {
    return positions(layer).keySet();
  }

  /** Each feature of a layer by id, at its first coordinate (a point's position), in tile units. */
  public Map<Long, org.locationtech.jts.geom.Coordinate> positions(String layer) {
    Map<Long, org.locationtech.jts.geom.Coordinate> out = new java.util.HashMap<>();
    var l = mvt.getLayer(layer);
    if (l != null) {
      l.getGeometries().forEach(g -> out.put(id(g), g.getCoordinate()));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static long id(Geometry g) {
    Object v = ((Map<String, Object>) g.getUserData()).get("id");
    return v == null ? -1 : ((Number) v).longValue();
  }
}
