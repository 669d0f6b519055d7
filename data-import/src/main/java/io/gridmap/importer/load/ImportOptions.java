package io.gridmap.importer.load;

import io.gridmap.importer.crs.SourceCrs;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What an import is asked to do, as {@code mapserver import} (or {@code POST /imports}) states it.
 *
 * @param layer the layer to create or re-import into
 * @param title the layer's human title; empty for the name
 * @param crs {@code --crs}: the source coordinates, over what the file declares
 * @param map our field name -> the file's column name ({@code --map name=MC,code=DM}); columns not
 *     named keep their own name, made snake_case
 * @param staffOnly {@code --visibility staff} (true) or {@code public}; empty keeps a re-imported
 *     layer's, and makes a new layer staff only (rosters are personal)
 * @param personal our field names whose values identify a person: never tiled, never public; a
 *     field personal in the layer before stays personal
 * @param tiled our field names tiles carry; empty keeps a field's choice of the layer before, and
 *     tiles every other field that is not personal
 * @param minZoom first zoom the tiles draw the layer; empty for the layer's before, else the
 *     default of its kind
 * @param maxZoom last zoom; empty for the layer's before, else 14
 * @param clustered for points: clusters below z14, or every point at every zoom; empty for the
 *     layer's before, else clustered
 * @param replace features of the layer that the file does not hold are removed (else kept)
 * @param repair invalid polygons are fixed (JTS {@code GeometryFixer}) and counted, not refused
 * @param dryRun read, check and compare, write nothing
 */
public record ImportOptions(
    String layer,
    String title,
    Optional<SourceCrs> crs,
    Map<String, String> map,
    Optional<Boolean> staffOnly,
    Set<String> personal,
    Set<String> tiled,
    Optional<Integer> minZoom,
    Optional<Integer> maxZoom,
    Optional<Boolean> clustered,
    boolean replace,
    boolean repair,
    boolean dryRun) {

  /** Points are drawn from z10 (a street's scale), polygons from z8 (a district's). */
  public static final int DEFAULT_POINT_MIN_ZOOM = 10;

  public static final int DEFAULT_POLYGON_MIN_ZOOM = 8;

  public ImportOptions {
    Objects.requireNonNull(layer, "layer");
    title = title == null ? "" : title;
    map = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(map));
    personal = Set.copyOf(personal);
    tiled = Set.copyOf(tiled);
  }

  /** The defaults: as the layer was, or staff only and clustered; kept, checked, written. */
  public static ImportOptions defaults(String layer) {
    return new ImportOptions(
        layer,
        "",
        Optional.empty(),
        Map.of(),
        Optional.empty(),
        Set.of(),
        Set.of(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        false,
        false,
        false);
  }

  public ImportOptions withMap(Map<String, String> m) {
    return new ImportOptions(
        layer, title, crs, m, staffOnly, personal, tiled, minZoom, maxZoom, clustered, replace,
        repair, dryRun);
  }

  public ImportOptions withCrs(SourceCrs c) {
    return new ImportOptions(
        layer,
        title,
        Optional.of(c),
        map,
        staffOnly,
        personal,
        tiled,
        minZoom,
        maxZoom,
        clustered,
        replace,
        repair,
        dryRun);
  }

  public ImportOptions withVisibility(boolean staff) {
    return new ImportOptions(
        layer,
        title,
        crs,
        map,
        Optional.of(staff),
        personal,
        tiled,
        minZoom,
        maxZoom,
        clustered,
        replace,
        repair,
        dryRun);
  }

  public ImportOptions withFields(Set<String> personalFields, Set<String> tiledFields) {
    return new ImportOptions(
        layer,
        title,
        crs,
        map,
        staffOnly,
        personalFields,
        tiledFields,
        minZoom,
        maxZoom,
        clustered,
        replace,
        repair,
        dryRun);
  }

  public ImportOptions withZooms(
      Optional<Integer> min, Optional<Integer> max, Optional<Boolean> cluster) {
    return new ImportOptions(
        layer, title, crs, map, staffOnly, personal, tiled, min, max, cluster, replace, repair,
        dryRun);
  }

  public ImportOptions withWrite(boolean replaceAll, boolean repairAll, boolean dry) {
    return new ImportOptions(
        layer,
        title,
        crs,
        map,
        staffOnly,
        personal,
        tiled,
        minZoom,
        maxZoom,
        clustered,
        replaceAll,
        repairAll,
        dry);
  }

  public ImportOptions withTitle(String t) {
    return new ImportOptions(
        layer, t, crs, map, staffOnly, personal, tiled, minZoom, maxZoom, clustered, replace,
        repair, dryRun);
  }

  /**
   * Parses {@code --map} values: {@code name=MC,code=DM}, each ours=theirs, possibly repeated.
   *
   * @throws IllegalArgumentException naming the pair that is not ours=theirs
   */
  public static Map<String, String> parseMap(List<String> values) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String value : values) {
      for (String pair : value.split(",")) {
        if (pair.isBlank()) {
          continue;
        }
        int eq = pair.indexOf('=');
        if (eq <= 0 || eq == pair.length() - 1) {
          throw new IllegalArgumentException(
              "--map takes ours=theirs pairs separated by commas, e.g. --map name=MC,code=DM; '"
                  + pair
                  + "' is not one");
        }
        String ours = pair.substring(0, eq).trim();
        String theirs = pair.substring(eq + 1).trim();
        FieldNames.check(ours, "--map " + pair);
        if (out.containsValue(theirs)) {
          throw new IllegalArgumentException(
              "--map names the column '" + theirs + "' twice; a column maps onto one field");
        }
        if (out.put(ours, theirs) != null) {
          throw new IllegalArgumentException("--map names the field '" + ours + "' twice");
        }
      }
    }
    return out;
  }
}
