package io.gridmap.layers.store.gpkg;

import static io.gridmap.layers.testing.DatasetAssertions.assertSameDataset;
import static io.gridmap.layers.testing.DatasetAssertions.assertSameLayer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Generalised;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.StoreException;
import io.gridmap.layers.store.Stores;
import io.gridmap.layers.testing.TestDatasets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Polygon;

class GeoPackageStoreTest {
  @TempDir Path dir;

  private final Dataset tiny = TestDatasets.tiny();

  private FeatureStore store(String name) {
    return Stores.open(dir.resolve(name).toString());
  }

  @Test
  void readsBackEveryFeatureWithItsIdGeometryValuesAndPersonalFlag() {
    try (FeatureStore store = store("city.gpkg")) {
      store.write(tiny);
      Dataset back = store.read();
      assertSameDataset(tiny, back);
      assertThat(back.layers().keySet())
          .containsExactlyElementsOf(Catalogue.ALL.stream().map(LayerDef::name).toList());
    }
  }

  @Test
  void readsFeaturesInIdOrderWithTheirJavaTypes() {
    try (FeatureStore store = store("city.gpkg")) {
      store.write(tiny);
      Layer events = store.read().layer("events");
      assertThat(events.features()).extracting(Feature::id).isSorted();
      Feature closed = events.features().get(0);
      assertThat(closed.value(Catalogue.EVENTS.requireField("reported_at")))
          .isEqualTo(TestDatasets.T0);
      assertThat(closed.value(Catalogue.EVENTS.requireField("closed_at"))).isInstanceOf(Long.class);
      Feature open = events.features().get(1);
      assertThat(open.value(Catalogue.EVENTS.requireField("closed_at"))).isNull();
      Feature streetWithoutCentre = store.read().layer("streets").features().get(2);
      assertThat(streetWithoutCentre.value(Catalogue.STREETS.requireField("centre_lon"))).isNull();
    }
  }

  @Test
  void readsABigLayerInPartsOnSeveralThreadsJoinedInIdOrderWithItsValuesShared() {
    // a thousand forces with repeated roles and grids, distinct names, empty and missing text
    List<Feature> forces = new ArrayList<>();
    for (int i = 1; i <= 1000; i++) {
      forces.add(
          new Feature(
              i * 3L,
              TestDatasets.point(106 + i * 1e-4, 29 + i * 1e-4),
              new Object[] {
                i % 3 == 0 ? "police" : "grid_worker",
                i % 2 == 0,
                "50010300100100" + (i % 7),
                i % 10 == 0 ? "" : i % 10 == 1 ? null : "worker " + i,
                TestDatasets.T0 + i,
                "code-" + i
              },
              false));
    }
    List<Layer> layers = new ArrayList<>(tiny.layers().values());
    layers.replaceAll(l -> l.name().equals("forces") ? new Layer(Catalogue.FORCES, forces) : l);
    Dataset city = Dataset.of(layers, tiny.metadata(), tiny.generalised());
    Path file = dir.resolve("parts.gpkg");
    try (FeatureStore store = Stores.open(file.toString())) {
      store.write(city);
    }
    GeoPackageReader reader = new GeoPackageReader(file, 64);
    assertThat(reader.splits(Catalogue.FORCES, 64))
        .hasSize(15)
        .startsWith(65 * 3L)
        .isSorted(); // the first ids of parts 2..16
    Dataset back = reader.read();
    assertSameDataset(city, back);
    List<Feature> read = back.layer("forces").features();
    Object role = read.get(0).value(0); // a value of part 1 is the instance of part 16's
    assertThat(read.get(read.size() - 1).value(0)).isEqualTo("grid_worker").isSameAs(role);
    assertThat(read.get(9).value(3)).isEqualTo("");
    assertThat(read.get(10).value(3)).isNull();
  }

