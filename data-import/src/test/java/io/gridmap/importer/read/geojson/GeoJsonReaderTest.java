package io.gridmap.importer.read.geojson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridmap.importer.crs.SourceCrs;
import io.gridmap.importer.read.ImportException;
import io.gridmap.importer.read.SourceFeature;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.io.WKTReader;

/** GeoJSON in its three shapes, every geometry type, property types, the crs member, bad input. */
class GeoJsonReaderTest {
  @TempDir Path dir;

  @Test
  void propertiesKeepTheirJsonTypesAndNestedValuesBecomeJsonText() throws Exception {
    List<SourceFeature> fs =
        readAll(
            "{\"type\":\"Feature\",\"id\":17,\"geometry\":null,\"properties\":{\"name\":\"解放碑\","
                + "\"n\":12,\"big\":12345678901234567890,\"r\":1.5,\"e\":1e3,\"ok\":true,"
                + "\"no\":false,\"none\":null,\"tags\":[1,\"a\"],\"o\":{\"k\":{\"v\":2}}}}");
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("name", "解放碑");
    expected.put("n", 12L);
    expected.put("big", 1.2345678901234567e19);
    expected.put("r", 1.5);
    expected.put("e", 1000.0);
    expected.put("ok", true);
    expected.put("no", false);
    expected.put("none", null);
    expected.put("tags", "[1,\"a\"]");
    expected.put("o", "{\"k\":{\"v\":2}}");
    expected.put("id", 17L);
    assertThat(fs).hasSize(1);
    assertThat(fs.get(0).geometry()).isNull();
    assertThat(fs.get(0).attributes()).containsExactlyEntriesOf(expected);
  }

  @Test
  void theFeatureIdBecomesAttributeIdUnlessThePropertiesHaveOne() throws Exception {
    List<SourceFeature> fs =
        readAll(
            "{\"type\":\"FeatureCollection\",\"features\":["
                + "{\"type\":\"Feature\",\"id\":\"g-1\",\"properties\":null,\"geometry\":null},"
                + "{\"type\":\"Feature\",\"id\":5,\"properties\":{\"id\":\"mine\"},\"geometry\":null}"
                + "]}");
    assertThat(fs.get(0).attributes()).containsExactly(Map.entry("id", "g-1"));
    assertThat(fs.get(1).attributes()).containsExactly(Map.entry("id", "mine"));
  }

  @Test
  void everyGeometryTypeWithMembersInAnyOrderAndHeightsKept() throws Exception {
    String[][] cases = {
      {"{\"type\":\"Point\",\"coordinates\":[106.5,29.5]}", "POINT (106.5 29.5)"},
      {"{\"coordinates\":[106.5,29.5,250.5],\"type\":\"Point\"}", "POINT Z (106.5 29.5 250.5)"},
      {"{\"type\":\"MultiPoint\",\"coordinates\":[[1,2],[3,4]]}", "MULTIPOINT ((1 2), (3 4))"},
      {"{\"type\":\"LineString\",\"coordinates\":[[1,2],[3,4]]}", "LINESTRING (1 2, 3 4)"},
      {
        "{\"type\":\"MultiLineString\",\"coordinates\":[[[1,2],[3,4]],[[5,6],[7,8]]]}",
        "MULTILINESTRING ((1 2, 3 4), (5 6, 7 8))"
      },
      {
        "{\"bbox\":[0,0,9,9],\"coordinates\":[[[0,0],[9,0],[9,9],[0,0]],[[1,1],[2,1],[2,2],[1,1]]],"
            + "\"type\":\"Polygon\"}",
        "POLYGON ((0 0, 9 0, 9 9, 0 0), (1 1, 2 1, 2 2, 1 1))"
      },
      {
        "{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[1,0],[1,1],[0,0]]],"
            + "[[[5,5],[6,5],[6,6],[5,5]]]]}",
        "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5)))"
      },
      {
        "{\"geometries\":[{\"type\":\"Point\",\"coordinates\":[1,2]},"
            + "{\"type\":\"LineString\",\"coordinates\":[[1,2],[3,4]]}],\"type\":\"GeometryCollection\"}",
        "GEOMETRYCOLLECTION (POINT (1 2), LINESTRING (1 2, 3 4))"
      },
      {"{\"type\":\"Polygon\",\"coordinates\":[]}", "POLYGON EMPTY"},
    };
    WKTReader wkt = new WKTReader();
    for (String[] c : cases) {
      List<SourceFeature> fs =
          readAll("{\"type\":\"Feature\",\"properties\":{},\"geometry\":" + c[0] + "}");
      assertThat(fs.get(0).geometry().equalsExact(wkt.read(c[1])))
          .as("%s read as %s", c[0], fs.get(0).geometry())
          .isTrue();
      assertThat(
              fs.get(0).geometry().getCoordinate() == null
                  || Double.isNaN(fs.get(0).geometry().getCoordinate().getZ())
                      != c[1].contains(" Z "))
          .as("z of %s", c[0])
          .isTrue();
    }
  }

