package io.gridmap.importer.read.shapefile;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.importer.generate.SmallCity;
import io.gridmap.importer.read.FeatureReader;
import io.gridmap.importer.read.SourceFeature;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.testing.GdalTool;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Point;

/**
 * Every shape type family ogr2ogr writes, in its plain, Z and M variants, reads as the same x,y
 * geometry: the Z and M values after the points are skipped.
 */
class ShapefileShapeTypesTest {
  @TempDir Path dir;

  @Test
  void polygonZAndPolygonMReadAsTheirXy() throws IOException {
    for (String dim : new String[] {"XYZ", "XYM"}) {
      Map<String, SourceFeature> read = export("grids", "-dim", dim);
      assertSameGeometries(read, SmallCity.city().layer("grids"), Function.identity());
    }
  }

  @Test
  void pointZAndPointMReadAsTheirXy() throws IOException {
    for (String dim : new String[] {"XYZ", "XYM"}) {
      Map<String, SourceFeature> read = export("key_sites", "-dim", dim);
      assertThat(read.values()).allMatch(f -> f.geometry().getGeometryType().equals("Point"));
      assertSameGeometries(read, SmallCity.city().layer("key_sites"), Function.identity());
    }
  }

  @Test
  void polylinesReadAsLines() throws IOException {
    Map<String, SourceFeature> read = export("grids", "-nlt", "MULTILINESTRING");
    // a grid without holes has one ring: one part, a LineString
    assertSameGeometries(read, SmallCity.city().layer("grids"), Geometry::getBoundary);
  }

  @Test
  void multiPointsReadAsMultiPoints() throws IOException {
    Map<String, SourceFeature> read = export("key_sites", "-nlt", "MULTIPOINT", "-dim", "XYZ");
    assertThat(read.values()).allMatch(f -> f.geometry().getGeometryType().equals("MultiPoint"));
    assertSameGeometries(
        read,
        SmallCity.city().layer("key_sites"),
        g -> g.getFactory().createMultiPoint(new Point[] {(Point) g}));
  }

  private Map<String, SourceFeature> export(String layer, String... options) throws IOException {
    Path out = dir.resolve(layer + String.join("", options).replace("-", "_") + ".shp");
    String[] args = new String[options.length + 5];
    System.arraycopy(options, 0, args, 0, options.length);
    args[options.length] = "-lco";
    args[options.length + 1] = "ENCODING=UTF-8";
    args[options.length + 2] = out.toString();
    args[options.length + 3] = CityExports.store().toString();
    args[options.length + 4] = layer;
    GdalTool.run("ogr2ogr", "", args);
    Map<String, SourceFeature> byCode = new LinkedHashMap<>();
    try (FeatureReader r = new ShapefileReader(out, Optional.empty())) {
      for (SourceFeature f = r.next(); f != null; f = r.next()) {
        byCode.put((String) f.attributes().get("code"), f);
      }
    }
    return byCode;
  }

  private static void assertSameGeometries(
      Map<String, SourceFeature> read, Layer layer, Function<Geometry, Geometry> asWritten) {
    assertThat(read).hasSize(layer.size());
    int code = layer.def().fieldIndex("code");
    for (Feature expected : layer.features()) {
      SourceFeature f = read.get(expected.string(code));
      Geometry want = asWritten.apply(expected.geometry());
      assertThat(f.geometry().norm().equalsExact(want.norm(), 1e-9))
          .as("%s: %s\nexpected %s", f.where(), f.geometry(), want)
          .isTrue();
      for (Coordinate c : f.geometry().getCoordinates()) {
        assertThat(c.getZ()).as(f.where()).isNaN();
      }
    }
  }
}
