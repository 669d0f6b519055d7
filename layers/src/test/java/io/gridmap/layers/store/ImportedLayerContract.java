package io.gridmap.layers.store;

import static io.gridmap.layers.testing.DatasetAssertions.assertSameDataset;
import static io.gridmap.layers.testing.DatasetAssertions.assertSameLayer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Field;
import io.gridmap.layers.model.FieldType;
import io.gridmap.layers.model.GeometryKind;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.layers.testing.TestDatasets;
import io.gridmap.layers.testing.TestImports;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Geometry;

/**
 * What every {@link FeatureStore} does with imported layers ({@link FeatureStore#replaceLayer}):
 * kept beside the catalogue's, read back whole, replaced whole, all or nothing. A store's test
 * extends this with where its store is.
 */
public abstract class ImportedLayerContract {
  protected Dataset tiny;

  /** Where a fresh store for one test is: a file path or a URL. */
  protected abstract String location();

  @BeforeEach
  void writeCity() {
    tiny = TestDatasets.tiny();
    try (FeatureStore s = Stores.open(location())) {
      s.write(tiny);
    }
  }

  /** The imported layers as read() should return them: catalogue first, then these. */
  protected static void assertHolds(Dataset read, Dataset city, LayerImport... imported) {
    List<String> names = new ArrayList<>(Catalogue.ALL.stream().map(LayerDef::name).toList());
    for (LayerImport i : imported) {
      names.add(i.def().name());
    }
    assertThat(read.layers().keySet()).containsExactlyElementsOf(names);
    for (LayerDef def : Catalogue.ALL) {
      assertSameLayer(city.layer(def.name()), read.layer(def.name()));
    }
    for (LayerImport i : imported) {
      assertSameLayer(new Layer(i.def(), i.features()), read.layer(i.def().name()));
      String name = i.def().name();
      assertThat(read.generalised().zooms(name)).isEqualTo(i.generalised().keySet());
      i.generalised()
          .forEach(
              (zoom, byId) -> {
                Map<Long, Geometry> back = read.generalised().get(name, zoom);
                assertThat(back.keySet()).isEqualTo(byId.keySet());
                byId.forEach(
                    (id, g) ->
                        io.gridmap.layers.testing.DatasetAssertions.assertSameGeometry(
                            name + " z" + zoom + " " + id, g, back.get(id)));
              });
    }
    for (String layer : city.generalised().layers()) {
      for (int zoom : city.generalised().zooms(layer)) {
        assertThat(read.generalised().get(layer, zoom).keySet())
            .isEqualTo(city.generalised().get(layer, zoom).keySet());
      }
    }
  }

  @Test
  void importedLayersAreReadAfterTheCataloguesWithTheirDefinitionsAndGeneralisedPolygons() {
    try (FeatureStore s = Stores.open(location())) {
      assertThat(s.importedLayers()).isEmpty();
      s.replaceLayer(TestImports.roster());
      s.replaceLayer(TestImports.parks());
      assertThat(s.importedLayers()).containsExactly(TestImports.ROSTER, TestImports.PARKS);
      assertHolds(s.read(), tiny, TestImports.roster(), TestImports.parks());
      assertThat(s.read().layer("duty_roster").def().staffOnly()).isTrue();
    }
    try (FeatureStore s = Stores.open(location())) { // and after the store is opened again
      assertHolds(s.read(), tiny, TestImports.roster(), TestImports.parks());
    }
  }

  /**
   * An importer hands the store a view that makes each feature when asked (a million points held as
   * arrays, not as a million Feature objects): the store writes it by iterating, never copying it
   * whole, which would hold every feature at once.
   */
  @Test
  void anImportsFeaturesAreIteratedNeverCopiedWhole() {
    LayerImport roster = TestImports.roster();
    List<Feature> given = roster.features();
    int[] made = {0};
    List<Feature> view =
        new java.util.AbstractList<>() {
          @Override
          public Feature get(int i) {
            made[0]++;
            Feature f = given.get(i);
            return new Feature(f.id(), f.geometry().copy(), f.values().clone(), f.personal());
          }

          @Override
          public int size() {
            return given.size();
          }

          @Override
          public Object[] toArray() {
            throw new AssertionError("the store copied the features whole");
          }

          @Override
          public <T> T[] toArray(T[] a) {
            throw new AssertionError("the store copied the features whole");
          }
        };
    LayerImport streamed =
        new LayerImport(roster.def(), view, roster.generalised(), roster.audit());
    try (FeatureStore s = Stores.open(location())) {
      s.replaceLayer(streamed);
      assertThat(made[0]).isGreaterThanOrEqualTo(given.size());
      assertHolds(s.read(), tiny, roster);
    }
  }

