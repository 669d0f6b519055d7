package io.gridmap.layers.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Generalised;
import io.gridmap.layers.model.Layer;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Polygon;

/** Feature-by-feature comparison of datasets, for store and import round-trip tests. */
public final class DatasetAssertions {
  private DatasetAssertions() {}

  /** Every layer, the metadata and the generalised geometries are the same. */
  public static void assertSameDataset(Dataset expected, Dataset actual) {
    assertThat(actual.layers().keySet())
        .containsExactlyInAnyOrderElementsOf(expected.layers().keySet());
    for (Layer layer : expected.layers().values()) {
      assertSameLayer(layer, actual.layer(layer.name()));
    }
    assertThat(actual.metadata()).isEqualTo(expected.metadata());
    assertSameGeneralised(expected.generalised(), actual.generalised());
  }

  /**
   * Same ids, values (by {@code equals}, so a Long stays a Long), personal flags and geometries.
   * Geometries must be exactly equal, coordinate by coordinate, except that a Polygon may come back
   * as a one-part MultiPolygon holding exactly that Polygon: stores promote polygons in a layer
   * that also has MultiPolygons, as GeoPackage wants one geometry type per layer.
   */
  public static void assertSameLayer(Layer expected, Layer actual) {
    assertThat(actual.def())
        .as("definition of layer %s", expected.name())
        .isEqualTo(expected.def());
    Map<Long, Feature> byId = byId(actual);
    assertThat(byId.keySet())
        .as("ids in layer %s", expected.name())
        .containsExactlyElementsOf(byId(expected).keySet());
    for (Feature e : expected.features()) {
      Feature a = byId.get(e.id());
      String what = expected.name() + " feature " + e.id();
      assertThat(a.personal()).as("personal flag of %s", what).isEqualTo(e.personal());
      assertThat(Arrays.asList(a.values()))
          .as("values of %s", what)
          .containsExactlyElementsOf(Arrays.asList(e.values()));
      assertSameGeometry(what, e.geometry(), a.geometry());
    }
  }

  public static void assertSameGeometry(String what, Geometry expected, Geometry actual) {
    Geometry a = actual;
    if (expected instanceof Polygon
        && actual instanceof MultiPolygon m
        && m.getNumGeometries() == 1) {
      a = m.getGeometryN(0);
    }
    assertThat(a.getGeometryType())
        .as("geometry type of %s", what)
        .isEqualTo(expected.getGeometryType());
    assertThat(a.equalsExact(expected))
        .as("geometry of %s: expected %s but was %s", what, expected, actual)
        .isTrue();
  }

  public static void assertSameGeneralised(Generalised expected, Generalised actual) {
    assertThat(actual.layers()).containsExactlyInAnyOrderElementsOf(expected.layers());
    for (String layer : expected.layers()) {
      assertThat(actual.zooms(layer))
          .as("zooms of %s", layer)
          .containsExactlyInAnyOrderElementsOf(expected.zooms(layer));
      for (int zoom : expected.zooms(layer)) {
        Map<Long, Geometry> e = new TreeMap<>(expected.get(layer, zoom));
        Map<Long, Geometry> a = new TreeMap<>(actual.get(layer, zoom));
        assertThat(a.keySet())
            .as("ids of %s at zoom %d", layer, zoom)
            .containsExactlyElementsOf(e.keySet());
        e.forEach(
            (id, g) -> assertSameGeometry(layer + " z" + zoom + " feature " + id, g, a.get(id)));
      }
    }
  }

  /**
   * Every generalised polygon as stores read them: each ring's coordinates packed in one array
   * ({@code CompactPoints.WEB_MERCATOR}), not an object a vertex.
   */
  public static void assertPacked(Generalised read) {
    int rings = 0;
    for (String layer : read.layers()) {
      for (int zoom : read.zooms(layer)) {
        for (Geometry g : read.get(layer, zoom).values()) {
          for (int p = 0; p < g.getNumGeometries(); p++) {
            org.locationtech.jts.geom.Polygon poly =
                (org.locationtech.jts.geom.Polygon) g.getGeometryN(p);
            assertThat(poly.getExteriorRing().getCoordinateSequence())
                .as("%s z%d", layer, zoom)
                .isInstanceOf(org.locationtech.jts.geom.impl.PackedCoordinateSequence.Double.class);
            rings++;
          }
        }
      }
    }
    assertThat(rings).isPositive();
  }

  private static Map<Long, Feature> byId(Layer layer) {
    Map<Long, Feature> m = new TreeMap<>();
    layer.features().forEach(f -> m.put(f.id(), f));
    return m;
  }
}
