package io.gridmap.importer.load;

import io.gridmap.importer.crs.SourceCrs;
import io.gridmap.importer.read.FeatureReader;
import io.gridmap.importer.read.SourceFeature;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKTReader;

/**
 * Features given in the test, read as a file would give them: a reader for the importer's rules.
 */
public final class ListReader implements FeatureReader {
  private final Path file;
  private final Optional<SourceCrs> crs;
  private final List<SourceFeature> features = new ArrayList<>();
  private int next;

  public ListReader(String name, Optional<SourceCrs> crs) {
    this.file = Path.of(name);
    this.crs = crs;
  }

  /** Adds a feature: its geometry and its columns. */
  public ListReader add(Geometry g, Map<String, Object> attributes) {
    features.add(
        new SourceFeature(
            g, new LinkedHashMap<>(attributes), file + " feature " + (features.size() + 1)));
    return this;
  }

  /** Adds a feature: WKT (or null) and alternating column names and values. */
  public ListReader add(String wkt, Object... columnsAndValues) {
    Map<String, Object> attributes = new LinkedHashMap<>();
    for (int i = 0; i < columnsAndValues.length; i += 2) {
      attributes.put((String) columnsAndValues[i], columnsAndValues[i + 1]);
    }
    Geometry g;
    try {
      g = wkt == null ? null : new WKTReader().read(wkt);
    } catch (ParseException e) {
      throw new IllegalArgumentException(e);
    }
    features.add(new SourceFeature(g, attributes, file + " feature " + (features.size() + 1)));
    return this;
  }

  @Override
  public Path file() {
    return file;
  }

  @Override
  public Optional<SourceCrs> declaredCrs() {
    return crs;
  }

  @Override
  public SourceFeature next() {
    return next < features.size() ? features.get(next++) : null;
  }

  @Override
  public long bytesRead() {
    return next;
  }

  @Override
  public long size() {
    return features.size();
  }

  @Override
  public void close() {}
}
