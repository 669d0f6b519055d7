package io.gridmap.styles;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridmap.layers.model.Board;
import io.gridmap.layers.model.LayerDef;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The MapLibre style documents served at {@code /styles/{id}.json}: {@code default} (light) and
 * {@code dark} (command centre).
 *
 * <p>A style names absolute URLs for its TileJSON and glyphs, and the server learns its own base
 * URL only from the request (host, proxy prefix), so a style is built per base URL. Building one
 * takes well under a millisecond; cache by base URL if that ever matters.
 *
 * <p>Layer order, bottom to top: background; district, village and grid fills; grid, village,
 * street and district boundaries; imported polygon layers (fill, outline); key sites, forces and
 * events (clusters under single points); imported point layers; admin labels; site names; cluster
 * counts; urgent events. See {@link StyleLayers} for the ids and styles/README.md for the colours.
 */
public final class StyleDocument {
  private StyleDocument() {}

  /** Where the map opens when the viewer gives no view: all of Chongqing. */
  static final double[] CENTER = {107.75, 30.05};

  static final double ZOOM = 6.3;

  /** The light style, {@code /styles/default.json}. */
  public static ObjectNode defaultStyle(String baseUrl) {
    return of(Theme.LIGHT, baseUrl);
  }

  /** The dark command-centre style, {@code /styles/dark.json}. */
  public static ObjectNode dark(String baseUrl) {
    return of(Theme.DARK, baseUrl);
  }

  /** The style with this id ({@link #ids()}), or empty: the HTTP layer answers 404 for that. */
  public static Optional<ObjectNode> byId(String id, String baseUrl) {
    return Theme.byId(id).map(t -> of(t, baseUrl));
  }

  /** Ids of the served styles. */
  public static List<String> ids() {
    return Theme.ALL.stream().map(Theme::id).toList();
  }

  /** TileJSON URL of the {@code cq} tileset under a base URL. */
  public static String tileJsonUrl(String baseUrl) {
    return normaliseBaseUrl(baseUrl) + "/tiles/cq.json";
  }

  /** Glyph URL template under a base URL, with MapLibre's {fontstack} and {range} tokens. */
  public static String glyphsUrl(String baseUrl) {
    return normaliseBaseUrl(baseUrl) + "/fonts/{fontstack}/{range}.pbf";
  }

  /**
   * The style with this id drawing also {@code imported}: layers outside the catalogue, each with a
   * default look ({@link ImportedLayers}). The caller chooses which: a public style leaves out
   * staff-only layers.
   */
  public static Optional<ObjectNode> byId(String id, String baseUrl, List<LayerDef> imported) {
    return Theme.byId(id).map(t -> of(t, baseUrl, imported));
  }

  /** The style of a theme under a base URL such as {@code http://127.0.0.1:8080}. */
  public static ObjectNode of(Theme theme, String baseUrl) {
    return of(theme, baseUrl, List.of());
  }

  /** As {@link #of(Theme, String)}, drawing also the {@code imported} layers. */
  public static ObjectNode of(Theme theme, String baseUrl, List<LayerDef> imported) {
    ObjectNode style = Expr.NODES.objectNode();
    style.put("version", 8);
    style.put("name", theme.name());
    List<ObjectNode> layers = layers(theme, imported);
    style.set("metadata", metadata(theme, layers));
    ArrayNode center = style.putArray("center");
    center.add(CENTER[0]).add(CENTER[1]);
    style.put("zoom", ZOOM);
    ObjectNode source = style.putObject("sources").putObject(StyleLayers.SOURCE);
    source.put("type", "vector");
    source.put("url", tileJsonUrl(baseUrl));
    style.put("glyphs", glyphsUrl(baseUrl));
    style.putArray("layers").addAll(layers);
    return style;
  }

  static List<ObjectNode> layers(Theme theme) {
    return layers(theme, List.of());
  }

  static List<ObjectNode> layers(Theme theme, List<LayerDef> imported) {
    List<ObjectNode> layers = new ArrayList<>();
    layers.add(
        LayerBuilder.background(StyleLayers.BACKGROUND)
            .paint("background-color", theme.background())
            .build());
    layers.addAll(BoundaryLayers.fills(theme));
    layers.addAll(BoundaryLayers.lines(theme));
    layers.addAll(ImportedLayers.polygons(imported, theme));
    layers.addAll(PointLayers.points(theme));
    layers.addAll(ImportedLayers.points(imported, theme));
    layers.addAll(BoundaryLayers.labels(theme));
    layers.addAll(PointLayers.pointLabels(theme));
    layers.addAll(PointLayers.clusterCounts(theme));
    layers.addAll(PointLayers.urgent(theme));
    return layers;
  }

  /**
   * Style metadata for the viewer and legend: the theme, the board colours, the urgent colour and
   * the layer ids of each toggle group (admin levels, point layers, boards).
   */
  private static ObjectNode metadata(Theme theme, List<ObjectNode> layers) {
    ObjectNode m = Expr.NODES.objectNode();
    m.put("gridmap:theme", theme.id());
    ObjectNode boards = m.putObject("gridmap:boards");
    for (Board b : Board.values()) {
      ObjectNode entry = boards.putObject(b.code());
      entry.put("label", b.chineseName());
      entry.put("colour", BoardColour.of(b).colour().hex());
      entry.put("layer", StyleLayers.events(b));
    }
    m.put("gridmap:urgent-colour", AlertPalette.URGENT.hex());
    m.put("gridmap:local-ideograph-font-family", Fonts.LOCAL_IDEOGRAPH_FAMILY);
    ObjectNode groups = m.putObject("gridmap:groups");
    for (ObjectNode layer : layers) {
      if (layer.path("metadata").has("gridmap:group")) {
        String group = layer.path("metadata").path("gridmap:group").asText();
        ArrayNode ids = groups.has(group) ? (ArrayNode) groups.get(group) : groups.putArray(group);
        ids.add(layer.get("id").asText());
      }
    }
    return m;
  }

  /**
   * Checks and tidies a base URL: absolute http(s), no query or fragment, no trailing slash.
   *
   * @throws IllegalArgumentException naming the bad value and the accepted form
   */
  public static String normaliseBaseUrl(String baseUrl) {
    String accepted =
        "expected an absolute http(s) URL without query or fragment, e.g. http://127.0.0.1:8080 or https://maps.example.org/gridmap";
    if (baseUrl == null) {
      throw new IllegalArgumentException("base URL is missing; " + accepted);
    }
    URI uri;
    try {
      uri = new URI(baseUrl);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "base URL '" + baseUrl + "' is not a URL (" + e.getReason() + "); " + accepted, e);
    }
    String scheme = uri.getScheme();
    if (scheme == null
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || uri.getHost() == null
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("base URL '" + baseUrl + "' is not valid; " + accepted);
    }
    String s = baseUrl;
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }
}
