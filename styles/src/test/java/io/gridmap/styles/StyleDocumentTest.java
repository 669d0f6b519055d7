package io.gridmap.styles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridmap.layers.model.Board;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Field;
import io.gridmap.layers.model.GeometryKind;
import io.gridmap.layers.model.LayerDef;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StyleDocumentTest {
  private static final String BASE = "http://127.0.0.1:8080";

  private static final List<ObjectNode> STYLES =
      List.of(StyleDocument.defaultStyle(BASE), StyleDocument.dark(BASE));

  /** Attributes of the derived labels layer, written by the tiler. */
  private static final Set<String> LABEL_FIELDS = Set.of("level", "code", "name");

  /** The label levels and the zoom each appears from (the tiler's labels table). */
  private static final Map<String, Integer> LABEL_LEVELS =
      Map.of("district", 5, "street", 8, "village", 11, "grid", 13);

  @Test
  void servesTheDefaultAndDarkStylesByIdAndNothingElse() {
    assertThat(StyleDocument.ids()).containsExactly("default", "dark");
    assertThat(StyleDocument.byId("default", BASE)).contains(StyleDocument.defaultStyle(BASE));
    assertThat(StyleDocument.byId("dark", BASE)).contains(StyleDocument.dark(BASE));
    assertThat(StyleDocument.byId("Default", BASE)).isEmpty();
    assertThat(StyleDocument.byId("../etc/passwd", BASE)).isEmpty();
  }

  @Test
  void pointsItsSourceAtTheTileJsonAndItsGlyphsAtTheFontRoutes() {
    ObjectNode style = StyleDocument.defaultStyle("https://maps.example.org/gridmap/");

    assertThat(style.get("version").asInt()).isEqualTo(8);
    assertThat(style.path("sources").size()).isEqualTo(1);
    JsonNode source = style.path("sources").path("cq");
    assertThat(source.path("type").asText()).isEqualTo("vector");
    assertThat(source.path("url").asText())
        .isEqualTo("https://maps.example.org/gridmap/tiles/cq.json");
    assertThat(style.path("glyphs").asText())
        .isEqualTo("https://maps.example.org/gridmap/fonts/{fontstack}/{range}.pbf");
    assertThat(style.has("sprite")).as("no icons, so no sprite to 404").isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "/relative",
        "ftp://127.0.0.1",
        "127.0.0.1:8080",
        "http://127.0.0.1:8080/?a=1",
        "http://127.0.0.1#x",
        "http://exa mple"
      })
  void refusesABaseUrlThatIsNotAnAbsoluteHttpUrl(String base) {
    assertThatThrownBy(() -> StyleDocument.defaultStyle(base))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + base + "'")
        .hasMessageContaining("expected an absolute http(s) URL");
  }

  @Test
  void hasStableReadableLayerIdsTheSameInBothThemes() {
    List<String> expected =
        List.of(
            "background",
            "districts-fill",
            "villages-fill",
            "grids-fill",
            "grids-line",
            "villages-line",
            "streets-line",
            "districts-casing",
            "districts-line",
            "key-sites-cluster",
            "key-sites",
            "forces-cluster",
            "forces",
            "events-cluster",
            "events-party_building",
            "events-economy",
            "events-livelihood",
            "events-safety_law",
            "labels-grid",
            "labels-village",
            "labels-street",
            "labels-district",
            "key-sites-label",
            "key-sites-cluster-count",
            "forces-cluster-count",
            "events-cluster-count",
            "events-urgent-halo",
            "events-urgent-ring",
            "events-urgent");
    for (ObjectNode style : STYLES) {
      assertThat(StyleWalker.ids(style)).containsExactlyElementsOf(expected);
    }
  }

  @Test
  void readsOnlySourceLayersThatExistFromTheZoomTheirTilesStart() {
    for (ObjectNode style : STYLES) {
      for (ObjectNode layer : StyleWalker.layers(style)) {
        if (!layer.has("source")) {
          continue;
        }
        assertThat(layer.get("source").asText()).isEqualTo("cq");
        String sourceLayer = layer.get("source-layer").asText();
        int minzoom = layer.path("minzoom").asInt(0);
        if (sourceLayer.equals(StyleLayers.LABELS_SOURCE_LAYER)) {
          assertThat(minzoom).as(layer.get("id").asText()).isGreaterThanOrEqualTo(5);
          continue;
        }
        LayerDef def =
            Catalogue.byName(sourceLayer)
                .orElseThrow(() -> new AssertionError("no source layer " + sourceLayer));
        assertThat(minzoom)
            .as("%s minzoom", layer.get("id").asText())
            .isGreaterThanOrEqualTo(def.minZoom());
        String type = layer.get("type").asText();
        if (def.kind() == GeometryKind.POINT) {
          assertThat(type).as(layer.get("id").asText()).isIn("circle", "symbol", "heatmap");
        } else {
          assertThat(type).as(layer.get("id").asText()).isIn("fill", "line", "symbol");
        }
      }
    }
  }

  @Test
  void readsOnlyAttributesTheTilesCarry() {
    for (ObjectNode style : STYLES) {
      for (ObjectNode layer : StyleWalker.layers(style)) {
        if (!layer.has("source-layer")) {
          continue;
        }
        String sourceLayer = layer.get("source-layer").asText();
        Set<String> allowed = new HashSet<>();
        if (sourceLayer.equals(StyleLayers.LABELS_SOURCE_LAYER)) {
          allowed.addAll(LABEL_FIELDS);
        } else {
          LayerDef def = Catalogue.byName(sourceLayer).orElseThrow();
          def.fields().stream().filter(Field::inTiles).map(Field::name).forEach(allowed::add);
          if (def.kind() == GeometryKind.POINT) {
            allowed.add("count"); // clusters
          }
        }
        assertThat(StyleWalker.attributesRead(layer))
            .as("attributes read by %s from %s", layer.get("id").asText(), sourceLayer)
            .isSubsetOf(allowed);
      }
    }
  }

  @Test
  void labelsEachAdminLevelFromTheZoomTheTilerWritesIt() {
    ObjectNode style = StyleDocument.defaultStyle(BASE);
    Map<String, String> layerOfLevel =
        Map.of(
            "district",
            "labels-district",
            "street",
            "labels-street",
            "village",
            "labels-village",
            "grid",
            "labels-grid");
    layerOfLevel.forEach(
        (level, id) -> {
          ObjectNode layer = StyleWalker.layer(style, id);
          assertThat(layer.get("source-layer").asText()).isEqualTo("labels");
          assertThat(layer.get("filter").toString())
              .isEqualTo("[\"==\",[\"get\",\"level\"],\"" + level + "\"]");
          assertThat(layer.get("minzoom").asInt()).isEqualTo(LABEL_LEVELS.get(level));
          assertThat(layer.at("/layout/text-field").toString()).isEqualTo("[\"get\",\"name\"]");
        });
  }

  @Test
  void writesTextOnlyInTheFontstacksTheGlyphServiceServes() {
    for (ObjectNode style : STYLES) {
      for (ObjectNode layer : StyleWalker.layers(style)) {
        JsonNode font = layer.at("/layout/text-font");
        if (layer.get("type").asText().equals("symbol")) {
          assertThat(font.isArray()).as(layer.get("id").asText()).isTrue();
          assertThat(font.size()).isEqualTo(1);
          assertThat(font.get(0).asText()).isIn(Fonts.ALL);
        }
      }
    }
  }

  @Test
  void paintsTheUrgentColourOnlyInUrgentLayersAndOnlyForEventsStillOpen() {
    for (ObjectNode style : STYLES) {
      for (ObjectNode layer : StyleWalker.layers(style)) {
        String id = layer.get("id").asText();
        List<Colour> colours = StyleWalker.colours(layer);
        if (StyleLayers.URGENT.contains(id)) {
          assertThat(colours).as(id).contains(AlertPalette.URGENT);
          assertThat(layer.get("filter").toString())
              .isEqualTo(
                  "[\"all\",[\"==\",[\"get\",\"urgency\"],\"urgent\"],[\"!\",[\"in\",[\"get\",\"status\"],[\"literal\",[\"closed\",\"rejected\"]]]]]");
          continue;
        }
        assertThat(colours).as("colours of %s", id).doesNotContain(AlertPalette.URGENT);
        for (Colour c : colours) {
          assertThat(c.distanceTo(AlertPalette.URGENT))
              .as("%s paints %s, too close to the urgent %s", id, c, AlertPalette.URGENT)
              .isGreaterThanOrEqualTo(AlertPalette.MIN_DISTANCE_FROM_OTHERS);
        }
      }
    }
  }

  @Test
  void drawsUrgentEventsAboveEverythingElse() {
    for (ObjectNode style : STYLES) {
      List<String> ids = StyleWalker.ids(style);
      assertThat(ids.subList(ids.size() - 3, ids.size()))
          .containsExactlyElementsOf(StyleLayers.URGENT);
    }
  }

  @Test
  void givesEachBoardALayerInItsOwnColourWithoutAlertingOrClusteredEvents() {
    ObjectNode style = StyleDocument.dark(BASE);
    for (Board board : Board.values()) {
      ObjectNode layer = StyleWalker.layer(style, StyleLayers.events(board));
      assertThat(layer.at("/paint/circle-color").asText())
          .isEqualTo(BoardColour.of(board).colour().hex());
      assertThat(layer.at("/metadata/gridmap:board").asText()).isEqualTo(board.code());
      String filter = layer.get("filter").toString();
      assertThat(filter)
          .contains("[\"==\",[\"get\",\"board\"],\"" + board.code() + "\"]")
          .contains(
              "[\"!\",[\"all\",[\"==\",[\"get\",\"urgency\"],\"urgent\"],[\"!\",[\"in\",[\"get\",\"status\"],[\"literal\",[\"closed\",\"rejected\"]]]]]]")
          .contains("[\"<=\",[\"to-number\",[\"get\",\"count\"],1],1]");
    }
  }

  @Test
  void keepsTheFourBoardColoursApart() {
    List<Colour> colours = List.of(BoardColour.values()).stream().map(BoardColour::colour).toList();
    for (int i = 0; i < colours.size(); i++) {
      for (int j = i + 1; j < colours.size(); j++) {
        assertThat(colours.get(i).distanceTo(colours.get(j)))
            .as("%s vs %s", colours.get(i), colours.get(j))
            .isGreaterThan(100);
      }
    }
  }

  @Test
  void drawsClustersAsSizedCirclesWithTheirCount() {
    ObjectNode style = StyleDocument.defaultStyle(BASE);
    String isCluster = "[\">\",[\"to-number\",[\"get\",\"count\"],1],1]";
    for (String group : List.of("key-sites", "forces", "events")) {
      ObjectNode circle = StyleWalker.layer(style, group + "-cluster");
      ObjectNode count = StyleWalker.layer(style, group + "-cluster-count");
      assertThat(circle.get("filter").toString()).isEqualTo(isCluster);
      assertThat(count.get("filter").toString()).isEqualTo(isCluster);
      assertThat(circle.at("/paint/circle-radius").toString())
          .startsWith("[\"interpolate\",[\"linear\"],[\"to-number\",[\"get\",\"count\"],1]");
      assertThat(count.at("/layout/text-field").toString())
          .isEqualTo("[\"to-string\",[\"to-number\",[\"get\",\"count\"],1]]");
      assertThat(count.at("/layout/text-allow-overlap").asBoolean()).isTrue();
    }
  }

  @Test
  void colourSitesByCategoryAndForcesByRoleWithOffDutyGrey() {
    ObjectNode style = StyleDocument.defaultStyle(BASE);
    String sites = StyleWalker.layer(style, "key-sites").at("/paint/circle-color").toString();
    for (SiteColour c : SiteColour.values()) {
      assertThat(sites).contains("\"" + c.code() + "\",\"" + c.colour().hex() + "\"");
    }
    String forces = StyleWalker.layer(style, "forces").at("/paint/circle-color").toString();
    assertThat(forces)
        .startsWith(
            "[\"case\",[\"==\",[\"get\",\"on_duty\"],false],\""
                + ForceColour.OFF_DUTY_COLOUR.hex()
                + "\"");
    for (ForceColour r : ForceColour.values()) {
      assertThat(forces).contains("\"" + r.code() + "\",\"" + r.colour().hex() + "\"");
    }
  }

  @Test
  void drawsBoundariesCoarserLevelsOnTopAndWider() {
    for (ObjectNode style : STYLES) {
      List<String> ids = StyleWalker.ids(style);
      assertThat(ids.indexOf("grids-line")).isLessThan(ids.indexOf("villages-line"));
      assertThat(ids.indexOf("villages-line")).isLessThan(ids.indexOf("streets-line"));
      assertThat(ids.indexOf("streets-line")).isLessThan(ids.indexOf("districts-line"));
      // at z14, where every level is drawn, each level is wider than the one below it
      double grid = widthAt14(StyleWalker.layer(style, "grids-line"));
      double village = widthAt14(StyleWalker.layer(style, "villages-line"));
      double street = widthAt14(StyleWalker.layer(style, "streets-line"));
      double district = widthAt14(StyleWalker.layer(style, "districts-line"));
      assertThat(grid).isLessThan(village);
      assertThat(village).isLessThan(street);
      assertThat(street).isLessThan(district);
    }
  }

  /** The line-width stop at zoom 14 of an interpolate-by-zoom expression. */
  private static double widthAt14(ObjectNode layer) {
    JsonNode w = layer.at("/paint/line-width");
    for (int i = 3; i + 1 < w.size(); i += 2) {
      if (w.get(i).asDouble() == 14) {
        return w.get(i + 1).asDouble();
      }
    }
    throw new AssertionError(layer.get("id") + " has no width stop at z14: " + w);
  }

  @Test
  void listsEveryLayerInAToggleGroupAndTheBoardsInMetadata() {
    ObjectNode style = StyleDocument.defaultStyle(BASE);
    JsonNode groups = style.at("/metadata/gridmap:groups");
    Set<String> grouped = new HashSet<>();
    groups.fields().forEachRemaining(e -> e.getValue().forEach(id -> grouped.add(id.asText())));
    assertThat(grouped)
        .containsExactlyInAnyOrderElementsOf(
            StyleWalker.ids(style).stream()
                .filter(id -> !id.equals("background"))
                .collect(Collectors.toSet()));
    assertThat(groups.path("grids").toString())
        .isEqualTo("[\"grids-fill\",\"grids-line\",\"labels-grid\"]");
    for (Board b : Board.values()) {
      JsonNode entry = style.at("/metadata/gridmap:boards/" + b.code());
      assertThat(entry.path("colour").asText()).isEqualTo(BoardColour.of(b).colour().hex());
      assertThat(entry.path("layer").asText()).isEqualTo(StyleLayers.events(b));
      assertThat(entry.path("label").asText()).isEqualTo(b.chineseName());
    }
    assertThat(style.at("/metadata/gridmap:urgent-colour").asText())
        .isEqualTo(AlertPalette.URGENT.hex());
  }

  @Test
  void themesDifferOnlyInPaint() {
    List<ObjectNode> light = StyleWalker.layers(StyleDocument.defaultStyle(BASE));
    List<ObjectNode> dark = StyleWalker.layers(StyleDocument.dark(BASE));
    for (int i = 0; i < light.size(); i++) {
      ObjectNode a = light.get(i).deepCopy();
      ObjectNode b = dark.get(i).deepCopy();
      a.remove("paint");
      b.remove("paint");
      assertThat(b).as(a.get("id").asText()).isEqualTo(a);
    }
    assertThat(StyleDocument.dark(BASE).at("/layers/0/paint/background-color").asText())
        .isNotEqualTo(
            StyleDocument.defaultStyle(BASE).at("/layers/0/paint/background-color").asText());
  }
}
