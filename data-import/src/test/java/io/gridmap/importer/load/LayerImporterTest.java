package io.gridmap.importer.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridmap.importer.crs.SourceCrs;
import io.gridmap.importer.read.ImportException;
import io.gridmap.layers.model.Field;
import io.gridmap.layers.model.FieldType;
import io.gridmap.layers.model.GeometryKind;
import io.gridmap.layers.store.gpkg.GeoPackageStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerImporterTest {
  @TempDir Path dir;

  private ImportSummary dryRun(ListReader reader, ImportOptions options) throws Exception {
    try (GeoPackageStore store = new GeoPackageStore(dir.resolve("empty.gpkg"))) {
      return new LayerImporter(
              store,
              options.withWrite(false, options.repair(), true),
              LayerImporter.Progress.NONE,
              "test")
          .run(reader);
    }
  }

  @Test
  void dryRunTypesTheColumnsAndMapsTheirNamesOntoOurs() throws Exception {
    ListReader csv =
        new ListReader("schools.csv", Optional.empty())
            .add(
                "POINT (106.55 29.56)",
                "MC",
                "解放碑小学",
                "DM",
                "0101",
                "Beds",
                "12",
                "ratio",
                "1.5",
                "open",
                "true")
            .add(
                "POINT (106.56 29.57)",
                "MC",
                "人和街小学",
                "DM",
                "0102",
                "Beds",
                "",
                "ratio",
                "2",
                "open",
                "false");
    ImportSummary s =
        dryRun(
            csv,
            ImportOptions.defaults("schools")
                .withCrs(SourceCrs.WGS84)
                .withMap(ImportOptions.parseMap(List.of("name=MC,code=DM"))));

    assertThat(s.written()).isFalse();
    assertThat(s.def().kind()).isEqualTo(GeometryKind.POINT);
    assertThat(s.def().fields())
        .extracting(Field::name, Field::type)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("name", FieldType.STRING),
            org.assertj.core.groups.Tuple.tuple("code", FieldType.STRING),
            org.assertj.core.groups.Tuple.tuple("beds", FieldType.INTEGER),
            org.assertj.core.groups.Tuple.tuple("ratio", FieldType.REAL),
            org.assertj.core.groups.Tuple.tuple("open", FieldType.BOOLEAN));
    assertThat(s.added()).isEqualTo(2);
    assertThat(s.def().staffOnly()).isTrue(); // the default: an import may be a roster
    assertThat(s.def().clustered()).isTrue();
    assertThat(s.def().minZoom()).isEqualTo(ImportOptions.DEFAULT_POINT_MIN_ZOOM);
    assertThat(s.columns()).contains("name <- MC", "code <- DM", "beds <- Beds");
    assertThat(s.text()).contains("dry run, nothing written", "2 added");
  }

  @Test
  void everyProblemIsListedWithItsFeatureAndNothingIsImported() throws Exception {
    ListReader r =
        new ListReader("grids.geojson", Optional.empty())
            .add("POLYGON ((106 29, 106.1 29, 106.1 29.1, 106 29.1, 106 29))", "code", "A")
            .add(null, "code", "B")
            .add("LINESTRING (106 29, 106.1 29.1)", "code", "C")
            .add("POINT (106 29)", "code", "D")
            .add("POLYGON ((106 29, 106.1 29.1, 106.1 29, 106 29.1, 106 29))", "code", "E")
            .add("POLYGON ((106.2 29, 106.3 29, 106.3 29.1, 106.2 29.1, 106.2 29))", "code", "A");
    assertThatThrownBy(() -> dryRun(r, ImportOptions.defaults("grids2").withCrs(SourceCrs.WGS84)))
        .isInstanceOf(ImportRefused.class)
        .hasMessageContaining("nothing was imported")
        .hasMessageContaining("grids.geojson feature 2: has no geometry")
        .hasMessageContaining("grids.geojson feature 3: is a LineString")
        .hasMessageContaining("grids.geojson feature 4: mixed geometry types")
        .hasMessageContaining("grids.geojson feature 5: is not a valid polygon: Self-intersection")
        .hasMessageContaining("--repair")
        .hasMessageContaining(
            "grids.geojson feature #6: code A is taken already by grids.geojson feature #1");
  }

  @Test
  void repairFixesASelfIntersectingRingAndCountsIt() throws Exception {
    ListReader r =
        new ListReader("grids.geojson", Optional.empty())
            .add("POLYGON ((106 29, 106.1 29.1, 106.1 29, 106 29.1, 106 29))", "code", "E");
    ImportSummary s =
        dryRun(
            r,
            ImportOptions.defaults("bowtie").withCrs(SourceCrs.WGS84).withWrite(false, true, true));
    assertThat(s.repaired()).isEqualTo(1);
    assertThat(s.text()).contains("1 invalid polygons repaired");
  }

  @Test
  void aFileThatDeclaresNoCoordinatesIsRefusedWithHowToPassCrs() {
    ListReader csv = new ListReader("sites.csv", Optional.empty()).add("POINT (106 29)", "a", "1");
    assertThatThrownBy(() -> dryRun(csv, ImportOptions.defaults("sites")))
        .isInstanceOf(ImportException.class)
        .hasMessageContaining("sites.csv: declares no coordinate system")
        .hasMessageContaining("pass --crs")
        .hasMessageContaining("gcj02");
  }

  @Test
  void phoneMapCoordinatesAreMovedToWgs84() throws Exception {
    // 解放碑 as Amap gives it (GCJ-02): WGS84 lies some 300-600 m south-west in Chongqing
    ListReader csv =
        new ListReader("sites.csv", Optional.empty()).add("POINT (106.5772 29.5573)", "code", "1");
    ImportSummary s = dryRun(csv, ImportOptions.defaults("sites").withCrs(SourceCrs.GCJ02));
    double dLon = s.bounds().getMinX() - 106.5772;
    double dLat = s.bounds().getMinY() - 29.5573;
    assertThat(dLon).isBetween(-0.006, -0.002);
    assertThat(dLat).isBetween(0.0, 0.004);
    assertThat(s.crs()).contains("from --crs");
  }

  @Test
  void aMappedColumnTheFileLacksIsNamedWithTheColumnsItHas() {
    ListReader r = new ListReader("a.csv", Optional.empty()).add("POINT (106 29)", "MC", "x");
    assertThatThrownBy(
            () ->
                dryRun(
                    r,
                    ImportOptions.defaults("a")
                        .withCrs(SourceCrs.WGS84)
                        .withMap(Map.of("code", "DM"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--map code=DM")
        .hasMessageContaining("[MC]");
  }

  @Test
  void personalFieldsStayOutOfTilesAndMustExist() throws Exception {
    ListReader r =
        new ListReader("staff.csv", Optional.empty())
            .add("POINT (106 29)", "name", "张三", "phone", "13800000000", "role", "worker");
    ImportSummary s =
        dryRun(
            r,
            ImportOptions.defaults("staff")
                .withCrs(SourceCrs.WGS84)
                .withFields(Set.of("name", "phone"), Set.of()));
    assertThat(s.def().fields())
        .filteredOn(Field::personal)
        .extracting(Field::name)
        .containsExactly("name", "phone");
    assertThat(s.def().fields())
        .filteredOn(Field::inTiles)
        .extracting(Field::name)
        .containsExactly("role");
    ListReader again =
        new ListReader("staff.csv", Optional.empty()).add("POINT (106 29)", "name", "张三");
    assertThatThrownBy(
            () ->
                dryRun(
                    again,
                    ImportOptions.defaults("staff")
                        .withCrs(SourceCrs.WGS84)
                        .withFields(Set.of("mobile"), Set.of())))
        .hasMessageContaining("--personal mobile")
        .hasMessageContaining("[name]");
  }

  @Test
  void chineseColumnNamesBecomePositionalFieldsTheSummaryNames() throws Exception {
    ListReader r =
        new ListReader("x.csv", Optional.empty())
            .add("POINT (106 29)", "名称", "a", "Grid Code", "1");
    ImportSummary s = dryRun(r, ImportOptions.defaults("x").withCrs(SourceCrs.WGS84));
    assertThat(s.def().fields()).extracting(Field::name).containsExactly("column_1", "grid_code");
    assertThat(s.columns()).containsExactly("column_1 <- 名称", "grid_code <- Grid Code");
  }

  @Test
  void beforeWriteSeesTheLayerAsItWouldBeWrittenEvenInADryRun() throws Exception {
    ListReader points =
        new ListReader("wells.csv", Optional.of(SourceCrs.WGS84))
            .add("POINT (106.55 29.56)", "DM", "W1")
            .add("POINT (106.56 29.57)", "DM", "W2");
    io.gridmap.layers.store.LayerImport[] seen = new io.gridmap.layers.store.LayerImport[1];
    ImportSummary dry;
    try (GeoPackageStore store = new GeoPackageStore(dir.resolve("empty.gpkg"))) {
      dry =
          new LayerImporter(
                  store,
                  ImportOptions.defaults("wells")
                      .withMap(Map.of("code", "DM"))
                      .withWrite(false, false, true),
                  LayerImporter.Progress.NONE,
                  "test")
              .beforeWrite(l -> seen[0] = l)
              .run(points);
    }
    assertThat(dry.written()).isFalse();
    assertThat(seen[0].def().name()).isEqualTo("wells");
    assertThat(seen[0].features()).hasSize(2);
    assertThat(seen[0].generalised()).isEmpty();
  }
}
