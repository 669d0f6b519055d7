package io.gridmap.tiler.pack;

import io.gridmap.layers.geo.WebMercator;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Feature;
import io.gridmap.tiler.geo.TileCoord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;

/**
 * The area a package covers: an admin unit by its code (its outline, so a long district does not
 * drag in the empty corners of its bounding box) or a bounding box in degrees. A package holds the
 * tiles that touch the area, each whole, exactly as the server serves it.
 *
 * @param description what the area is, for messages and the package's metadata
 * @param lonLatBounds the area's extent in degrees
 * @param outline the unit's outline in EPSG:3857, or null for a bbox
 */
public record ExportArea(String description, Envelope lonLatBounds, Geometry outline) {
  /** Code length -> the admin layer whose codes have it (GB/T 2260 and three digits a level). */
  private static final Map<Integer, String> LAYER_BY_CODE_LENGTH =
      Map.of(6, "districts", 9, "streets", 12, "villages", 15, "grids");

  private static final Pattern CODE = Pattern.compile("\\d+");

  /** What {@code --area} accepts, for messages. */
  public static final String FORMS =
      "a district code (6 digits, e.g. 500103), a street code (9 digits), a village (12) or grid"
          + " (15) code, a bbox minLon,minLat,maxLon,maxLat in degrees (e.g."
          + " 106.45,29.50,106.60,29.60), or 'all' for the whole city";

  /** A code of the index's admin layers or a bbox; IllegalArgumentException names what is wrong. */
  public static ExportArea parse(String spec, CityIndex index) {
    String s = spec == null ? "" : spec.trim();
    if (s.equalsIgnoreCase("all")) {
      return all(index);
    }
    if (s.contains(",")) {
      return bbox(s);
    }
    if (CODE.matcher(s).matches()) {
      return code(s, index);
    }
    throw new IllegalArgumentException("--area " + quote(spec) + " is not " + FORMS);
  }

