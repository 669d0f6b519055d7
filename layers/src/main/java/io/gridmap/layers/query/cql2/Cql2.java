package io.gridmap.layers.query.cql2;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * Entry points for CQL2 (OGC Common Query Language, the filter language of OGC API - Features Part
 * 3): parse either encoding to one {@link Filter} tree, write it back, and bind it to a layer's
 * {@link Queryables} for evaluation ({@link BoundFilter#toPredicate()}) or SQL ({@link
 * BoundFilter#toSql(SqlOptions)}).
 *
 * <pre>{@code
 * Queryables q = Queryables.withoutPersonal(Catalogue.EVENTS);
 * BoundFilter f = Cql2.bind(Cql2.parseText("category = 'fire' AND S_DWITHIN(geometry, POINT(106.55 29.56), 500, meters)"), q);
 * List<Feature> hits = layer.features().stream().filter(f.toPredicate()).toList();
 * }</pre>
 *
 * Every failure is a {@link Cql2Exception} whose message is fit for an RFC 9457 {@code detail}.
 */
public final class Cql2 {
  private Cql2() {}

  /** The two encodings, named as the {@code filter-lang} parameter names them. */
  public enum Encoding {
    TEXT("cql2-text"),
    JSON("cql2-json");

    private final String filterLang;

    Encoding(String filterLang) {
      this.filterLang = filterLang;
    }

    public String filterLang() {
      return filterLang;
    }

    /**
     * The encoding for a {@code filter-lang} value, or a Cql2Exception naming the accepted ones.
     */
    public static Encoding ofFilterLang(String value) {
      for (Encoding e : values()) {
        if (e.filterLang.equals(value == null ? null : value.toLowerCase(Locale.ROOT))) {
          return e;
        }
      }
      throw Cql2Exception.of(
          Cql2Exception.Kind.SYNTAX,
          "unknown filter-lang "
              + Cql2Exception.quote(String.valueOf(value))
              + "; expected cql2-text or cql2-json");
    }
  }

  public static Filter parseText(String text) {
    return parseText(text, Cql2Limits.DEFAULTS);
  }

  public static Filter parseText(String text, Cql2Limits limits) {
    return Cql2TextParser.parse(text, limits);
  }

  public static Filter parseJson(String json) {
    return parseJson(json, Cql2Limits.DEFAULTS);
  }

  public static Filter parseJson(String json, Cql2Limits limits) {
    return Cql2JsonParser.parse(json, limits);
  }

  /** Parses a JSON tree already read by the caller (its size is then the caller's to limit). */
  public static Filter parseJson(JsonNode json, Cql2Limits limits) {
    return Cql2JsonParser.parse(json, limits);
  }

  public static Filter parse(String filter, Encoding encoding, Cql2Limits limits) {
    return encoding == Encoding.JSON ? parseJson(filter, limits) : parseText(filter, limits);
  }

  public static String toText(Filter filter) {
    return Cql2TextWriter.write(filter);
  }

  public static String toJson(Filter filter) {
    return Cql2JsonWriter.write(filter);
  }

  public static BoundFilter bind(Filter filter, Queryables queryables) {
    return Cql2Binder.bind(filter, queryables);
  }

  /** Parse and bind in one step. */
  public static BoundFilter compile(
      String filter, Encoding encoding, Queryables queryables, Cql2Limits limits) {
    return bind(parse(filter, encoding, limits), queryables);
  }
}