  @Test
  void keepsThePersonalFlagOfAVulnerableResidentsHome() {
    try (FeatureStore store = store("city.gpkg")) {
      store.write(tiny);
      assertThat(store.read().layer("key_sites").features())
          .filteredOn(Feature::personal)
          .extracting(Feature::id)
          .containsExactly(3L);
    }
  }

  @Test
  void promotesPolygonsToMultiPolygonsInALayerThatHasBoth() {
    try (FeatureStore store = store("city.gpkg")) {
      store.write(tiny);
      Dataset back = store.read();
      // districts mix a Polygon and a MultiPolygon: all come back MultiPolygon, same shapes
      assertThat(back.layer("districts").features())
          .allSatisfy(f -> assertThat(f.geometry() instanceof MultiPolygon).isTrue());
      assertSameLayer(tiny.layer("districts"), back.layer("districts"));
      // grids are all Polygons and stay so
      assertThat(back.layer("grids").features())
          .allSatisfy(f -> assertThat(f.geometry() instanceof Polygon).isTrue());
    }
  }

  @Test
  void metadataRoundTripsExactlyWithoutReadingFeatures() {
    try (FeatureStore store = store("city.gpkg")) {
      store.write(tiny);
      assertThat(store.metadata()).isEqualTo(tiny.metadata());
      assertThat(store.metadata().hotspots()).hasSize(2);
      assertThat(store.metadata().notes()).containsEntry("说明", "两个区县的小城市");
    }
  }

  @Test
  void generalisedGeometriesRoundTripByLayerZoomAndId() {
    try (FeatureStore store = store("city.gpkg")) {
      store.write(tiny);
      Generalised back = store.read().generalised();
      assertThat(back.layers())
          .containsExactlyInAnyOrder("districts", "streets", "villages", "grids");
      assertThat(back.get("grids", 8)).doesNotContainKey(500104002001001L); // dropped as sub-pixel
      assertThat(back.get("grids", 14).get(500104002001001L).getSRID()).isEqualTo(3857);
      io.gridmap.layers.testing.DatasetAssertions.assertSameGeneralised(tiny.generalised(), back);
      io.gridmap.layers.testing.DatasetAssertions.assertPacked(back);
    }
  }

  @Test
  void countsFeaturesPerLayerInCatalogueOrder() {
    try (FeatureStore store = store("city.gpkg")) {
      store.write(tiny);
      Map<String, Integer> expected = new LinkedHashMap<>();
      Catalogue.ALL.forEach(def -> expected.put(def.name(), tiny.layer(def.name()).size()));
      assertThat(store.counts()).containsExactlyEntriesOf(expected);
    }
  }

  @Test
  void writesACatalogueLayerMissingFromTheDatasetAsAnEmptyLayer() {
    List<Layer> some = new ArrayList<>(tiny.layers().values());
    some.removeIf(l -> l.name().equals("events"));
    Dataset withoutEvents = Dataset.of(some, tiny.metadata(), tiny.generalised());
    try (FeatureStore store = store("city.gpkg")) {
      store.write(withoutEvents);
      assertThat(store.counts()).containsEntry("events", 0);
      assertThat(store.read().layer("events").features()).isEmpty();
    }
  }

  @Test
  void writeReplacesAnExistingStore() {
    Dataset small =
        Dataset.of(List.of(tiny.layer("districts")), tiny.metadata(), Generalised.empty());
    try (FeatureStore store = store("city.gpkg")) {
      store.write(tiny);
      store.write(small);
      assertThat(store.counts()).containsEntry("districts", 2).containsEntry("grids", 0);
      assertThat(store.read().generalised().layers()).isEmpty();
    }
  }

  @Test
  void failedWriteLeavesThePreviousStoreIntactAndNoTemporaryFile() throws IOException {
    Path file = dir.resolve("city.gpkg");
    try (FeatureStore store = store("city.gpkg")) {
      store.write(tiny);
      byte[] before = Files.readAllBytes(file);

      // the last layer's last feature is bad: every other layer has been written by then
      assertThatThrownBy(() -> store.write(withBadLastEvent()))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining(file.toString())
          .hasMessageContaining(
              "layer events feature 99 field reported_at expects a Long (TIMESTAMP) but has a String");

      assertThat(Files.readAllBytes(file)).isEqualTo(before);
      assertSameDataset(tiny, store.read());
      assertThat(filesIn(dir)).containsExactly("city.gpkg");
    }
  }

