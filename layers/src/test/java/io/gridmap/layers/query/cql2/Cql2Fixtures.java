package io.gridmap.layers.query.cql2;

import static io.gridmap.layers.model.FieldType.BOOLEAN;
import static io.gridmap.layers.model.FieldType.INTEGER;
import static io.gridmap.layers.model.FieldType.REAL;
import static io.gridmap.layers.model.FieldType.STRING;
import static io.gridmap.layers.model.FieldType.TIMESTAMP;

import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Field;
import io.gridmap.layers.model.GeometryKind;
import io.gridmap.layers.model.LayerDef;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;

/**
 * A small hand-made layer with every field type, a personal field and nulls, and five features
 * around Chongqing whose answers to the tests' filters were worked out by hand.
 */
final class Cql2Fixtures {
  private Cql2Fixtures() {}

  static final GeometryFactory GF = new GeometryFactory();

  static final LayerDef SITES =
      new LayerDef(
          "sites",
          "test sites",
          GeometryKind.POINT,
          List.of(
              Field.tiled("name", STRING, "name"),
              Field.tiled("category", STRING, "category"),
              Field.plain("population", INTEGER, "residents"),
              Field.plain("area", REAL, "square km"),
              Field.plain("urban", BOOLEAN, "urban"),
              Field.plain("reported_at", TIMESTAMP, "reported"),
              Field.plain("closed_at", TIMESTAMP, "closed"),
              Field.personal("worker_name", STRING, "a person's name")),
          0,
          14,
          false,
          false);

  /** Every non-personal field plus geometry, geom, id. */
  static final Queryables PUBLIC = Queryables.withoutPersonal(SITES);

  /** Point at Jiefangbei, inside feature 5. */
  static final Feature F1 =
      feature(
          1,
          point(106.577, 29.557),
          "Jiefangbei",
          "fire",
          1200L,
          2.5,
          true,
          t("2024-05-01T08:00:00Z"),
          t("2024-05-01T10:00:00Z"),
          "Li Wei");

  static final Feature F2 =
      feature(
          2,
          point(106.449, 29.579),
          "Ciqikou",
          "flood",
          800L,
          1.0,
          true,
          t("2024-05-02T12:00:00Z"),
          null,
          "Wang Fang");

  static final Feature F3 =
      feature(
          3,
          point(105.594, 29.404),
          "Rongchang",
          "fire",
          null,
          10.25,
          false,
          t("2024-04-30T23:59:59Z"),
          null,
          null);

  /** A 0.02 degree square; every optional value null. */
  static final Feature F4 =
      feature(
          4,
          box(106.50, 29.50, 106.52, 29.52),
          "O'Brien's 100% site",
          "manhole_cover",
          50L,
          null,
          null,
          null,
          null,
          null);

  /** A 0.05 degree square containing F1's point. */
  static final Feature F5 =
      feature(
          5,
          box(106.55, 29.55, 106.60, 29.60),
          "north_gate",
          "FIRE",
          1200L,
          0.5,
          false,
          t("2024-05-03T00:00:00Z"),
          t("2024-05-04T00:00:00Z"),
          "Zhao Lei");

  static final List<Feature> ALL = List.of(F1, F2, F3, F4, F5);

  static Feature feature(
      long id,
      Geometry g,
      String name,
      String category,
      Long population,
      Double area,
      Boolean urban,
      Long reported,
      Long closed,
      String worker) {
    return new Feature(
        id,
        g,
        new Object[] {name, category, population, area, urban, reported, closed, worker},
        false);
  }

  static Geometry point(double x, double y) {
    return GF.createPoint(new Coordinate(x, y));
  }

  static Geometry box(double minX, double minY, double maxX, double maxY) {
    return GF.toGeometry(new Envelope(minX, maxX, minY, maxY));
  }

  static Long t(String iso) {
    return Instant.parse(iso).toEpochMilli();
  }

  /** Ids of the features that a cql2-text filter matches, evaluated in memory. */
  static Set<Long> matching(String text) {
    var p = Cql2.bind(Cql2.parseText(text), PUBLIC).toPredicate();
    Set<Long> ids = new TreeSet<>();
    for (Feature f : ALL) {
      if (p.test(f)) {
        ids.add(f.id());
      }
    }
    return ids;
  }
}
