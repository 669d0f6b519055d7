package io.gridmap.server.edit;

import io.github.sebasbaumh.mapbox.vectortile.adapt.jts.MvtReader;
import io.github.sebasbaumh.mapbox.vectortile.adapt.jts.TagKeyValueMapConverter;
import io.github.sebasbaumh.mapbox.vectortile.adapt.jts.model.JtsMvt;
import java.io.ByteArrayInputStream;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;

/** A gzipped MVT tile decoded by an independent decoder (mapbox-vector-tile-java), features by layer and id. */
final class MvtFeatures {
  private final JtsMvt mvt;

  private MvtFeatures(JtsMvt mvt) {
    this.mvt = mvt;
  }

  static MvtFeatures of(byte[] gzipped) throws Exception {
    byte[] raw = new GZIPInputStream(new ByteArrayInputStream(gzipped)).readAllBytes();
    return new MvtFeatures(MvtReader.loadMvt(new ByteArrayInputStream(raw), new GeometryFactory(), new TagKeyValueMapConverter(false, "id")));
  }

  /** The feature with this id in a layer, as its tile geometry (tile units) with its properties as user data. */
  Optional<Geometry> feature(String layer, long id) {
    var l = mvt.getLayer(layer);
    if (l == null) {
      return Optional.empty();
    }
    return l.getGeometries().stream().filter(g -> id(g) == id).findFirst();
  }

  /** The properties of the feature with this id (empty when the tile has none such). */
  @SuppressWarnings("unchecked")
  Map<String, Object> props(String layer, long id) {
    return feature(layer, id).map(g -> (Map<String, Object>) g.getUserData()).orElse(Map.of());
  }

  /** Area in tile units² of every part a layer holds for an id (a polygon can be split into several features by nothing, but be safe). */
  double area(String layer, long id) {
    var l = mvt.getLayer(layer);
    return l == null ? 0 : l.getGeometries().stream().filter(g -> id(g) == id).mapToDouble(Geometry::getArea).sum();
  }

  @SuppressWarnings("unchecked")
  private static long id(Geometry g) {
    Object v = ((Map<String, Object>) g.getUserData()).get("id");
    return v == null ? -1 : ((Number) v).longValue();
  }
}
