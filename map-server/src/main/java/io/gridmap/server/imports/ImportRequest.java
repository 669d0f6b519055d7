package io.gridmap.server.imports;

import io.gridmap.importer.crs.SourceCrs;
import io.gridmap.importer.load.ImportOptions;
import io.gridmap.importer.read.ReadOptions;
import io.gridmap.layers.model.LayerNames;
import io.gridmap.server.web.ApiException;
import io.gridmap.server.web.Params;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code POST /imports} is asked to do, from its query parameters (those of {@code mapserver
 * import}, snake_case) and its {@code Content-Type}.
 *
 * @param options the import's options, as the CLI makes them
 * @param read what the reader needs besides the file
 * @param extension the file's format as the extension {@link io.gridmap.importer.read.Readers}
 *     chooses a reader by: geojson, csv or gpkg
 */
record ImportRequest(ImportOptions options, ReadOptions read, String extension) {

  /** The formats taken over HTTP: format value -> the media type that says it too. */
  static final Map<String, String> FORMATS =
      Map.of(
          "geojson", "application/geo+json",
          "csv", "text/csv",
          "gpkg", "application/geopackage+sqlite3");

  /** Every query parameter the route takes. */
  static final List<String> PARAMETERS =
      List.of(
          "layer",
          "format",
          "crs",
          "encoding",
          "table",
          "lon",
          "lat",
          "wkt",
          "map",
          "visibility",
          "personal",
          "tiled",
          "minzoom",
          "maxzoom",
          "cluster",
          "title",
          "replace",
          "repair",
          "dry_run",
          "dryRun");

  /** What shapes a layer, which an admin layer (the catalogue's) does not take. */
  static final List<String> LAYER_SHAPING =
      List.of(
          "visibility", "personal", "tiled", "minzoom", "maxzoom", "cluster", "title", "replace");

  /**
   * Reads the request.
   *
   * @throws ApiException 400 naming the parameter, its value and the accepted form; 415 for a body
   *     of a format not taken here
   */
  static ImportRequest parse(MultiMap q, String contentType) {
    for (String n : q.names()) {
      if (!PARAMETERS.contains(n)) {
        throw Params.bad(n, q.get(n), "one of the parameters " + String.join(", ", PARAMETERS));
      }
    }
    String layer = Params.single(q, "layer");
    if (layer == null || layer.isBlank()) {
      throw ApiException.badRequest(
          "parameter layer is required: the layer to create or re-import into, e.g."
              + " /imports?layer=parks");
    }
    if (isAdmin(layer)) {
      List<String> given = LAYER_SHAPING.stream().filter(q::contains).toList();
      if (!given.isEmpty()) {
        throw ApiException.badRequest(
            "parameter"
                + (given.size() == 1 ? " " : "s ")
                + String.join(", ", given)
                + ": "
                + layer
                + " is an admin layer, whose fields, zooms and visibility are the city's own (and"
                + " whose file replaces the units of every parent it touches): leave "
                + (given.size() == 1 ? "it" : "them")
                + " out");
      }
    } else {
      try {
        LayerNames.checkImportable(layer);
      } catch (IllegalArgumentException e) {
        throw Params.bad("layer", layer, "an importable layer name: " + e.getMessage());
      }
    }
    if (q.contains("dry_run") && q.contains("dryRun")) {
      throw Params.bad("dryRun", q.get("dryRun"), "one of dry_run and dryRun, not both");
    }
    String ext = format(Params.single(q, "format"), contentType);
    ReadOptions read =
        new ReadOptions(
            text(q, "encoding"), text(q, "table"), text(q, "lon"), text(q, "lat"), text(q, "wkt"));
    Optional<Boolean> staff = visibility(Params.single(q, "visibility"));
    ImportOptions o;
    try {
      o =
          ImportOptions.defaults(layer)
              .withMap(ImportOptions.parseMap(q.getAll("map")))
              .withFields(names(q.getAll("personal")), names(q.getAll("tiled")))
              .withZooms(zoom(q, "minzoom"), zoom(q, "maxzoom"), flag(q, "cluster"))
              .withWrite(
                  flag(q, "replace").orElse(false),
                  flag(q, "repair").orElse(false),
                  flag(q, "dry_run").or(() -> flag(q, "dryRun")).orElse(false))
              .withTitle(Optional.ofNullable(Params.single(q, "title")).orElse(""));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(ImportProblems.forHttp(e.getMessage()));
    }
    if (staff.isPresent()) {
      o = o.withVisibility(staff.get());
    }
    String crs = Params.single(q, "crs");
    if (crs != null) {
      try {
        o = o.withCrs(SourceCrs.parse(crs));
      } catch (IllegalArgumentException e) {
        throw Params.bad("crs", crs, ImportProblems.forHttp(e.getMessage()));
      }
    }
    return new ImportRequest(o, read, ext);
  }