  /** A bbox "minLon,minLat,maxLon,maxLat" in degrees. */
  public static ExportArea bbox(String spec) {
    String[] parts = spec.split(",");
    if (parts.length != 4) {
      throw new IllegalArgumentException(
          "--area " + quote(spec) + ": a bbox has 4 numbers, got " + parts.length + "; " + FORMS);
    }
    double[] v = new double[4];
    for (int i = 0; i < 4; i++) {
      try {
        v[i] = Double.parseDouble(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "--area " + quote(spec) + ": " + quote(parts[i].trim()) + " is not a number; " + FORMS);
      }
      if (!Double.isFinite(v[i])) {
        throw new IllegalArgumentException(
            "--area " + quote(spec) + ": " + parts[i].trim() + " is not a finite number");
      }
    }
    if (v[0] < -180 || v[2] > 180 || v[1] < -WebMercator.MAX_LAT || v[3] > WebMercator.MAX_LAT) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "--area %s: expected longitudes in -180..180 and latitudes in -%.4f..%.4f (Web"
                  + " Mercator's limit); is it lat,lon instead of lon,lat?",
              quote(spec),
              WebMercator.MAX_LAT,
              WebMercator.MAX_LAT));
    }
    if (v[0] >= v[2] || v[1] >= v[3]) {
      throw new IllegalArgumentException(
          "--area "
              + quote(spec)
              + ": expected minLon < maxLon and minLat < maxLat (minLon,minLat,maxLon,maxLat)");
    }
    Envelope e = new Envelope(v[0], v[2], v[1], v[3]);
    return new ExportArea("bbox " + spec.replace(" ", ""), e, null);
  }

  /**
   * The whole city: the outline of its districts (a coverage, so their union is cheap and exact),
   * without the empty corners of the city's bounding box (a third of it).
   */
  public static ExportArea all(CityIndex index) {
    Envelope bounds = index.lonLatBounds();
    if (bounds.isNull()) {
      throw new IllegalArgumentException("--area all: the store holds no features");
    }
    Geometry outline =
        index
            .findLayer("districts")
            .filter(l -> l.size() > 0)
            .map(
                l ->
                    org.locationtech.jts.coverage.CoverageUnion.union(
                        l.features().stream().map(Feature::geometry).toArray(Geometry[]::new)))
            .map(WebMercator::project)
            .orElse(null);
    return new ExportArea("the whole city", bounds, outline);
  }

  /** The unit with this code; unknown codes are an error naming the nearest codes. */
  public static ExportArea code(String code, CityIndex index) {
    String layerName = LAYER_BY_CODE_LENGTH.get(code.length());
    if (layerName == null) {
      throw new IllegalArgumentException(
          "--area " + code + " has " + code.length() + " digits; expected " + FORMS);
    }
    LayerIndex layer =
        index
            .findLayer(layerName)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "--area " + code + ": the store has no " + layerName + " layer"));
    int codeField = layer.def().fieldIndex("code");
    int nameField = layer.def().fieldIndex("name");
    List<Feature> units = layer.features();
    for (Feature f : units) {
      if (code.equals(f.value(codeField))) {
        Geometry outline = WebMercator.project(f.geometry());
        String name = nameField < 0 ? "" : " " + f.value(nameField);
        return new ExportArea(
            singular(layerName) + " " + code + name, f.geometry().getEnvelopeInternal(), outline);
      }
    }
    throw new IllegalArgumentException(
        "--area "
            + code
            + ": no "
            + singular(layerName)
            + " has this code; the nearest are "
            + nearest(code, units, codeField, nameField)
            + " (all of them: ogrinfo -ro STORE.gpkg "
            + layerName
            + " -sql \"SELECT code, name FROM "
            + layerName
            + "\", or GET /collections/"
            + layerName
            + "/items)");
  }

  /** Up to five codes sharing the longest prefix with {@code code}, numerically nearest first. */
  static String nearest(String code, List<Feature> units, int codeField, int nameField) {
    long wanted = Long.parseLong(code);
    List<Feature> sorted = new ArrayList<>(units);
    sorted.sort(
        Comparator.comparingInt((Feature f) -> -commonPrefix(code, (String) f.value(codeField)))
            .thenComparingLong(
                f -> Math.abs(Long.parseLong((String) f.value(codeField)) - wanted)));
    List<String> out = new ArrayList<>();
    for (Feature f : sorted.subList(0, Math.min(5, sorted.size()))) {
      out.add(f.value(codeField) + (nameField < 0 ? "" : " " + f.value(nameField)));
    }
    return out.isEmpty() ? "(none: the layer is empty)" : String.join(", ", out);
  }

  private static int commonPrefix(String a, String b) {
    int n = 0;
    while (n < a.length() && n < b.length() && a.charAt(n) == b.charAt(n)) {
      n++;
    }
    return n;
  }

  private static String singular(String layer) {
    return switch (layer) {
      case "districts" -> "district";
      case "streets" -> "street";
      case "villages" -> "village";
      default -> "grid";
    };
  }

  private static String quote(String s) {
    return "'" + s + "'";
  }

  /**
   * The tiles from {@code minZoom} to {@code maxZoom} that touch the area, by TileID ascending (the
   * order a PMTiles archive is clustered in). The whole city at z0-z14 is about 60k tiles.
   */
  public long[] tileIds(int minZoom, int maxZoom) {
    Envelope m = WebMercator.project(lonLatBounds);
    PreparedGeometry prepared = outline == null ? null : PreparedGeometryFactory.prepare(outline);
    GeometryFactory gf = new GeometryFactory();
    long[] ids = new long[1024];
    int n = 0;
    for (int z = minZoom; z <= maxZoom; z++) {
      TileCoord nw = TileCoord.containing(m.getMinX(), m.getMaxY(), z);
      TileCoord se = TileCoord.containing(m.getMaxX(), m.getMinY(), z);
      for (int x = nw.x(); x <= se.x(); x++) {
        for (int y = nw.y(); y <= se.y(); y++) {
          TileCoord c = new TileCoord(z, x, y);
          if (prepared != null && !prepared.intersects(gf.toGeometry(c.bounds()))) {
            continue;
          }
          if (n == ids.length) {
            ids = java.util.Arrays.copyOf(ids, n * 2);
          }
          ids[n++] = TileId.of(c);
        }
      }
    }
    long[] out = java.util.Arrays.copyOf(ids, n);
    java.util.Arrays.sort(out);
    return out;
  }

  /** A zoom at which the area fills a screen of about a thousand pixels, within the range. */
  public int centerZoom(int minZoom, int maxZoom) {
    double widthDegrees = Math.max(lonLatBounds.getWidth(), lonLatBounds.getHeight());
    int z = (int) Math.floor(Math.log(360 * 4 / Math.max(widthDegrees, 1e-9)) / Math.log(2));
    return Math.max(minZoom, Math.min(maxZoom, z));
  }
}
