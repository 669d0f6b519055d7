package io.gridmap.importer.read;

import io.gridmap.importer.generate.SmallCity;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.store.gpkg.GeoPackageStore;
import io.gridmap.layers.testing.GdalTool;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The small generated city written to a GeoPackage by our store and exported by {@code ogr2ogr}
 * (fails, never skips, without GDAL), so the readers are checked against files GDAL writes, not
 * files we write ourselves.
 */
public final class SmallCityExports {
  private SmallCityExports() {}

  /** Writes the small city to {@code dir/city.gpkg}. */
  public static Path geoPackage(Path dir) throws Exception {
    Path gpkg = dir.resolve("city.gpkg");
    try (GeoPackageStore store = new GeoPackageStore(gpkg)) {
      store.write(SmallCity.city());
    }
    return gpkg;
  }

  /** {@code ogr2ogr -f format out gpkg layer options...}. */
  public static Path export(Path gpkg, String layer, Path out, String format, String... options) {
    List<String> args = new ArrayList<>(List.of("-f", format, out.toString(), gpkg.toString()));
    args.add(layer);
    args.addAll(List.of(options));
    GdalTool.run("ogr2ogr", "", args.toArray(String[]::new));
    return out;
  }

  public static Layer layer(String name) {
    return SmallCity.city().layer(name);
  }

  /** The layer's features by their {@code code} attribute, which grids and key sites all have. */
  public static Map<String, Feature> byCode(Layer layer) {
    int code = layer.def().requireField("code");
    Map<String, Feature> out = new HashMap<>();
    for (Feature f : layer.features()) {
      out.put(f.string(code), f);
    }
    return out;
  }
}
