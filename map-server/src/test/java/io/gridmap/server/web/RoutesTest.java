package io.gridmap.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RoutesTest {

  @Test
  void aVertxPathBecomesAPatternWithParametersAndWildcards() {
    assertThat(
            Routes.pathPattern("/collections/:id/items/:fid")
                .matcher("/collections/a/items/7")
                .matches())
        .isTrue();
    assertThat(
            Routes.pathPattern("/collections/:id/items/:fid")
                .matcher("/collections/a/items")
                .matches())
        .isFalse();
    assertThat(Routes.pathPattern("/collections/:id").matcher("/collections/a/").matches())
        .isTrue();
    assertThat(Routes.pathPattern("/query/*").matcher("/query/locate").matches()).isTrue();
    assertThat(Routes.pathPattern("/a.b").matcher("/axb").matches())
        .as("dots are literal")
        .isFalse();
  }
}
