package io.gridmap.layers.store.pg;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostGIS store's location, parsed from what the user typed: {@code
 * postgresql://[user[:password]@]host[:port]/database[?schema=gridmap&pool=8&...]}, as libpq and
 * psql take it ({@code postgres://} too). Our parameters are {@code schema} (where the tables are;
 * default {@code gridmap}) and {@code pool} (connections at most; default 8); the others go to the
 * JDBC driver as they are ({@code sslmode}, {@code connectTimeout}, ...).
 *
 * @param jdbcUrl the driver's URL, without user or password
 * @param user the user, or null for the driver's default
 * @param password the password, or null
 * @param schema the schema of the store's tables, an identifier checked here
 * @param pool the most connections the store opens at once
 * @param display the location as shown in messages: the password replaced by ***
 */
public record PostgisUrl(
    String jdbcUrl, String user, String password, String schema, int pool, String display) {

  static final String DEFAULT_SCHEMA = "gridmap";
  static final int DEFAULT_POOL = 8;

  /** Lower-case letters, digits and underscores: a schema name that needs no quoting anywhere. */
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private static final Pattern URL =
      Pattern.compile(
          "(?i)(?:postgresql|postgres)://(?:([^:@/]*)(?::([^@/]*))?@)?([^/?#]*)(?:/([^?#]*))?(?:\\?([^#]*))?");

  static final String FORM = "postgresql://user:password@host:5432/database?schema=gridmap&pool=8";

  public PostgisUrl {
    if (!IDENTIFIER.matcher(schema).matches()) {
      throw new IllegalArgumentException(
          "schema '"
              + schema
              + "' is not a plain identifier (lower-case letters, digits, underscores; at most 63)");
    }
  }

  /**
   * Parses a location; throws {@link IllegalArgumentException} naming what is wrong and the form.
   */
  public static PostgisUrl parse(String location) {
    String value = location.strip();
    String display = redact(value);
    Matcher m = URL.matcher(value);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "store location '" + display + "' is not a PostgreSQL URL; expected " + FORM);
    }
    String hostPort = m.group(3);
    String database = decode(m.group(4), display);
    if (hostPort.isEmpty()) {
      throw new IllegalArgumentException(
          "store location '" + display + "' names no host; expected " + FORM);
    }
    if (database == null || database.isEmpty()) {
      throw new IllegalArgumentException(
          "store location '" + display + "' names no database; expected " + FORM);
    }
    Map<String, String> params = new LinkedHashMap<>();
    if (m.group(5) != null && !m.group(5).isEmpty()) {
      for (String pair : m.group(5).split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String key = decode(eq < 0 ? pair : pair.substring(0, eq), display);
        String val = eq < 0 ? "" : decode(pair.substring(eq + 1), display);
        params.put(key, val);
      }
    }
    String schema = params.remove("schema");
    if (schema == null) {
      schema = DEFAULT_SCHEMA;
    }
    if (!IDENTIFIER.matcher(schema).matches()) {
      throw new IllegalArgumentException(
          "store location '"
              + display
              + "': schema '"
              + schema
              + "' is not a plain identifier: lower-case letters, digits and underscores, at most 63,"
              + " not starting with a digit");
    }
    int pool = DEFAULT_POOL;
    String poolText = params.remove("pool");
    if (poolText != null) {
      try {
        pool = Integer.parseInt(poolText);
      } catch (NumberFormatException e) {
        pool = -1;
      }
      if (pool < 2 || pool > 64) {
        throw new IllegalArgumentException(
            "store location '"
                + display
                + "': pool '"
                + poolText
                + "' is not a number of connections from 2 to 64");
      }
    }
    String user = decode(m.group(1), display);
    String password = decode(m.group(2), display);
    if (params.containsKey("user")) {
      user = params.remove("user");
    }
    if (params.containsKey("password")) {
      password = params.remove("password");
    }
    StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(hostPort).append('/');
    jdbc.append(java.net.URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20"));
    String sep = "?";
    for (Map.Entry<String, String> e : params.entrySet()) {
      jdbc.append(sep)
          .append(java.net.URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8))
          .append('=')
          .append(java.net.URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
      sep = "&";
    }
    return new PostgisUrl(
        jdbc.toString(), emptyToNull(user), password, schema, pool, redactPassword(display));
  }

  /** Whether a location is meant for this store (its scheme), whatever else it holds. */
  public static boolean claims(String location) {
    String lower = location.strip().toLowerCase(Locale.ROOT);
    return lower.startsWith("postgresql://") || lower.startsWith("postgres://");
  }

  /** A URL with its password replaced by ***, so that messages never print a credential. */
  public static String redact(String url) {
    return redactPassword(url.replaceFirst("(://[^/:@]*:)[^/@]*@", "$1***@"));
  }

  private static String redactPassword(String url) {
    return url.replaceAll("(?i)([?&]password=)[^&#]*", "$1***");
  }

  private static String decode(String part, String display) {
    if (part == null) {
      return null;
    }
    try {
      return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "store location '" + display + "' has a malformed %-escape: " + e.getMessage(), e);
    }
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  @Override
  public String toString() {
    return display;
  }
}
