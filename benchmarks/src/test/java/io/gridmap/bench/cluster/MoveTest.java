package io.gridmap.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class MoveTest {
  @Test
  void aMoveIsKnownAgainFromTheCoordinatesItWasWrittenWith() {
    Move m = Move.of(5001030000100L, 106.5712345, 29.5612345);
    JsonObject feature = new JsonObject(m.body()).getJsonArray("features").getJsonObject(0);
    JsonArray xy = feature.getJsonObject("geometry").getJsonArray("coordinates");

    assertThat(feature.getLong("id")).isEqualTo(5001030000100L);
    assertThat(Move.of(feature.getLong("id"), xy.getDouble(0), xy.getDouble(1))).isEqualTo(m);
  }

  @Test
  void positionsAreKeptToTheStoresPrecision() {
    // 106.0111 + 2e-6 is 106.01110200000001 in doubles; the store keeps 1e-7 degrees
    assertThat(Move.of(1, 106.0111 + 2e-6, 29.0111)).isEqualTo(Move.of(1, 106.011102, 29.0111));
    assertThat(Move.of(1, 106.0111, 29.0111)).isNotEqualTo(Move.of(1, 106.0111001, 29.0111));
  }
}