  @Test
  void aReimportReplacesTheLayerWholeAndKeepsItsPlace() {
    try (FeatureStore s = Stores.open(location())) {
      s.replaceLayer(TestImports.parks());
      s.replaceLayer(TestImports.roster());
      s.replaceLayer(TestImports.parksAgain());
      assertThat(s.importedLayers()).containsExactly(TestImports.PARKS, TestImports.ROSTER);
      Dataset read = s.read();
      assertHolds(read, tiny, TestImports.parksAgain(), TestImports.roster());
      assertThat(read.layer("parks").features()).extracting(Feature::id).containsExactly(11L, 12L);
      for (int zoom = 12; zoom <= 14; zoom++) {
        assertThat(read.generalised().get("parks", zoom)).doesNotContainKey(10L);
      }
      Layer parks = s.readImportedLayer("parks").orElseThrow();
      LayerImport again = TestImports.parksAgain();
      assertSameLayer(new Layer(again.def(), again.features()), parks);
      assertThat(s.readImportedLayer("lakes")).isEmpty();
    }
  }

  @Test
  void aDifferentSchemaUnderTheSameNameReplacesTheTable() {
    LayerDef points =
        new LayerDef(
            "parks",
            "公园入口",
            GeometryKind.POINT,
            List.of(Field.plain("gate", FieldType.INTEGER, "")),
            14,
            14,
            false,
            false,
            false,
            true);
    LayerImport gates =
        new LayerImport(
            points,
            List.of(new Feature(3, TestDatasets.point(106.0, 29.0), new Object[] {5L}, false)),
            Map.of(),
            "{}");
    try (FeatureStore s = Stores.open(location())) {
      s.replaceLayer(TestImports.parks());
      s.replaceLayer(gates);
      assertThat(s.importedLayers()).containsExactly(points);
      Dataset read = s.read();
      assertHolds(read, tiny, gates);
      assertThat(read.generalised().layers()).doesNotContain("parks");
    }
  }

  @Test
  void anImportTakesAPositionInTheChangeLogInItsTransactionAndAFailedOneNone() {
    try (FeatureStore s = Stores.open(location())) {
      long before = s.logRange().last();
      long first = s.replaceLayer(TestImports.parks());
      long second = s.replaceLayer(TestImports.parksAgain());
      long third = s.replaceLayer(TestImports.roster());
      assertThat(first).isGreaterThan(before);
      assertThat(second).isGreaterThan(first);
      assertThat(third).isGreaterThan(second);
      assertThat(s.logRange().last()).isEqualTo(third);
      List<io.gridmap.layers.edit.LoggedChange> log = s.changesAfter(before, 10);
      assertThat(log)
          .extracting(io.gridmap.layers.edit.LoggedChange::seq)
          .containsExactly(first, second, third);
      assertThat(log)
          .extracting(io.gridmap.layers.edit.LoggedChange::layer)
          .containsExactly("parks", "parks", "duty_roster");
      assertThat(log)
          .allSatisfy(
              e -> {
                assertThat(e.layerImport()).isTrue();
                assertThat(e.action()).isEqualTo("layer.import");
                assertThat(e.ids()).isEmpty(); // the layer whole: readers read it anew
              });

      // rolled back with the layer: no entry, so no reader takes in a layer that is not there
      LayerImport roster = TestImports.roster();
      assertThatThrownBy(
              () ->
                  s.replaceLayer(
                      new LayerImport(
                          roster.def(), roster.features(), Map.of(14, failingMap()), "{}")))
          .isInstanceOf(RuntimeException.class);
      assertThat(s.changesAfter(third, 10)).isEmpty();
    }
  }

