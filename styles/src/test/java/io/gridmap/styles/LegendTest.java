package io.gridmap.styles;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridmap.layers.model.Board;
import org.junit.jupiter.api.Test;

class LegendTest {

  @Test
  void listsTheFourBoardsInTheirColours() {
    Legend legend = Legend.of(Theme.LIGHT);

    assertThat(legend.group("boards")).hasSize(4);
    for (Board b : Board.values()) {
      assertThat(legend.group("boards"))
          .anySatisfy(
              e -> {
                assertThat(e.key()).isEqualTo(b.code());
                assertThat(e.label()).isEqualTo(b.chineseName());
                assertThat(e.colour()).isEqualTo(BoardColour.of(b).colour());
              });
    }
  }

  @Test
  void everyEntryIsPaintedByTheLayerItNames() {
    for (Theme theme : Theme.ALL) {
      ObjectNode style = StyleDocument.of(theme, "http://127.0.0.1:8080");
      for (Legend.Entry e : Legend.of(theme).entries()) {
        assertThat(StyleWalker.colours(StyleWalker.layer(style, e.layerId())))
            .as("%s in %s", e.key(), e.layerId())
            .contains(e.colour());
      }
    }
  }

  @Test
  void hasOneUrgentEntryInTheReservedColour() {
    Legend legend = Legend.of(Theme.DARK);

    assertThat(legend.entries())
        .filteredOn(e -> e.colour().equals(AlertPalette.URGENT))
        .singleElement()
        .satisfies(e -> assertThat(e.layerId()).isEqualTo(StyleLayers.EVENTS_URGENT));
  }

  @Test
  void writesJsonForTheViewer() {
    ObjectNode json = Legend.of(Theme.LIGHT).toJson();

    assertThat(json.get("theme").asText()).isEqualTo("default");
    assertThat(json.at("/entries/0").toString())
        .isEqualTo(
            "{\"group\":\"boundaries\",\"key\":\"district\",\"label\":\"区县界\",\"colour\":\"#5b3f8c\",\"layer\":\"districts-line\"}");
  }
}
