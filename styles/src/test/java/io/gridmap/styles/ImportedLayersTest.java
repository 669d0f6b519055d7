package io.gridmap.styles;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridmap.layers.model.Field;
import io.gridmap.layers.model.FieldType;
import io.gridmap.layers.model.GeometryKind;
import io.gridmap.layers.model.LayerDef;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImportedLayersTest {
  private static final String BASE = "http://127.0.0.1:8080";

  static LayerDef def(String name, GeometryKind kind, int min, int max, boolean clustered) {
    return new LayerDef(
        name,
        name,
        kind,
        List.of(Field.tiled("name", FieldType.STRING, "name")),
        min,
        max,
        false,
        false,
        false,
        clustered);
  }

  static final List<LayerDef> IMPORTED =
      List.of(
          def("school_zones", GeometryKind.POLYGON, 8, 14, false),
          def("rosters", GeometryKind.POINT, 10, 14, false),
          def("hydrants", GeometryKind.POINT, 12, 13, true));

  @Test
  void polygonsGetAFaintFillUnderAThinOutlineAboveTheAdminBoundariesAndBelowThePoints() {
    ObjectNode style = StyleDocument.of(Theme.LIGHT, BASE, IMPORTED);
    List<String> ids = StyleWalker.ids(style);
    assertThat(ids)
        .containsSubsequence(
            StyleLayers.DISTRICTS_LINE,
            "imported-school_zones-fill",
            "imported-school_zones-line",
            StyleLayers.KEY_SITES_CLUSTER);
    JsonNode fill = StyleWalker.layer(style, "imported-school_zones-fill");
    assertThat(fill.get("source-layer").asText()).isEqualTo("school_zones");
    assertThat(fill.get("minzoom").asInt()).isEqualTo(8);
    assertThat(fill.has("maxzoom")).as("drawn to z14 and overzoomed beyond").isFalse();
    assertThat(fill.at("/paint/fill-opacity").asDouble()).isLessThan(0.2);
    assertThat(fill.at("/metadata/gridmap:group").asText()).isEqualTo("school_zones");
  }

  @Test
  void pointsAreCirclesWithCountedClustersOnlyWhenTheLayerIsClustered() {
    ObjectNode style = StyleDocument.of(Theme.DARK, BASE, IMPORTED);
    List<String> ids = StyleWalker.ids(style);
    assertThat(ids).contains("imported-rosters-point").doesNotContain("imported-rosters-cluster");
    assertThat(StyleWalker.layer(style, "imported-rosters-point").has("filter")).isFalse();
    assertThat(ids)
        .containsSubsequence(
            StyleLayers.EVENTS_CLUSTER,
            "imported-hydrants-cluster",
            "imported-hydrants-cluster-count",
            "imported-hydrants-point");
    JsonNode count = StyleWalker.layer(style, "imported-hydrants-cluster-count");
    assertThat(count.at("/layout/text-field").toString()).contains("count");
    // a layer that stops at z13 is not drawn from z14 on
    assertThat(StyleWalker.layer(style, "imported-hydrants-point").get("maxzoom").asInt())
        .isEqualTo(14);
    assertThat(StyleWalker.layer(style, "imported-hydrants-point").get("minzoom").asInt())
        .isEqualTo(12);
  }

  @Test
  void aLayerKeepsOneColourDerivedFromItsNameFarFromTheUrgentRed() {
    assertThat(ImportedLayers.colour("rosters")).isEqualTo(ImportedLayers.colour("rosters"));
    assertThat(ImportedLayers.colour("rosters")).isNotEqualTo(ImportedLayers.colour("schools"));
    for (String name :
        List.of("rosters", "schools", "new_grids", "a", "b", "hydrants", "parks", "wells")) {
      assertThat(ImportedLayers.colour(name).distanceTo(AlertPalette.URGENT))
          .as(name)
          .isGreaterThanOrEqualTo(AlertPalette.MIN_DISTANCE_FROM_OTHERS);
    }
    ObjectNode light = StyleDocument.of(Theme.LIGHT, BASE, IMPORTED);
    assertThat(StyleWalker.colours(StyleWalker.layer(light, "imported-school_zones-line")))
        .contains(ImportedLayers.colour("school_zones"));
  }

  @Test
  void withoutImportedLayersTheStyleIsTheCataloguesAlone() {
    assertThat(StyleDocument.of(Theme.LIGHT, BASE, List.of()))
        .isEqualTo(StyleDocument.defaultStyle(BASE));
  }
}