  @Test
  void aSequenceWithRecordSeparatorsOrNewlinesAndASingleFeatureAllRead() throws Exception {
    String feature = "{\"type\":\"Feature\",\"properties\":{\"n\":%d},\"geometry\":null}";
    String rs = "\u001e" + feature.formatted(1) + "\n\u001e" + feature.formatted(2) + "\n";
    String lines = feature.formatted(1) + "\n" + feature.formatted(2) + "\n";
    for (String text : new String[] {rs, lines}) {
      List<SourceFeature> fs = readAll(text);
      assertThat(fs).extracting(f -> f.attributes().get("n")).containsExactly(1L, 2L);
      assertThat(fs.get(1).where())
          .isEqualTo("f.geojson feature 2 (line 2, column " + (text == rs ? 2 : 1) + ")");
    }
    assertThat(readAll(feature.formatted(7))).hasSize(1);
  }

  @Test
  void theCrsMemberBeforeTheFeaturesIsTheDeclaredCrs() throws Exception {
    String[][] cases = {
      {"{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::4490\"}}", "EPSG:4490"},
      {
        "{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:OGC:1.3:CRS84\"}}",
        "EPSG:4326"
      },
      {"{\"type\":\"name\",\"properties\":{\"name\":\"EPSG:4545\"}}", "EPSG:4545"},
      {"\"EPSG:3857\"", "EPSG:3857"},
      {"{\"type\":\"EPSG\",\"properties\":{\"code\":4490}}", "EPSG:4490"},
    };
    for (String[] c : cases) {
      try (GeoJsonReader r =
          reader("{\"type\":\"FeatureCollection\",\"crs\":" + c[0] + ",\"features\":[]}")) {
        assertThat(r.declaredCrs()).as(c[0]).map(SourceCrs::code).contains(c[1]);
        assertThat(r.next()).isNull();
      }
    }
    // behind the features a streaming reader cannot see it: not declared
    try (GeoJsonReader r =
        reader(
            "{\"type\":\"FeatureCollection\",\"features\":[],\"crs\":{\"type\":\"name\","
                + "\"properties\":{\"name\":\"EPSG:4545\"}}}")) {
      assertThat(r.declaredCrs()).isEmpty();
      assertThat(r.next()).isNull();
    }
    try (GeoJsonReader r = reader("{\"type\":\"FeatureCollection\",\"features\":[]}")) {
      assertThat(r.declaredCrs()).isEmpty();
      assertThat(r.wgs84ByDefinition()).isTrue();
    }
  }

  @Test
  void anUnknownCrsIsRefusedSayingWhatItFoundAndToPassCrs() throws Exception {
    try (GeoJsonReader r =
        reader(
            "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":"
                + "{\"name\":\"urn:ogc:def:crs:EPSG::4214\"}},\"features\":[]}")) {
      assertThatThrownBy(r::declaredCrs)
          .isExactlyInstanceOf(ImportException.class)
          .hasMessageContaining("f.geojson: the crs member names 'urn:ogc:def:crs:EPSG::4214'")
          .hasMessageContaining("pass --crs");
    }
  }

  @Test
  void aTruncatedFileNamesTheFeatureItEndsIn() throws Exception {
    String text =
        "{\"type\":\"FeatureCollection\",\"features\":[\n"
            + "{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Point\",\"coordinates\":[1,2]}},\n"
            + "{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Point\",\"coordinates\":[1,";
    try (GeoJsonReader r = reader(text)) {
      assertThat(r.next()).isNotNull();
      assertThatThrownBy(r::next)
          .isExactlyInstanceOf(ImportException.class)
          .hasMessageStartingWith("f.geojson feature 2 (line 3, ")
          .hasMessageContaining("unexpected end of file: the file is truncated");
    }
    // cut between features: the features array never closes
    assertThatThrownBy(() -> readAll(text.substring(0, text.lastIndexOf('\n') + 1)))
        .isExactlyInstanceOf(ImportException.class)
        .hasMessageStartingWith("f.geojson after feature 1 (line 3, column 1)")
        .hasMessageContaining("the file is truncated, it ends before the GeoJSON closes");
  }

