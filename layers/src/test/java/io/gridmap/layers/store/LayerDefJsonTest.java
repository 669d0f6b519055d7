package io.gridmap.layers.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.layers.testing.TestImports;
import org.junit.jupiter.api.Test;

class LayerDefJsonTest {
  @Test
  void everyDefinitionComesBackEqual() {
    for (LayerDef def : Catalogue.ALL) {
      assertThat(LayerDefJson.read(LayerDefJson.write(def))).isEqualTo(def);
    }
    assertThat(LayerDefJson.read(LayerDefJson.write(TestImports.ROSTER)))
        .isEqualTo(TestImports.ROSTER);
    assertThat(LayerDefJson.read(LayerDefJson.write(TestImports.PARKS)))
        .isEqualTo(TestImports.PARKS);
  }

  @Test
  void theStoredFormNamesEveryMemberAndKeepsChineseText() {
    String json = LayerDefJson.write(TestImports.ROSTER);
    assertThat(json)
        .contains("\"staffOnly\":true", "\"clustered\":false", "\"live\":true")
        .contains("\"title\":\"值班名册\"", "\"personal\":true", "\"inTiles\":true")
        .contains("\"type\":\"TIMESTAMP\"", "\"minZoom\":10", "\"maxZoom\":14");
  }

  @Test
  void aMissingMemberIsNamed() {
    String json = LayerDefJson.write(TestImports.PARKS).replace("\"staffOnly\":false,", "");
    assertThatThrownBy(() -> LayerDefJson.read(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lacks member staffOnly");
    assertThatThrownBy(() -> LayerDefJson.read("{not json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected a layer definition");
  }
}