  @Test
  void failedFirstWriteLeavesNoFileAtAll() throws IOException {
    try (FeatureStore store = store("city.gpkg")) {
      assertThatThrownBy(() -> store.write(withBadLastEvent())).isInstanceOf(StoreException.class);
    }
    assertThat(filesIn(dir)).isEmpty();
  }

  @Test
  void rejectsTwoFeaturesWithTheSameId() {
    Layer grids = tiny.layer("grids");
    List<Feature> doubled = new ArrayList<>(grids.features());
    doubled.add(grids.features().get(0));
    Dataset bad = replace(tiny, new Layer(Catalogue.GRIDS, doubled));
    try (FeatureStore store = store("city.gpkg")) {
      assertThatThrownBy(() -> store.write(bad))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining(
              "layer grids feature 500103001001001: another feature has the same id");
    }
  }

  @Test
  void rejectsAPointInAPolygonLayer() {
    Feature district = tiny.layer("districts").features().get(0);
    Layer bad =
        new Layer(
            Catalogue.DISTRICTS,
            List.of(new Feature(1, TestDatasets.point(106, 29), district.values(), false)));
    try (FeatureStore store = store("city.gpkg")) {
      assertThatThrownBy(() -> store.write(replace(tiny, bad)))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining(
              "layer districts feature 1 has a Point but the layer holds Polygons or MultiPolygons");
    }
  }

  @Test
  void writeIntoAMissingDirectoryNamesTheDirectory() {
    Path missing = dir.resolve("no-such-dir");
    try (FeatureStore store = Stores.open(missing.resolve("city.gpkg").toString())) {
      assertThatThrownBy(() -> store.write(tiny))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("directory " + missing + " does not exist");
    }
  }

  @Test
  void readOfAMissingFileNamesTheFile() {
    Path file = dir.resolve("nothing-here.gpkg");
    try (FeatureStore store = store("nothing-here.gpkg")) {
      assertThatThrownBy(store::read)
          .isInstanceOf(StoreException.class)
          .hasMessage("store " + file + " does not exist");
      assertThatThrownBy(store::metadata).hasMessage("store " + file + " does not exist");
      assertThatThrownBy(store::counts).hasMessage("store " + file + " does not exist");
    }
  }

  @Test
  void readOfATextFileSaysItIsNotAGeoPackage() throws IOException {
    Path file = dir.resolve("notes.gpkg");
    Files.writeString(
        file, "this is not a database, just some notes that happen to end in .gpkg\n".repeat(20));
    try (FeatureStore store = store("notes.gpkg")) {
      assertThatThrownBy(store::read)
          .isInstanceOf(StoreException.class)
          .hasMessage("store " + file + " is not a GeoPackage: it is not an SQLite database");
    }
  }

  @Test
  void readOfAnEmptyFileSaysSo() throws IOException {
    Path file = Files.createFile(dir.resolve("empty.gpkg"));
    try (FeatureStore store = store("empty.gpkg")) {
      assertThatThrownBy(store::read)
          .hasMessage(
              "store "
                  + file
                  + " is not a GeoPackage: it is not an SQLite database (the file is empty)");
    }
  }

  @Test
  void readOfAPlainSqliteDatabaseSaysItIsNotAGeoPackage() throws SQLException {
    Path file = dir.resolve("plain.gpkg");
    sql(file, "CREATE TABLE t (x INTEGER)");
    try (FeatureStore store = store("plain.gpkg")) {
      assertThatThrownBy(store::read)
          .isInstanceOf(StoreException.class)
          .hasMessage(
              "store "
                  + file
                  + " is not a GeoPackage: it is an SQLite database without a gpkg_contents table");
    }
  }

