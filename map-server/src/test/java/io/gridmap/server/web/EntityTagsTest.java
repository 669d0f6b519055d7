package io.gridmap.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Feature;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.io.WKTReader;

/** A feature's ETag follows its stored version: every attribute, the outline, the personal flag. */
class EntityTagsTest {
  static final WKTReader WKT = new WKTReader();

  static Feature grid(String wkt, String name, Long population, boolean personal) throws Exception {
    Geometry g = WKT.read(wkt);
    Object[] v = new Object[Catalogue.GRIDS.fields().size()];
    v[Catalogue.GRIDS.fieldIndex("code")] = "500103001001001";
    v[Catalogue.GRIDS.fieldIndex("name")] = name;
    v[Catalogue.GRIDS.fieldIndex("population")] = population;
    return new Feature(500103001001001L, g, v, personal);
  }

  static String tag(Feature f) {
    return EntityTags.of(Catalogue.GRIDS, f);
  }

  static final String SQUARE = "POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))";

  @Test
  void everyPartOfTheVersionChangesTheTag() throws Exception {
    String base = tag(grid(SQUARE, "a", 10L, false));
    assertThat(base).matches("\"[0-9a-f]{16}\"");
    assertThat(tag(grid(SQUARE, "a", 10L, false))).isEqualTo(base);
    assertThat(tag(grid(SQUARE, "b", 10L, false))).as("an attribute").isNotEqualTo(base);
    assertThat(tag(grid(SQUARE, "a", 11L, false))).as("a number").isNotEqualTo(base);
    assertThat(tag(grid(SQUARE, "a", null, false))).as("a value removed").isNotEqualTo(base);
    assertThat(tag(grid(SQUARE, "a", 10L, true))).as("the personal flag").isNotEqualTo(base);
    assertThat(tag(grid("POLYGON ((0 0, 1 0, 1 1.0000001, 0 1, 0 0))", "a", 10L, false)))
        .as("a vertex moved by 1e-7")
        .isNotEqualTo(base);
  }

  @Test
  void anEqualOutlineInAnotherShapeIsTheSameVersion() throws Exception {
    String base = tag(grid(SQUARE, "a", 10L, false));
    assertThat(tag(grid("POLYGON ((0 0, 0 1, 1 1, 1 0, 0 0))", "a", 10L, false)))
        .as("the ring the other way round")
        .isEqualTo(base);
    assertThat(tag(grid("POLYGON ((1 1, 0 1, 0 0, 1 0, 1 1))", "a", 10L, false)))
        .as("another start")
        .isEqualTo(base);
    assertThat(tag(grid("MULTIPOLYGON (((0 0, 1 0, 1 1, 0 1, 0 0)))", "a", 10L, false)))
        .as("a one-part MultiPolygon")
        .isEqualTo(base);
  }

  @Test
  void ifMatchUsesTheStrongComparison() {
    assertThat(EntityTags.matches("\"a\"", "\"a\"")).isTrue();
    assertThat(EntityTags.matches("\"b\", \"a\"", "\"a\"")).isTrue();
    assertThat(EntityTags.matches("*", "\"a\"")).isTrue();
    assertThat(EntityTags.matches("W/\"a\"", "\"a\"")).isFalse();
    assertThat(EntityTags.matches("\"b\"", "\"a\"")).isFalse();
    assertThat(EntityTags.matches("a", "\"a\"")).as("a tag is quoted").isFalse();
  }

  @Test
  void incidentsKeepTheirRevisionTags() throws Exception {
    Object[] v = new Object[Catalogue.EVENTS.fields().size()];
    v[Catalogue.EVENTS.fieldIndex("revision")] = 3L;
    Feature incident = new Feature(42, WKT.read("POINT (106.5 29.5)"), v, false);
    assertThat(EntityTags.of(Catalogue.EVENTS, incident)).isEqualTo("\"42-3\"");
  }
}
