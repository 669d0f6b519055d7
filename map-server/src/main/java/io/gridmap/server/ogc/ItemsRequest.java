package io.gridmap.server.ogc;

import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Field;
import io.gridmap.layers.model.FieldType;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.layers.query.cql2.BoundFilter;
import io.gridmap.layers.query.cql2.Cql2;
import io.gridmap.layers.query.cql2.Cql2Exception;
import io.gridmap.layers.query.cql2.Cql2Limits;
import io.gridmap.layers.query.cql2.Queryables;
import io.gridmap.layers.query.crs.SupportedCrs;
import io.gridmap.server.web.GeoJsonWriter;
import io.gridmap.server.web.Params;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import org.locationtech.jts.geom.Envelope;

/**
 * The parameters of {@code /collections/{id}/items}, checked: bbox (in bbox-crs), limit, offset,
 * crs, datetime, properties, CQL2 filter (filter-lang, filter-crs) and the Part 1 property
 * parameters (one per queryable attribute: equality). Anything else is refused, as OGC API -
 * Features Part 1 requires for parameters the API does not define.
 */
public record ItemsRequest(
    LayerIndex layer,
    Envelope bbox,
    SupportedCrs crs,
    int limit,
    int offset,
    int[] properties,
    Predicate<Feature> filter,
    Envelope indexHint) {

  /** Parameters every items request may carry, besides the property parameters. */
  public static final List<String> STANDARD =
      List.of(
          "f",
          "bbox",
          "bbox-crs",
          "crs",
          "limit",
          "offset",
          "datetime",
          "properties",
          "filter",
          "filter-lang",
          "filter-crs");

  static final String FILTER_FORM_TEXT =
      "a cql2-text filter over the collection's queryables, e.g. category = 'manhole_cover' AND reported_at >= TIMESTAMP('2024-03-01T00:00:00Z')";
  static final String FILTER_FORM_JSON =
      "a cql2-json filter over the collection's queryables, e.g. {\"op\":\"=\",\"args\":[{\"property\":\"category\"},\"manhole_cover\"]}";

  /**
   * The attribute fields usable as Part 1 query parameters: not personal, not timestamps (those go
   * through datetime or filter).
   */
  public static List<Field> propertyParameters(LayerDef def) {
    List<Field> out = new ArrayList<>();
    for (Field f : def.fields()) {
      if (!f.personal() && f.type() != FieldType.TIMESTAMP) {
        out.add(f);
      }
    }
    return out;
  }

  public static ItemsRequest parse(LayerIndex layer, MultiMap q) {
    LayerDef def = layer.def();
    List<Field> propertyParams = propertyParameters(def);
    Set<String> known = new LinkedHashSet<>(STANDARD);
    known.add(AsOf.PARAM);
    propertyParams.forEach(f -> known.add(f.name()));
    for (String name : q.names()) {
      if (!known.contains(name)) {
        throw Params.bad(
            name,
            String.join(",", q.getAll(name)),
            "only the parameters of this collection's items: "
                + String.join(", ", known)
                + " (see /api)");
      }
    }
    checkFormat(q);
    SupportedCrs bboxCrs = Params.crs(q, "bbox-crs", SupportedCrs.CRS84);
    Envelope bbox = Params.bbox(q, bboxCrs);
    SupportedCrs crs = Params.crs(q, "crs", SupportedCrs.CRS84);
    int limit = limit(q);
    int offset =
        Params.integer(
            q,
            "offset",
            0,
            0,
            Integer.MAX_VALUE,
            "an integer >= 0 (the number of matches to skip)");
    int[] properties = properties(def, Params.single(q, "properties"));

    List<Predicate<Feature>> conditions = new ArrayList<>();
    Envelope hint = null;
    Params.TimeRange dt = Params.datetime(q, "datetime");
    int tf = OgcApi.temporalField(def);
    if (dt != null && tf >= 0) {
      conditions.add(f -> f.value(tf) != null && dt.contains((Long) f.value(tf)));
    }
    for (Field f : propertyParams) {
      String v = Params.single(q, f.name());
      if (v != null) {
        conditions.add(equality(def, f, v));
      }
    }
    String filter = Params.single(q, "filter");
    if (filter != null) {
      BoundFilter bound = filter(def, filter, q);
      conditions.add(bound.toPredicate());
      hint = bound.indexEnvelope().orElse(null);
    } else if (q.contains("filter-lang") || q.contains("filter-crs")) {
      // accepted without a filter, but still checked
      filterLang(q);
      filterCrs(q);
    }
    Predicate<Feature> all = null;
    for (Predicate<Feature> c : conditions) {
      all = all == null ? c : all.and(c);
    }
    return new ItemsRequest(layer, bbox, crs, limit, offset, properties, all, hint);
  }

  static void checkFormat(MultiMap q) {
    String f = Params.single(q, "f");
    if (f != null && !f.equalsIgnoreCase("json") && !f.equalsIgnoreCase("geojson")) {
      throw Params.bad("f", f, "json (GeoJSON is the only encoding of features)");
    }
  }

  static int limit(MultiMap q) {
    String v = Params.single(q, "limit");
    if (v == null) {
      return OgcApi.DEFAULT_LIMIT;
    }
    long n;
    try {
      n = Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      // beyond long: still a positive integer, answered with the maximum
      if (v.trim().matches("\\d{19,}")) {
        return OgcApi.MAX_LIMIT;
      }
      throw Params.bad("limit", v, limitForm());
    }
    if (n < 1) {
      throw Params.bad("limit", v, limitForm());
    }
    return (int) Math.min(n, OgcApi.MAX_LIMIT);
  }

  static String limitForm() {
    return "an integer >= 1 (default "
        + OgcApi.DEFAULT_LIMIT
        + "; values above "
        + OgcApi.MAX_LIMIT
        + " are answered with "
        + OgcApi.MAX_LIMIT
        + ")";
  }

  /** The {@code properties} parameter: comma-separated public field names; absent means all. */
  static int[] properties(LayerDef def, String v) {
    int[] all = GeoJsonWriter.publicFields(def);
    if (v == null) {
      return all;
    }
    List<String> names = new ArrayList<>();
    for (int i : all) {
      names.add(def.fields().get(i).name());
    }
    String form =
        "a comma-separated list of property names of this collection: " + String.join(", ", names);
    if (v.isBlank()) {
      return new int[0];
    }
    List<Integer> out = new ArrayList<>();
    for (String p : v.split(",")) {
      String name = p.trim();
      int i = names.indexOf(name);
      if (i < 0) {
        throw Params.bad("properties", v, form);
      }
      if (!out.contains(all[i])) {
        out.add(all[i]);
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  static Predicate<Feature> equality(LayerDef def, Field f, String v) {
    int i = def.fieldIndex(f.name());
    switch (f.type()) {
      case STRING:
        return x -> v.equals(x.value(i));
      case INTEGER:
        try {
          long n = Long.parseLong(v.trim());
          return x -> x.value(i) != null && ((Number) x.value(i)).longValue() == n;
        } catch (NumberFormatException e) {
          throw Params.bad(f.name(), v, "an integer (" + f.description() + ")");
        }
      case REAL:
        try {
          double d = Double.parseDouble(v.trim());
          return x -> x.value(i) != null && ((Number) x.value(i)).doubleValue() == d;
        } catch (NumberFormatException e) {
          throw Params.bad(f.name(), v, "a number (" + f.description() + ")");
        }
      case BOOLEAN:
        String b = v.trim().toLowerCase(Locale.ROOT);
        Boolean want =
            switch (b) {
              case "true", "1" -> Boolean.TRUE;
              case "false", "0" -> Boolean.FALSE;
              default -> throw Params.bad(f.name(), v, "true or false (1 or 0)");
            };
        return x -> want.equals(x.value(i));
      default:
        throw Params.bad(f.name(), v, "the datetime parameter for timestamps");
    }
  }

  static Cql2.Encoding filterLang(MultiMap q) {
    String lang = Params.single(q, "filter-lang");
    if (lang == null) {
      return Cql2.Encoding.TEXT;
    }
    try {
      return Cql2.Encoding.ofFilterLang(lang);
    } catch (Cql2Exception e) {
      throw Params.bad("filter-lang", lang, "cql2-text or cql2-json");
    }
  }

  static void filterCrs(MultiMap q) {
    SupportedCrs c = Params.crs(q, "filter-crs", SupportedCrs.CRS84);
    if (c != SupportedCrs.CRS84) {
      throw Params.bad(
          "filter-crs",
          Params.single(q, "filter-crs"),
          SupportedCrs.CRS84.uri() + " (geometry literals in filters are longitude, latitude)");
    }
  }

  static BoundFilter filter(LayerDef def, String filter, MultiMap q) {
    Cql2.Encoding enc = filterLang(q);
    filterCrs(q);
    try {
      return Cql2.compile(filter, enc, Queryables.withoutPersonal(def), Cql2Limits.DEFAULTS);
    } catch (Cql2Exception e) {
      throw io.gridmap.server.web.ApiException.badRequest(
          "parameter filter="
              + Params.quote(filter)
              + " is invalid: "
              + e.getMessage()
              + "; expected "
              + (enc == Cql2.Encoding.JSON ? FILTER_FORM_JSON : FILTER_FORM_TEXT)
              + " (queryables: /collections/"
              + def.name()
              + "/queryables)");
    }
  }
}
