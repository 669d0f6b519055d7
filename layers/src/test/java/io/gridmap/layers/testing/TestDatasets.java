package io.gridmap.layers.testing;

import io.gridmap.layers.geo.WebMercator;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.DatasetMetadata;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Generalised;
import io.gridmap.layers.model.Hotspot;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.model.LayerDef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.simplify.DouglasPeuckerSimplifier;

/**
 * Small hand-made datasets for tests, the same every time.
 *
 * <p>{@link #tiny()} is a two-district city near Chongqing's centre: every admin level tiles its
 * parent exactly (district B has an exclave, so districts mix Polygon and MultiPolygon; one grid is
 * a ring around another), points carry every field type with nulls in each, one key site is
 * personal, and there are generalised polygons at three zooms and two hotspots.
 */
public final class TestDatasets {
  private TestDatasets() {}

  private static final GeometryFactory GF = new GeometryFactory();

  /** 2024-05-01T08:30:00.123Z */
  public static final long T0 = Instant.parse("2024-05-01T08:30:00.123Z").toEpochMilli();

  public static Dataset tiny() {
    List<Layer> layers = new ArrayList<>();

    layers.add(
        layer(
            Catalogue.DISTRICTS,
            feature(
                500103,
                box(106.00, 29.00, 106.10, 29.10),
                "500103",
                "渝中区",
                650_000L,
                280_000L,
                true),
            feature(
                500104,
                GF.createMultiPolygon(
                    new Polygon[] {
                      box(106.10, 29.00, 106.20, 29.10), box(106.25, 29.00, 106.26, 29.01)
                    }),
                "500104",
                "大渡口区",
                420_000L,
                null,
                null)));

    layers.add(
        layer(
            Catalogue.STREETS,
            feature(
                500103001,
                box(106.00, 29.00, 106.05, 29.10),
                "500103001",
                "解放碑街道",
                "subdistrict",
                "500103",
                300_000L,
                130_000L,
                106.025,
                29.05),
            feature(
                500103002,
                box(106.05, 29.00, 106.10, 29.10),
                "500103002",
                "朝天门街道",
                "subdistrict",
                "500103",
                350_000L,
                150_000L,
                106.07,
                29.06),
            feature(
                500104001,
                box(106.10, 29.00, 106.20, 29.10),
                "500104001",
                "跳磴镇",
                "town",
                "500104",
                400_000L,
                170_000L,
                null,
                null),
            feature(
                500104002,
                box(106.25, 29.00, 106.26, 29.01),
                "500104002",
                "江心乡",
                "township",
                "500104",
                20_000L,
                9_000L,
                106.255,
                29.005)));

    layers.add(
        layer(
            Catalogue.VILLAGES,
            feature(
                500103001001L,
                box(106.00, 29.00, 106.05, 29.05),
                "500103001001",
                "较场口社区",
                "community",
                "500103001",
                "500103",
                150_000L,
                65_000L),
            feature(
                500103001002L,
                box(106.00, 29.05, 106.05, 29.10),
                "500103001002",
                "七星岗社区",
                "community",
                "500103001",
                "500103",
                150_000L,
                65_000L),
            feature(
                500103002001L,
                box(106.05, 29.00, 106.10, 29.10),
                "500103002001",
                "朝东路社区",
                "community",
                "500103002",
                "500103",
                350_000L,
                150_000L),
            feature(
                500104001001L,
                box(106.10, 29.00, 106.20, 29.10),
                "500104001001",
                "新华村",
                "village",
                "500104001",
                "500104",
                400_000L,
                170_000L),
            feature(
                500104002001L,
                box(106.25, 29.00, 106.26, 29.01),
                "500104002001",
                "江心村",
                "village",
                "500104002",
                "500104",
                20_000L,
                9_000L)));

    // each village halved west/east, except 500103002001: a ring grid around a square grid
    List<Feature> grids = new ArrayList<>();
    grids.add(
        grid(
            500103001001001L,
            box(106.00, 29.00, 106.025, 29.05),
            "500103001001",
            75_000L,
            1L,
            "张伟"));
    grids.add(
        grid(
            500103001001002L,
            box(106.025, 29.00, 106.05, 29.05),
            "500103001001",
            75_000L,
            2L,
            null));
    grids.add(
        grid(
            500103001002001L,
            box(106.00, 29.05, 106.025, 29.10),
            "500103001002",
            75_000L,
            null,
            "李娜"));
    grids.add(
        grid(
            500103001002002L,
            box(106.025, 29.05, 106.05, 29.10),
            "500103001002",
            75_000L,
            4L,
            "王芳"));
    grids.add(
        grid(
            500103002001001L,
            ring(106.05, 29.00, 106.10, 29.10, 106.07, 29.04, 106.08, 29.06),
            "500103002001",
            300_000L,
            5L,
            "刘洋"));
    grids.add(
        grid(
            500103002001002L,
            box(106.07, 29.04, 106.08, 29.06),
            "500103002001",
            50_000L,
            6L,
            "陈静"));
    grids.add(
        grid(
            500104001001001L,
            box(106.10, 29.00, 106.15, 29.10),
            "500104001001",
            200_000L,
            7L,
            "杨磊"));
    grids.add(
        grid(
            500104001001002L,
            box(106.15, 29.00, 106.20, 29.10),
            "500104001001",
            200_000L,
            8L,
            "赵敏"));
    grids.add(
        grid(
            500104002001001L,
            box(106.25, 29.00, 106.255, 29.01),
            "500104002001",
            10_000L,
            9L,
            "黄强"));
    grids.add(
        grid(
            500104002001002L,
            box(106.255, 29.00, 106.26, 29.01),
            "500104002001",
            10_000L,
            10L,
            "周丽"));
    layers.add(new Layer(Catalogue.GRIDS, grids));

    layers.add(
        new Layer(
            Catalogue.KEY_SITES,
            List.of(
                new Feature(
                    1,
                    point(106.01, 29.01),
                    new Object[] {"school", "人和街小学", "500103001001001", "50010300100100101", null},
                    false),
                new Feature(
                    2,
                    point(106.12, 29.05),
                    new Object[] {"clinic", null, "500104001001001", "50010400100100101", null},
                    false),
                new Feature(
                    3,
                    point(106.075, 29.05),
                    new Object[] {
                      "elderly_alone",
                      "独居老人住所",
                      "500103002001002",
                      "50010300200100201",
                      "wb-3 smoke-3"
                    },
                    true))));

    layers.add(
        new Layer(
            Catalogue.FORCES,
            List.of(
                new Feature(
                    1,
                    point(106.012, 29.02),
                    new Object[] {
                      "grid_worker", true, "500103001001001", "张伟", T0, "50010300100100100"
                    },
                    false),
                new Feature(
                    2,
                    point(106.03, 29.03),
                    new Object[] {
                      "police", false, "500103001001002", null, T0 - 3_600_000L, "50010300100100201"
                    },
                    false),
                new Feature(
                    3,
                    point(106.16, 29.09),
                    new Object[] {"volunteer", null, null, "赵敏", null, null},
                    false))));

    layers.add(
        new Layer(
            Catalogue.EVENTS,
            List.of(
                new Feature(
                    1,
                    point(106.013, 29.011),
                    event(
                        "manhole_cover",
                        "safety_law",
                        "normal",
                        "closed",
                        T0,
                        T0 + 86_400_000L,
                        "500103001001001"),
                    false),
                new Feature(
                    2,
                    point(106.014, 29.012),
                    event(
                        "manhole_cover",
                        "safety_law",
                        "normal",
                        "open",
                        T0 + 1,
                        null,
                        "500103001001001"),
                    false),
                new Feature(
                    3,
                    point(106.18, 29.02),
                    event(
                        "elderly_alarm",
                        "livelihood",
                        "urgent",
                        "in_progress",
                        0L,
                        null,
                        "500104001001002"),
                    false),
                // before 1970 and with a zero millisecond part: both edges of the timestamp text
                new Feature(
                    4,
                    point(106.255, 29.005),
                    event(
                        "flood",
                        "safety_law",
                        "urgent",
                        "closed",
                        -86_400_000L * 365,
                        1_700_000_000_000L,
                        null),
                    false))));

    Generalised generalised = Generalised.empty();
    for (LayerDef def : Catalogue.ADMIN_LEVELS) {
      Layer layer =
          layers.stream().filter(l -> l.name().equals(def.name())).findFirst().orElseThrow();
      for (int zoom : new int[] {8, 12, 14}) {
        Map<Long, Geometry> byId = new HashMap<>();
        for (Feature f : layer.features()) {
          // at zoom 8 the exclave (about 1 km) is below a pixel and is dropped
          if (zoom == 8 && f.geometry().getEnvelopeInternal().getWidth() < 0.02) {
            continue;
          }
          Geometry m = WebMercator.project(f.geometry());
          byId.put(
              f.id(),
              zoom == 14 ? m : DouglasPeuckerSimplifier.simplify(m, 10.0 * (1 << (14 - zoom))));
        }
        generalised.put(def.name(), zoom, byId);
      }
    }

    Map<String, Integer> counts = new LinkedHashMap<>();
    layers.forEach(l -> counts.put(l.name(), l.size()));
    DatasetMetadata metadata =
        new DatasetMetadata(
            "tiny",
            42L,
            0.001,
            List.of("500103", "500104"),
            "2024-05-01T00:00:00Z",
            counts,
            List.of(
                new Hotspot(
                    "manhole_cover",
                    106.0135,
                    29.0115,
                    150.0,
                    2,
                    T0,
                    T0 + 1,
                    "broken resin manhole covers on 人和街"),
                new Hotspot(
                    "flood",
                    106.255,
                    29.005,
                    0.1,
                    1,
                    -86_400_000L * 365,
                    -86_400_000L * 365,
                    "a one-event edge case")),
            Map.of("source", "TestDatasets.tiny()", "说明", "两个区县的小城市"));
    return Dataset.of(layers, metadata, generalised);
  }