  @Test
  void readOfAStoreLackingALayerNamesTheLayer() throws SQLException {
    Path file = dir.resolve("city.gpkg");
    try (FeatureStore store = store("city.gpkg")) {
      store.write(tiny);
      sql(
          file,
          "DELETE FROM gpkg_geometry_columns WHERE table_name = 'forces'",
          "DELETE FROM gpkg_contents WHERE table_name = 'forces'");
      assertThatThrownBy(store::read)
          .isInstanceOf(StoreException.class)
          .hasMessage(
              "store "
                  + file
                  + " lacks layer forces (it has districts, streets, villages, grids, key_sites, events);"
                  + " write it again with generate or import");
    }
  }

  @Test
  void readOfAStoreLackingAColumnNamesTheColumn() throws SQLException {
    Path file = dir.resolve("city.gpkg");
    try (FeatureStore store = store("city.gpkg")) {
      store.write(tiny);
      sql(file, "ALTER TABLE grids DROP COLUMN worker_name");
      assertThatThrownBy(store::counts)
          .isInstanceOf(StoreException.class)
          .hasMessage(
              "store "
                  + file
                  + ": layer grids lacks column worker_name; write it again with generate or import");
    }
  }

  @Test
  void readOfAStoreWithA17DigitIdSaysToWriteItAgain() throws SQLException {
    // the key sites and forces of stores generated before ids were kept below 2^52
    Path file = dir.resolve("city.gpkg");
    try (FeatureStore store = store("city.gpkg")) {
      store.write(tiny);
      List<String> statements = new ArrayList<>();
      // the R-tree triggers call SpatiaLite functions this connection lacks; the test needs none
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
          Statement s = c.createStatement();
          var rs =
              s.executeQuery(
                  "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'forces'")) {
        while (rs.next()) {
          statements.add("DROP TRIGGER \"" + rs.getString(1) + "\"");
        }
      }
      statements.add("UPDATE forces SET fid = 50010300100100101 WHERE fid = 2");
      sql(file, statements.toArray(String[]::new));
      assertThatThrownBy(store::read)
          .isInstanceOf(StoreException.class)
          .hasMessage(
              "store "
                  + file
                  + ": layer forces feature 50010300100100101 has an id outside"
                  + " 0..4503599627370495, more than a JavaScript number holds exactly;"
                  + " write it again with generate or import");
    }
  }

  @Test
  void readOfAStoreWithoutMetadataSaysSo() throws SQLException {
    Path file = dir.resolve("city.gpkg");
    try (FeatureStore store = store("city.gpkg")) {
      store.write(tiny);
      sql(file, "DELETE FROM gpkg_metadata_reference", "DELETE FROM gpkg_metadata");
      assertThatThrownBy(store::metadata)
          .isInstanceOf(StoreException.class)
          .hasMessageStartingWith("store " + file + " has no gridmap dataset metadata");
    }
  }

  @Test
  void aClosedStoreRefusesWork() {
    FeatureStore store = store("city.gpkg");
    store.close();
    assertThatThrownBy(store::counts)
        .isInstanceOf(StoreException.class)
        .hasMessageEndingWith("is closed");
  }

  private Dataset withBadLastEvent() {
    List<Feature> events = new ArrayList<>(tiny.layer("events").features());
    events.add(
        new Feature(
            99,
            TestDatasets.point(106.02, 29.02),
            TestDatasets.event("noise", "livelihood", "normal", "open", "yesterday", null, null),
            false));
    return replace(tiny, new Layer(Catalogue.EVENTS, events));
  }

  private static Dataset replace(Dataset d, Layer layer) {
    List<Layer> layers = new ArrayList<>(d.layers().values());
    layers.replaceAll(l -> l.name().equals(layer.name()) ? layer : l);
    return Dataset.of(layers, d.metadata(), d.generalised());
  }

  private static List<String> filesIn(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  static void sql(Path file, String... statements) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }
}
