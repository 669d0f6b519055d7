package io.gridmap.tiler;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.geo.WebMercator;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.DatasetMetadata;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Field;
import io.gridmap.layers.model.FieldType;
import io.gridmap.layers.model.Generalised;
import io.gridmap.layers.model.GeometryKind;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.tiler.TestTiles.Decoded;
import io.gridmap.tiler.geo.TileCoord;
import io.gridmap.tiler.render.SourceLayer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.operation.valid.IsValidOp;

/**
 * Layers outside the catalogue, as {@code mapserver import} brings them: polygons that overlap (not
 * a coverage), points drawn one by one (not clustered), a layer for staff only.
 */
@SuppressWarnings("unchecked")
class ImportedLayerTilesTest {
  private static final GeometryFactory GF = new GeometryFactory();
  private static final double LON = 106.55;
  private static final double LAT = 29.56;

  private static final LayerDef SCHOOLS =
      new LayerDef(
          "school_zones",
          "School zones",
          GeometryKind.POLYGON,
          List.of(Field.tiled("name", FieldType.STRING, "zone name")),
          8,
          14,
          false,
          false,
          false,
          false);

  private static LayerDef points(String name, boolean clustered, boolean staffOnly) {
    return new LayerDef(
        name,
        name,
        GeometryKind.POINT,
        List.of(
            Field.tiled("kind", FieldType.STRING, "kind"),
            Field.personal("person", FieldType.STRING, "who")),
        10,
        14,
        false,
        false,
        staffOnly,
        clustered);
  }