  /** An axis-aligned rectangle, counter-clockwise from its south-west corner. */
  public static Polygon box(double minX, double minY, double maxX, double maxY) {
    return GF.createPolygon(
        new Coordinate[] {
          new Coordinate(minX, minY),
          new Coordinate(maxX, minY),
          new Coordinate(maxX, maxY),
          new Coordinate(minX, maxY),
          new Coordinate(minX, minY)
        });
  }

  public static Point point(double lon, double lat) {
    return GF.createPoint(new Coordinate(lon, lat));
  }

  private static Polygon ring(
      double minX,
      double minY,
      double maxX,
      double maxY,
      double holeMinX,
      double holeMinY,
      double holeMaxX,
      double holeMaxY) {
    LinearRing shell = box(minX, minY, maxX, maxY).getExteriorRing();
    LinearRing hole = box(holeMinX, holeMinY, holeMaxX, holeMaxY).reverse().getExteriorRing();
    return GF.createPolygon(shell, new LinearRing[] {hole});
  }

  private static Layer layer(LayerDef def, Feature... features) {
    return new Layer(def, List.of(features));
  }

  private static Feature feature(long id, Geometry g, Object... values) {
    return new Feature(id, g, values, false);
  }

  private static Feature grid(
      long id, Polygon g, String villageCode, long population, Long workerId, String workerName) {
    String code = Long.toString(id);
    return new Feature(
        id,
        g,
        new Object[] {
          code,
          "第" + (id % 1000) + "网格",
          villageCode,
          villageCode.substring(0, 9),
          villageCode.substring(0, 6),
          population,
          population / 2,
          workerId,
          workerName
        },
        false);
  }

  /**
   * An event's values: the generated history's first seven fields (category, board, urgency,
   * status, reported_at, closed_at, grid_code), the loop's fields at their defaults.
   */
  public static Object[] event(Object... firstSeven) {
    Object[] v = new Object[Catalogue.EVENTS.fields().size()];
    System.arraycopy(firstSeven, 0, v, 0, firstSeven.length);
    v[Catalogue.EVENTS.fieldIndex("source")] = "generated";
    v[Catalogue.EVENTS.fieldIndex("pinned")] = false;
    v[Catalogue.EVENTS.fieldIndex("overdue")] = false;
    v[Catalogue.EVENTS.fieldIndex("revision")] = 1L;
    return v;
  }
}
