package io.gridmap.layers.model;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.locationtech.jts.geom.Geometry;

/**
 * Per-zoom generalised polygons of the coverage layers, as tiles draw them.
 *
 * <p>Geometries are in EPSG:3857 metres (Web Mercator), simplified for the pixel size of their
 * zoom, keyed by layer name, zoom and feature id. A feature missing at a zoom was dropped as
 * smaller than a pixel there.
 */
public final class Generalised {
  private final Map<String, Map<Integer, Map<Long, Geometry>>> byLayer = new HashMap<>();

  public static Generalised empty() {
    return new Generalised();
  }

  public synchronized void put(String layer, int zoom, Map<Long, Geometry> geometries) {
    byLayer.computeIfAbsent(layer, k -> new HashMap<>()).put(zoom, Map.copyOf(geometries));
  }

  /** Geometries of a layer at a zoom by feature id; empty when none were precomputed. */
  public synchronized Map<Long, Geometry> get(String layer, int zoom) {
    return byLayer.getOrDefault(layer, Map.of()).getOrDefault(zoom, Map.of());
  }

  public synchronized Set<Integer> zooms(String layer) {
    return Collections.unmodifiableSet(byLayer.getOrDefault(layer, Map.of()).keySet());
  }

  public synchronized Set<String> layers() {
    return Collections.unmodifiableSet(byLayer.keySet());
  }
}