  /** Three squares about 500 m across, each overlapping the next by half. */
  private static Layer overlappingZones() {
    List<Feature> fs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      double x = LON + i * 0.0025;
      fs.add(
          new Feature(
              i + 1,
              GF.toGeometry(new org.locationtech.jts.geom.Envelope(x, x + 0.005, LAT, LAT + 0.005)),
              new Object[] {"zone " + i},
              false));
    }
    return new Layer(SCHOOLS, fs);
  }

  /** Twenty points within 30 m: one cluster cell at z10. */
  private static Layer closePoints(LayerDef def) {
    List<Feature> fs = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      fs.add(
          new Feature(
              100 + i,
              GF.createPoint(new Coordinate(LON + 0.0001 * (i % 5), LAT + 0.0001 * (i / 5))),
              new Object[] {"k" + (i % 3), "person " + i},
              false));
    }
    return new Layer(def, fs);
  }

  private static TileService service(List<Layer> layers, Generalised gen, boolean staff) {
    Dataset d =
        Dataset.of(
            layers, new DatasetMetadata("imported", 0, 1, null, null, null, null, null), gen);
    return TileService.create(
        CityIndex.build(d), TileServiceConfig.defaults().withPersonal(staff), TestTiles.CLOCK);
  }

  private static TileCoord tileAt(int z) {
    return TileCoord.containing(WebMercator.x(LON + 0.003), WebMercator.y(LAT + 0.0025), z);
  }

  @Test
  void overlappingPolygonsOfALayerThatIsNoCoverageAreEachDrawnWholeAndValid() {
    TileService s = service(List.of(overlappingZones()), Generalised.empty(), false);
    for (int z = 8; z <= 14; z++) {
      Map<String, List<Decoded>> tile = TestTiles.decode(s.tile(tileAt(z)).gzipped());
      List<Decoded> zones = tile.getOrDefault("school_zones", List.of());
      assertThat(zones).as("z%d", z).extracting(Decoded::id).containsExactly(1L, 2L, 3L);
      for (Decoded f : zones) {
        assertThat(IsValidOp.isValid(f.geometry())).as("z%d %d", z, f.id()).isTrue();
        assertThat(f.properties()).containsEntry("name", "zone " + (f.id() - 1));
      }
      if (z >= 12) {
        // the overlap is drawn twice: the areas add up to more than the union's
        double sum = zones.stream().mapToDouble(f -> f.geometry().getArea()).sum();
        Geometry union = GF.buildGeometry(zones.stream().map(Decoded::geometry).toList()).union();
        assertThat(sum).as("z%d", z).isGreaterThan(union.getArea() * 1.4);
      }
    }
    assertThat(s.tile(tileAt(7)).empty()).isTrue();
  }

  @Test
  void aPersonalPolygonIsDrawnForStaffOnly() {
    List<Feature> fs = new ArrayList<>(overlappingZones().features());
    Feature second = fs.get(1);
    fs.set(1, new Feature(second.id(), second.geometry(), second.values(), true));
    Layer zones = new Layer(SCHOOLS, fs);
    TileService open = service(List.of(zones), Generalised.empty(), false);
    TileService staff = service(List.of(zones), Generalised.empty(), true);
    for (int z = 8; z <= 14; z++) {
      assertThat(TestTiles.decode(open.tile(tileAt(z)).gzipped()).get("school_zones"))
          .as("z%d, public", z)
          .extracting(Decoded::id)
          .containsExactly(1L, 3L);
      assertThat(TestTiles.decode(staff.tile(tileAt(z)).gzipped()).get("school_zones"))
          .as("z%d, staff", z)
          .extracting(Decoded::id)
          .containsExactly(1L, 2L, 3L);
    }
  }

  @Test
  void polygonValuesOfEveryTypeComeOutAsStoredOnceEachAndFollowAReplacedLayer() {
    LayerDef def =
        new LayerDef(
            "zones",
            "Zones",
            GeometryKind.POLYGON,
            List.of(
                Field.tiled("name", FieldType.STRING, "name"),
                Field.tiled("rank", FieldType.INTEGER, "rank"),
                Field.tiled("share", FieldType.REAL, "share"),
                Field.tiled("open", FieldType.BOOLEAN, "open")),
            8,
            14,
            false,
            false,
            false,
            false);
    Object[][] values = {
      {"north", 3L, 0.5, true}, {"north", -7L, null, false}, {null, 3L, 0.25, true}
    };
    List<Feature> fs = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      double x = LON + i * 0.0025;
      fs.add(
          new Feature(
              i + 1,
              GF.toGeometry(new org.locationtech.jts.geom.Envelope(x, x + 0.002, LAT, LAT + 0.004)),
              values[i],
              false));
    }
    TileService s = service(List.of(new Layer(def, fs)), Generalised.empty(), false);
    for (int z : new int[] {10, 14}) {
      byte[] tile = s.tile(tileAt(z)).gzipped();
      List<Decoded> zones = TestTiles.decode(tile).get("zones");
      assertThat(zones).extracting(Decoded::id).containsExactly(1L, 2L, 3L);
      assertThat(zones.get(0).properties())
          .containsExactlyInAnyOrderEntriesOf(
              Map.of("name", "north", "rank", 3L, "share", 0.5, "open", true));
      assertThat(zones.get(1).properties())
          .containsExactlyInAnyOrderEntriesOf(Map.of("name", "north", "rank", -7L, "open", false));
      assertThat(zones.get(2).properties())
          .containsExactlyInAnyOrderEntriesOf(Map.of("rank", 3L, "share", 0.25, "open", true));
      // north, 3, 0.5, true, -7, false, 0.25: each value once in the layer's table
      assertThat(TestTiles.parse(TestTiles.raw(tile)).getLayers(0).getValuesCount()).isEqualTo(7);
    }

    // the layer replaced (as an import does): a renamed zone, a new value, the rest as they were
    fs.set(1, new Feature(2, fs.get(1).geometry(), new Object[] {"south", -7L, 1.5, false}, false));
    TileCoord at = tileAt(14);
    s.apply(
        s.index().withLayer(new Layer(def, fs), Map.of()),
        "zones",
        new org.locationtech.jts.geom.Envelope(at.minX(), at.minX() + 1, at.minY(), at.minY() + 1));
    List<Decoded> zones = TestTiles.decode(s.tile(at).gzipped()).get("zones");
    assertThat(zones.get(0).properties()).containsEntry("name", "north");
    assertThat(zones.get(1).properties())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("name", "south", "rank", -7L, "share", 1.5, "open", false));
  }

  @Test
  void aPolygonLayerThatIsNoCoverageDrawsItsStoredGeneralisedPolygonsWhereItHasThem() {
    Generalised gen = Generalised.empty();
    Map<Long, Geometry> z12 = new java.util.HashMap<>();
    for (Feature f : overlappingZones().features()) {
      // a triangle in place of each square, so the tile shows which one was drawn
      Coordinate[] c = WebMercator.project(f.geometry()).getCoordinates();
      z12.put(f.id(), GF.createPolygon(new Coordinate[] {c[0], c[1], c[2], c[0]}));
    }
    gen.put("school_zones", 12, z12);
    TileService s = service(List.of(overlappingZones()), gen, false);
    for (Decoded f : TestTiles.decode(s.tile(tileAt(12)).gzipped()).get("school_zones")) {
      assertThat(f.geometry().getNumPoints()).as("feature %d", f.id()).isEqualTo(4);
    }
  }

  @Test
  void pointsOfALayerThatIsNotClusteredAreDrawnOneByOneAtEveryZoomWithoutACount() {
    TileService s =
        service(List.of(closePoints(points("rosters", false, false))), Generalised.empty(), false);
    for (int z = 10; z <= 14; z++) {
      List<Decoded> drawn = TestTiles.decode(s.tile(tileAt(z)).gzipped()).get("rosters");
      assertThat(drawn).as("z%d", z).hasSize(20);
      assertThat(drawn).extracting(Decoded::id).doesNotHaveDuplicates().allMatch(id -> id >= 100);
      assertThat(drawn).allSatisfy(f -> assertThat(f.properties()).doesNotContainKey("count"));
      assertThat(drawn).allSatisfy(f -> assertThat(f.properties()).doesNotContainKey("person"));
    }
    // the same points in a clustered layer are one cluster at z10: what the flag changes
    TileService clustered =
        service(List.of(closePoints(points("rosters", true, false))), Generalised.empty(), false);
    List<Decoded> cells = TestTiles.decode(clustered.tile(tileAt(10)).gzipped()).get("rosters");
    assertThat(cells).hasSize(1);
    assertThat(cells.get(0).properties()).containsEntry("count", 20L);
  }

  @Test
  void aMovedPointOfALayerThatIsNotClusteredLeavesItsOldPlaceAtTheLayersFirstZoom() {
    Dataset d =
        Dataset.of(
            List.of(closePoints(points("rosters", false, false))),
            new DatasetMetadata("imported", 0, 1, null, null, null, null, null),
            Generalised.empty());
    CityIndex index = CityIndex.build(d);
    TileService s = TileService.create(index, TileServiceConfig.defaults(), TestTiles.CLOCK);
    TileCoord home = tileAt(10);
    assertThat(TestTiles.decode(s.tile(home).gzipped()).get("rosters")).hasSize(20);
    // a re-import moves one point two z10 tiles east: the cached z10 tile must forget it
    Feature before = index.layer("rosters").byId(100).orElseThrow();
    double east = WebMercator.lon(home.bounds().getMaxX() + 1.5 * TileCoord.size(10));
    Feature after =
        new Feature(100, GF.createPoint(new Coordinate(east, LAT)), before.values(), false);
    io.gridmap.layers.edit.Change change =
        io.gridmap.layers.edit.Change.of(
            "rosters", List.of(new io.gridmap.layers.edit.Change.Replacement(before, after)));
    CityIndex next = index.withChange(change);
    s.apply(next, change, change.mercatorAreas());
    assertThat(TestTiles.decode(s.tile(home).gzipped()).get("rosters"))
        .hasSize(19)
        .extracting(Decoded::id)
        .doesNotContain(100L);
    TileCoord there = TileCoord.containing(WebMercator.x(east), WebMercator.y(LAT), 10);
    assertThat(TestTiles.decode(s.tile(there).gzipped()).get("rosters"))
        .extracting(Decoded::id)
        .containsExactly(100L);
  }

  @Test
  void aStaffOnlyLayerIsInTheStaffClassTilesAndTileJsonOnly() {
    List<Layer> layers = List.of(overlappingZones(), closePoints(points("rosters", false, true)));
    TileService pub = service(layers, Generalised.empty(), false);
    TileService staff = service(layers, Generalised.empty(), true);
    assertThat(pub.layers()).extracting(SourceLayer::name).doesNotContain("rosters");
    assertThat(staff.layers()).extracting(SourceLayer::name).contains("rosters");
    assertThat(TestTiles.decode(pub.tile(tileAt(12)).gzipped()))
        .containsKey("school_zones")
        .doesNotContainKey("rosters");
    assertThat(TestTiles.decode(staff.tile(tileAt(12)).gzipped()))
        .containsKeys("school_zones", "rosters");
    assertThat(io.gridmap.tiler.tilejson.TileJson.vectorLayers(pub).stream().map(l -> l.get("id")))
        .doesNotContain("rosters");
  }

  @Test
  void tileJsonSaysWhetherAPointLayerIsClusteredAndListsNoCountForOneThatIsNot() {
    TileService s =
        service(
            List.of(
                closePoints(points("rosters", false, false)),
                closePoints(points("hydrants", true, false)),
                overlappingZones()),
            Generalised.empty(),
            false);
    Map<Object, Map<String, Object>> byId = new java.util.HashMap<>();
    io.gridmap.tiler.tilejson.TileJson.vectorLayers(s).forEach(l -> byId.put(l.get("id"), l));
    assertThat(byId.get("rosters"))
        .containsEntry("clustered", false)
        .containsEntry("minzoom", 10)
        .containsEntry("maxzoom", 14);
    assertThat(((Map<String, ?>) byId.get("rosters").get("fields")).keySet())
        .containsExactly("kind");
    assertThat(byId.get("hydrants")).containsEntry("clustered", true);
    assertThat(((Map<String, ?>) byId.get("hydrants").get("fields")).keySet())
        .contains("kind", "count");
    assertThat(byId.get("school_zones")).doesNotContainKey("clustered").containsEntry("minzoom", 8);
  }

  @Test
  void importedLayersAreDrawnAfterTheCatalogueInTheDatasetsOrder() {
    List<Layer> layers = new ArrayList<>();
    layers.add(closePoints(points("zz_first", true, false)));
    layers.add(overlappingZones());
    layers.add(closePoints(points("aa_last", false, false)));
    layers.addAll(TestTiles.city().layers().values());
    TileService s = service(layers, TestTiles.city().generalised(), false);
    List<String> names = s.layers().stream().map(SourceLayer::name).toList();
    // polygons, labels, then points, each group in the catalogue's order and then the dataset's
    assertThat(names)
        .containsSubsequence("grids", "school_zones", "labels")
        .containsSubsequence("events", "zz_first", "aa_last");
  }
}
