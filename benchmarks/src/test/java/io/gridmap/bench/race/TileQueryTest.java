package io.gridmap.bench.race;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridmap.bench.race.TileQuery.Param;
import org.junit.jupiter.api.Test;

class TileQueryTest {
  @Test
  void namedHolesBecomePositionalParametersInOrder() {
    TileQuery q =
        TileQuery.of("SELECT ST_TileEnvelope({z}, {x}, {y}) WHERE x::float8 > {ox} AND z = {z}");

    assertThat(q.sql()).isEqualTo("SELECT ST_TileEnvelope(?, ?, ?) WHERE x::float8 > ? AND z = ?");
    assertThat(q.params()).containsExactly(Param.Z, Param.X, Param.Y, Param.ORIGIN_X, Param.Z);
  }

  @Test
  void anUnknownHoleIsRefusedByName() {
    assertThatThrownBy(() -> TileQuery.of("SELECT {zoom}")).hasMessageContaining("{zoom}");
  }
}