  /** Whether a layer is one of the city's admin layers (districts, streets, villages, grids). */
  static boolean isAdmin(String layer) {
    return io.gridmap.importer.admin.AdminImport.levelOf(layer).isPresent();
  }

  /** The format: {@code format}, else the Content-Type's; refused when neither says one we take. */
  private static String format(String format, String contentType) {
    if (format != null) {
      String f = format.toLowerCase(Locale.ROOT);
      if (f.equals("shp") || f.equals("shapefile")) {
        throw shapefile();
      }
      if (!FORMATS.containsKey(f)) {
        throw Params.bad("format", format, "one of geojson, csv, gpkg");
      }
      return f;
    }
    String type =
        contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    for (var e : FORMATS.entrySet()) {
      if (e.getValue().equals(type)) {
        return e.getKey();
      }
    }
    if (type.equals("application/json")) {
      return "geojson";
    }
    if (type.equals("application/x-shapefile") || type.equals("application/zip")) {
      throw shapefile();
    }
    throw new ApiException(
        415,
        "Unsupported Media Type",
        "the body's format is not known from Content-Type "
            + (type.isEmpty() ? "(none)" : Params.quote(type))
            + "; send application/geo+json, text/csv or application/geopackage+sqlite3, or say"
            + " format=geojson, csv or gpkg");
  }

  private static ApiException shapefile() {
    return new ApiException(
        415,
        "Unsupported Media Type",
        "a Shapefile is several files (.shp, .dbf, .prj, ...) and is not taken over HTTP; convert"
            + " it to a GeoPackage (ogr2ogr out.gpkg in.shp) and send that, or import it on the"
            + " server with mapserver import");
  }

  private static Optional<String> text(MultiMap q, String name) {
    return Optional.ofNullable(Params.single(q, name)).filter(s -> !s.isBlank());
  }

  private static Optional<Boolean> visibility(String v) {
    if (v == null) {
      return Optional.empty();
    }
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "staff" -> Optional.of(true);
      case "public" -> Optional.of(false);
      default -> throw Params.bad("visibility", v, "public or staff");
    };
  }

  private static Optional<Boolean> flag(MultiMap q, String name) {
    String v = Params.single(q, name);
    if (v == null) {
      return Optional.empty();
    }
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "true", "1", "" -> Optional.of(true);
      case "false", "0" -> Optional.of(false);
      default -> throw Params.bad(name, v, "true or false");
    };
  }

  private static Optional<Integer> zoom(MultiMap q, String name) {
    String v = Params.single(q, name);
    return v == null
        ? Optional.empty()
        : Optional.of(Params.integer(q, name, 0, 0, 14, "a zoom from 0 to 14"));
  }

  /** Comma-separated names, possibly repeated: {@code personal=name,phone}. */
  private static Set<String> names(List<String> values) {
    List<String> all = new ArrayList<>();
    values.forEach(v -> all.addAll(List.of(v.split(","))));
    Set<String> out = new LinkedHashSet<>();
    all.stream().map(String::trim).filter(s -> !s.isEmpty()).forEach(out::add);
    return out;
  }
}