  @Test
  void malformedCoordinatesNameTheFeatureAndWhatWasFound() {
    String[][] cases = {
      {
        "{\"type\":\"Polygon\",\"coordinates\":[[1,2],[3,4],[5,6],[1,2]]}",
        "expected the coordinates of the Polygon to be an array of rings but found positions"
      },
      {
        "{\"type\":\"Point\",\"coordinates\":[106.5]}",
        "a position has 1 number, but needs at least 2"
      },
      {
        "{\"type\":\"LineString\",\"coordinates\":[[1,2],[\"106.5\",3]]}",
        "coordinate 1 of a position is the string '106.5', not a number"
      },
      {
        "{\"type\":\"LineString\",\"coordinates\":[[1,2],[3,null]]}",
        "coordinate 2 of a position is null, not a number"
      },
      {
        "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,1]]]}",
        "the Polygon is not valid: Points of LinearRing do not form a closed linestring"
      },
      {
        "{\"type\":\"MultiPolygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}",
        "expected the coordinates of the MultiPolygon's polygon 1 to be an array of rings but found positions"
      },
      {"{\"type\":\"Point\"}", "the Point has no coordinates"},
      {"{\"type\":\"Circle\",\"coordinates\":[1,2]}", "but found 'Circle'"},
      {"[1,2]", "expected the feature's geometry to be an object or null but found an array"},
    };
    for (String[] c : cases) {
      String text =
          "{\"type\":\"FeatureCollection\",\"features\":[\n"
              + "{\"type\":\"Feature\",\"properties\":{},\"geometry\":null},\n"
              + "{\"type\":\"Feature\",\"properties\":{},\"geometry\":"
              + c[0]
              + "}\n]}";
      assertThatThrownBy(() -> readAll(text))
          .as(c[0])
          .isExactlyInstanceOf(ImportException.class)
          .hasMessageStartingWith("f.geojson feature 2 (line 3, column ")
          .hasMessageContaining(c[1]);
    }
  }

  @Test
  void aFeatureWithoutAGeometryMemberIsRefused() {
    assertThatThrownBy(
            () ->
                readAll(
                    "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{}}]}"))
        .isExactlyInstanceOf(ImportException.class)
        .hasMessageContaining(
            "f.geojson feature 1 (line 1, column 41): the feature has no geometry member");
  }

  @Test
  void aTopLevelThatIsNoFeatureCollectionOrFeatureIsRefused() {
    String[][] cases = {
      {"[1,2]", "expected a GeoJSON FeatureCollection or Feature but found an array"},
      {"{\"type\":\"Point\",\"coordinates\":[1,2]}", "but found an object of type 'Point'"},
      {"", "but found an empty file"},
      {"{\"type\":\"Topology\",\"features\":[]}", "but found an object of type 'Topology'"},
    };
    for (String[] c : cases) {
      assertThatThrownBy(() -> readAll(c[0]))
          .as(c[0])
          .isExactlyInstanceOf(ImportException.class)
          .hasMessageStartingWith("f.geojson: ")
          .hasMessageContaining(c[1])
          .hasMessageContaining("Fix: export the layer as GeoJSON");
    }
  }

  @Test
  void malformedJsonAndNonUtf8TextAreImportExceptionsWithTheirPlace() throws IOException {
    assertThatThrownBy(
            () ->
                readAll(
                    "{\"type\":\"FeatureCollection\",\"features\":[\n"
                        + "{\"type\":\"Feature\" \"properties\":{},\"geometry\":null}]}"))
        .isExactlyInstanceOf(ImportException.class)
        .hasMessageStartingWith("f.geojson feature 1 (line 2, column 19): malformed JSON: ");
    Path gbk = dir.resolve("gbk.geojson");
    Files.write(
        gbk,
        "{\"type\":\"Feature\",\"properties\":{\"name\":\"解放碑\"},\"geometry\":null}"
            .getBytes(Charset.forName("GBK")));
    try (GeoJsonReader r = GeoJsonReader.open(gbk)) {
      assertThatThrownBy(r::next)
          .isExactlyInstanceOf(ImportException.class)
          .hasMessageContaining("malformed JSON: Invalid UTF-8")
          .hasMessageContaining("convert the file to UTF-8");
    }
  }

  private GeoJsonReader reader(String text) throws IOException {
    Path f = dir.resolve("f.geojson");
    Files.writeString(f, text, StandardCharsets.UTF_8);
    return GeoJsonReader.open(f);
  }

  private List<SourceFeature> readAll(String text) throws IOException {
    try (GeoJsonReader r = reader(text)) {
      List<SourceFeature> out = new ArrayList<>();
      for (SourceFeature f = r.next(); f != null; f = r.next()) {
        out.add(f);
      }
      assertThat(r.next()).isNull();
      return out;
    }
  }
}