  @Test
  void aFailureInsideTheTransactionLeavesThePreviousVersion() {
    // every row of the new version is written before the generalised polygon that fails
    LayerImport again = TestImports.parksAgain();
    Map<Integer, Map<Long, Geometry>> broken = new HashMap<>(again.generalised());
    Map<Long, Geometry> z14 = new HashMap<>(broken.get(14));
    z14.put(12L, null);
    broken.put(14, z14);
    LayerImport failing = new LayerImport(again.def(), again.features(), broken, again.audit());
    try (FeatureStore s = Stores.open(location())) {
      s.replaceLayer(TestImports.parks());
      assertThatThrownBy(() -> s.replaceLayer(failing)).isInstanceOf(RuntimeException.class);
      assertHolds(s.read(), tiny, TestImports.parks());
      assertThat(s.importedLayers()).containsExactly(TestImports.PARKS);

      // a layer that was not there stays absent
      LayerImport roster = TestImports.roster();
      LayerImport newAndFailing =
          new LayerImport(
              roster.def(), roster.features(), Map.of(14, failingMap()), roster.audit());
      assertThatThrownBy(() -> s.replaceLayer(newAndFailing)).isInstanceOf(RuntimeException.class);
      assertThat(s.importedLayers()).containsExactly(TestImports.PARKS);
      assertThat(s.readImportedLayer("duty_roster")).isEmpty();
      assertHolds(s.read(), tiny, TestImports.parks());
    }
  }

  private static Map<Long, Geometry> failingMap() {
    Map<Long, Geometry> m = new HashMap<>();
    m.put(1L, null);
    return m;
  }

  @Test
  void aValueOfTheWrongTypeOrATakenIdIsRefusedAndNothingChanges() {
    LayerImport parks = TestImports.parksAgain();
    List<Feature> wrongType = new ArrayList<>(parks.features());
    wrongType.add(
        new Feature(
            13,
            TestDatasets.box(106.2, 29.2, 106.21, 29.21),
            new Object[] {"x", 12 /* an Integer, not the Double of a REAL */, null},
            false));
    List<Feature> twice = new ArrayList<>(parks.features());
    twice.add(parks.features().get(0));
    try (FeatureStore s = Stores.open(location())) {
      s.replaceLayer(TestImports.parks());
      assertThatThrownBy(
              () ->
                  s.replaceLayer(
                      new LayerImport(parks.def(), wrongType, parks.generalised(), parks.audit())))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("feature 13 field area_m2 expects a Double");
      assertThatThrownBy(
              () ->
                  s.replaceLayer(
                      new LayerImport(parks.def(), twice, parks.generalised(), parks.audit())))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("two features with id 11");
      assertHolds(s.read(), tiny, TestImports.parks());
    }
  }

  @Test
  void aCatalogueOrReservedNameOrAStoreColumnAsAFieldIsRefusedBeforeAnyWrite() {
    for (String name : List.of("grids", "forces", "imported_layers", "tile_geometries", "gpkg_x")) {
      assertThatThrownBy(() -> importNamed(name)).isInstanceOf(IllegalArgumentException.class);
    }
    LayerDef withFid =
        new LayerDef(
            "wells",
            "wells",
            GeometryKind.POINT,
            List.of(Field.plain("fid", FieldType.INTEGER, "")),
            0,
            14,
            false,
            false);
    try (FeatureStore s = Stores.open(location())) {
      assertThatThrownBy(() -> s.replaceLayer(new LayerImport(withFid, List.of(), Map.of(), "{}")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("fid");
      assertThat(s.importedLayers()).isEmpty();
      assertSameDataset(tiny, s.read());
    }
  }

  private static LayerImport importNamed(String name) {
    LayerDef def = new LayerDef(name, name, GeometryKind.POINT, List.of(), 0, 14, false, false);
    return new LayerImport(def, List.of(), Map.of(), "{}");
  }

  @Test
  void aWholeWriteKeepsTheDatasetsImportedLayers() {
    Dataset withImports;
    try (FeatureStore s = Stores.open(location())) {
      s.replaceLayer(TestImports.roster());
      s.replaceLayer(TestImports.parks());
      withImports = s.read();
      s.write(withImports); // what generate does with a dataset it holds
      assertHolds(s.read(), tiny, TestImports.roster(), TestImports.parks());
      assertThat(s.importedLayers()).containsExactly(TestImports.ROSTER, TestImports.PARKS);
      s.write(tiny); // a city without them: they are gone
      assertThat(s.importedLayers()).isEmpty();
      assertSameDataset(tiny, s.read());
    }
  }
}
