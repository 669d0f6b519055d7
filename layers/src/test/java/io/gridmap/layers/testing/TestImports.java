package io.gridmap.layers.testing;

import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Field;
import io.gridmap.layers.model.FieldType;
import io.gridmap.layers.model.GeometryKind;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.layers.store.LayerImport;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.locationtech.jts.geom.Geometry;

/**
 * Imported layers for the store tests, the same every time: a staff-only point roster with a field
 * of every type (a personal name among them, Chinese text, a null in each field, a personal
 * feature), and a polygon layer of parks with its generalised polygons at three zooms.
 */
public final class TestImports {
  private TestImports() {}

  public static final LayerDef ROSTER =
      new LayerDef(
          "duty_roster",
          "值班名册",
          GeometryKind.POINT,
          List.of(
              Field.personal("officer", FieldType.STRING, "姓名"),
              Field.tiled("post", FieldType.STRING, "岗位"),
              Field.plain("shift_count", FieldType.INTEGER, "shifts this month"),
              Field.plain("rating", FieldType.REAL, ""),
              Field.plain("armed", FieldType.BOOLEAN, "carries a weapon"),
              Field.plain("on_duty_since", FieldType.TIMESTAMP, "start of the shift")),
          10,
          14,
          false,
          true,
          true,
          false);

  public static final LayerDef PARKS =
      new LayerDef(
          "parks",
          "公园",
          GeometryKind.POLYGON,
          List.of(
              Field.tiled("name", FieldType.STRING, "公园名称"),
              Field.plain("area_m2", FieldType.REAL, "area"),
              Field.plain("opened", FieldType.TIMESTAMP, "")),
          12,
          14,
          false,
          false);

  public static final String AUDIT =
      "{\"actor\":\"importer-1\",\"action\":\"layer.import\",\"layer\":\"%s\",\"source\":\"公园.shp\"}";

  public static LayerImport roster() {
    return new LayerImport(
        ROSTER,
        List.of(
            new Feature(
                1,
                TestDatasets.point(106.01, 29.01),
                new Object[] {"张伟", "解放碑岗", 12L, 4.5, true, TestDatasets.T0},
                false),
            new Feature(
                2,
                TestDatasets.point(106.02, 29.02),
                new Object[] {null, null, null, null, null, null},
                false),
            new Feature(
                7,
                TestDatasets.point(106.03, 29.03),
                new Object[] {"李娜\t\"引号\"\\", "朝天门", 0L, -1.25, false, 0L},
                true)),
        Map.of(),
        AUDIT.formatted(ROSTER.name()));
  }

  /** Two parks, one a MultiPolygon (the layer's Polygons are then stored promoted). */
  public static LayerImport parks() {
    Geometry a = TestDatasets.box(106.00, 29.00, 106.01, 29.01);
    Geometry b =
        a.getFactory()
            .createMultiPolygon(
                new org.locationtech.jts.geom.Polygon[] {
                  TestDatasets.box(106.05, 29.05, 106.06, 29.06),
                  TestDatasets.box(106.07, 29.05, 106.08, 29.06)
                });
    return new LayerImport(
        PARKS,
        List.of(
            new Feature(10, a, new Object[] {"人民公园", 1_234.5, TestDatasets.T0}, false),
            new Feature(11, b, new Object[] {"鹅岭公园", null, null}, false)),
        generalised(10, 11),
        AUDIT.formatted(PARKS.name()));
  }

  /** The parks again, one gone, one changed, one new. */
  public static LayerImport parksAgain() {
    return new LayerImport(
        PARKS,
        List.of(
            new Feature(
                11,
                TestDatasets.box(106.05, 29.05, 106.06, 29.06),
                new Object[] {"鹅岭公园（新）", 99.0, null},
                false),
            new Feature(
                12,
                TestDatasets.box(106.10, 29.10, 106.11, 29.11),
                new Object[] {null, null, null},
                true)),
        generalised(11, 12),
        AUDIT.formatted(PARKS.name()));
  }

  /** Per zoom 12-14 a Web Mercator square per id, smaller at lower zooms. */
  static Map<Integer, Map<Long, Geometry>> generalised(long... ids) {
    Map<Integer, Map<Long, Geometry>> out = new TreeMap<>();
    for (int z = 12; z <= 14; z++) {
      Map<Long, Geometry> byId = new TreeMap<>();
      for (long id : ids) {
        double x = 11_800_000 + id * 1000;
        double size = 100 * (z - 11);
        byId.put(id, TestDatasets.box(x, 3_380_000, x + size, 3_380_000 + size));
      }
      out.put(z, byId);
    }
    return out;
  }
}
