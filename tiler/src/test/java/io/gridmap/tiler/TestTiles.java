package io.gridmap.tiler;

import io.github.sebasbaumh.mapbox.vectortile.VectorTile;
import io.github.sebasbaumh.mapbox.vectortile.adapt.jts.MvtReader;
import io.github.sebasbaumh.mapbox.vectortile.adapt.jts.TagKeyValueMapConverter;
import io.github.sebasbaumh.mapbox.vectortile.adapt.jts.model.JtsLayer;
import io.github.sebasbaumh.mapbox.vectortile.adapt.jts.model.JtsMvt;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.index.SyntheticCity;
import io.gridmap.layers.model.Dataset;
import io.gridmap.tiler.encode.Gzip;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;

/**
 * Test helpers: one synthetic city shared by the tests of a JVM, and decoding of our tiles with an
 * independent decoder (sebasbaumh's mapbox-vector-tile-java: protobuf-java for the raw message, its
 * MvtReader for geometries).
 */
public final class TestTiles {
  private TestTiles() {}

  private static Dataset city;
  private static CityIndex index;

  public static synchronized Dataset city() {
    if (city == null) {
      city = SyntheticCity.generate(SyntheticCity.small());
    }
    return city;
  }

  public static synchronized CityIndex index() {
    if (index == null) {
      index = CityIndex.build(city());
    }
    return index;
  }

  /** The synthetic city's "now": its events were reported up to here, some closed in the week. */
  public static final java.time.Clock CLOCK =
      java.time.Clock.fixed(
          java.time.Instant.ofEpochMilli(SyntheticCity.NOW), java.time.ZoneOffset.UTC);

  public static TileService service() {
    return TileService.create(index(), TileServiceConfig.defaults(), CLOCK);
  }

  /** A decoded feature: id (-1 if none), type, attributes and geometry in tile units (y down). */
  public record Decoded(long id, int type, Map<String, Object> properties, Geometry geometry) {}

  static byte[] raw(byte[] tile) {
    return Gzip.isGzipped(tile) ? Gzip.decompress(tile) : tile;
  }

  /** The raw protobuf message, parsed by protobuf-java. */
  public static VectorTile.Tile parse(byte[] tile) {
    try {
      return VectorTile.Tile.parseFrom(raw(tile));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Layers and features decoded by MvtReader with the MVT 2.1 ring classifier (a ring with positive
   * area starts a polygon, negative ones are its holes), so wrong winding shows up as wrong
   * polygons. Ids and properties come from the raw message, feature by feature.
   */
  public static Map<String, List<Decoded>> decode(byte[] tile) {
    byte[] raw = raw(tile);
    VectorTile.Tile parsed = parse(raw);
    JtsMvt mvt;
    try {
      mvt =
          MvtReader.loadMvt(
              new ByteArrayInputStream(raw),
              new GeometryFactory(),
              new TagKeyValueMapConverter(false, "__id"),
              MvtReader.RING_CLASSIFIER_V2_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, List<Decoded>> out = new LinkedHashMap<>();
    for (VectorTile.Tile.Layer layer : parsed.getLayersList()) {
      JtsLayer jl = mvt.getLayer(layer.getName());
      List<Geometry> geoms = new ArrayList<>(jl.getGeometries());
      List<Decoded> features = new ArrayList<>();
      for (int i = 0; i < layer.getFeaturesCount(); i++) {
        VectorTile.Tile.Feature f = layer.getFeatures(i);
        Map<String, Object> props = new LinkedHashMap<>();
        for (int t = 0; t < f.getTagsCount(); t += 2) {
          props.put(layer.getKeys(f.getTags(t)), value(layer.getValues(f.getTags(t + 1))));
        }
        Geometry g = i < geoms.size() ? geoms.get(i) : null;
        features.add(new Decoded(f.hasId() ? f.getId() : -1, f.getType().getNumber(), props, g));
      }
      out.put(layer.getName(), features);
    }
    return out;
  }

  static Object value(VectorTile.Tile.Value v) {
    if (v.hasStringValue()) {
      return v.getStringValue();
    }
    if (v.hasUintValue()) {
      return v.getUintValue();
    }
    if (v.hasSintValue()) {
      return v.getSintValue();
    }
    if (v.hasIntValue()) {
      return v.getIntValue();
    }
    if (v.hasDoubleValue()) {
      return v.getDoubleValue();
    }
    if (v.hasFloatValue()) {
      return (double) v.getFloatValue();
    }
    if (v.hasBoolValue()) {
      return v.getBoolValue();
    }
    return null;
  }

  /** Twice the surveyor's-formula area of each ring in a feature's raw command stream. */
  public static List<Long> ringAreas(VectorTile.Tile.Feature f) {
    List<Long> areas = new ArrayList<>();
    int x = 0;
    int y = 0;
    List<int[]> ring = new ArrayList<>();
    int i = 0;
    while (i < f.getGeometryCount()) {
      int cmd = f.getGeometry(i++);
      int id = cmd & 7;
      int count = cmd >>> 3;
      if (id == 7) {
        long a = 0;
        for (int k = 0; k < ring.size(); k++) {
          int[] p = ring.get(k);
          int[] q = ring.get((k + 1) % ring.size());
          a += (long) p[0] * q[1] - (long) q[0] * p[1];
        }
        areas.add(a);
        ring = new ArrayList<>();
        continue;
      }
      for (int c = 0; c < count; c++) {
        x += unzigzag(f.getGeometry(i++));
        y += unzigzag(f.getGeometry(i++));
        if (id == 1) {
          ring = new ArrayList<>();
        }
        ring.add(new int[] {x, y});
      }
    }
    return areas;
  }

  static int unzigzag(int n) {
    return (n >>> 1) ^ -(n & 1);
  }
}
