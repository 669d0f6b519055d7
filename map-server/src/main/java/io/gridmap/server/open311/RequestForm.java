package io.gridmap.server.open311;

import io.gridmap.layers.model.EventCategory;
import io.gridmap.server.incidents.Report;
import io.gridmap.server.web.ApiException;
import io.gridmap.server.web.Params;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The body of {@code POST requests}: {@code application/x-www-form-urlencoded} with the arguments
 * of GeoReport v2's POST Service Request, read into a {@link Report}. Every refusal names the
 * parameter; an empty value counts as absent, as the spec's "Optional Arguments" asks.
 *
 * <p>{@code attribute[code]} (and {@code attribute[code][]} for list values) are accepted and not
 * kept: no service here has a definition with attributes, and FixMyStreet sends its own extras (its
 * report's id, title and URL) that way.
 */
final class RequestForm {
  /** The spec's limit on a description. */
  static final int MAX_DESCRIPTION = 4_000;

  static final int MAX_ADDRESS = 500;
  static final int MAX_NAME = 100;
  static final int MAX_EMAIL = 254;
  static final int MAX_PHONE = 40;
  static final int MAX_ID = 100;
  static final int MAX_PHOTOS = 10;
  static final int MAX_URL = 500;
  static final int MAX_ATTRIBUTES = 50;
  static final int MAX_ATTRIBUTE_VALUE = 2_000;
  static final int MAX_PARAMETERS = 200;

  /** The arguments of POST Service Request (and {@code deviceid}, which FixMyStreet may send). */
  static final Set<String> NAMES =
      Set.of(
          "jurisdiction_id",
          "api_key",
          "service_code",
          "lat",
          "long",
          "address_string",
          "address_id",
          "email",
          "device_id",
          "deviceid",
          "account_id",
          "first_name",
          "last_name",
          "phone",
          "description",
          "media_url");

  private static final Pattern ATTRIBUTE =
      Pattern.compile("attribute\\[([^\\[\\]]{1,100})\\](\\[\\])?");
  private static final Pattern DECIMAL = Pattern.compile("[-+]?\\d{1,3}(\\.\\d{1,15})?");
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");
  private static final Pattern URL = Pattern.compile("https?://[^\\s\"<>]+");

  private final Map<String, List<String>> values;

  private RequestForm(Map<String, List<String>> values) {
    this.values = values;
  }

  /**
   * Decodes a form body: {@code name=value} pairs joined by {@code &}, {@code +} for a space and
   * {@code %XX} escapes of UTF-8 bytes.
   */
  static RequestForm parse(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (text.isBlank()) {
      return new RequestForm(out);
    }
    String[] pairs = text.split("&", -1);
    if (pairs.length > MAX_PARAMETERS) {
      throw ApiException.badRequest(
          "the form has "
              + pairs.length
              + " parameters; a service request has at most "
              + MAX_PARAMETERS);
    }
    int attributes = 0;
    for (String pair : pairs) {
      if (pair.isEmpty()) {
        continue; // a stray & ("a=1&&b=2")
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq), "a parameter name", pair);
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1), name, pair);
      if (name.startsWith("attribute[")) {
        if (!ATTRIBUTE.matcher(name).matches()) {
          throw Params.bad(
              name, value, "a parameter named attribute[code] or attribute[code][] (for a list)");
        }
        if (++attributes > MAX_ATTRIBUTES) {
          throw ApiException.badRequest(
              "more than " + MAX_ATTRIBUTES + " attribute[...] parameters; send at most that many");
        }
        text(name, value, MAX_ATTRIBUTE_VALUE, true);
      } else if (!NAMES.contains(name)) {
        throw ApiException.badRequest(
            "parameter "
                + Params.quote(name)
                + " is not an argument of POST Service Request"
                + (name.equals("lon") || name.equals("lng") ? " (the longitude is long)" : "")
                + "; expected "
                + String.join(", ", new java.util.TreeSet<>(NAMES))
                + " or attribute[code]");
      }
      out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return new RequestForm(out);
  }

  private static String decode(String raw, String what, String pair) {
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(
          "the form pair "
              + Params.quote(pair)
              + " holds a malformed escape in "
              + what
              + "; expected application/x-www-form-urlencoded, each % followed by two hex digits");
    }
  }

  /** The one value of a parameter, stripped, or null when absent or empty. */
  String single(String name) {
    List<String> all = values.get(name);
    if (all == null) {
      return null;
    }
    if (all.size() > 1) {
      throw Params.bad(name, String.join(",", all), "the parameter at most once");
    }
    String v = all.get(0).strip();
    return v.isEmpty() ? null : v;
  }

  /** The api_key, or null. */
  String apiKey() {
    String k = single("api_key");
    if (k != null && k.length() > 200) {
      throw Params.bad("api_key", k, "a key of at most 200 characters");
    }
    return k;
  }

  /** The service asked for; 400 when missing, 404 when there is no such service (the spec's). */
  EventCategory service() {
    String code = single("service_code");
    if (code == null) {
      throw ApiException.badRequest(
          "service_code is missing; expected one of GET services: " + Services.codes());
    }
    return Services.byCode(code)
        .orElseThrow(
            () ->
                ApiException.notFound(
                    "service_code="
                        + Params.quote(code)
                        + " is not a service here; expected one of "
                        + Services.codes()));
  }

  /**
   * The report the form describes.
   *
   * @param now the server's time, the report's time
   * @param requestKey the key that holds the private link's hash ({@link PrivateLinks})
   */
  Report report(long now, String requestKey) {
    EventCategory category = service();
    // accepted and ignored: this endpoint serves one jurisdiction (the spec allows that)
    text("jurisdiction_id", single("jurisdiction_id"), 200, false);
    double lat = coordinate("lat", 90);
    double lon = coordinate("long", 180);
    String address = text("address_string", single("address_string"), MAX_ADDRESS, false);
    String addressId = text("address_id", single("address_id"), MAX_ID, false);
    if (Double.isNaN(lat) || Double.isNaN(lon)) {
      String missing =
          Double.isNaN(lat) && Double.isNaN(lon)
              ? "lat and long are"
              : Double.isNaN(lat) ? "lat is" : "long is";
      throw ApiException.badRequest(
          missing
              + " missing; this server places a report by lat and long (WGS84 degrees, e.g."
              + " lat=29.5630&long=106.5516)"
              + (address != null || addressId != null
                  ? " and cannot look up address_string or address_id"
                  : ""));
    }
    String description = text("description", single("description"), MAX_DESCRIPTION, true);
    if (address != null) {
      // the reporter's own words for the place, as public as the description they go with
      description = (description == null ? "" : description + "\n\n") + "address: " + address;
    }
    List<String> reporter = new ArrayList<>();
    String name =
        join(
            text("first_name", single("first_name"), MAX_NAME, false),
            text("last_name", single("last_name"), MAX_NAME, false));
    if (name != null) {
      reporter.add(name);
    }
    String email = text("email", single("email"), MAX_EMAIL, false);
    if (email != null) {
      if (!EMAIL.matcher(email).matches()) {
        throw Params.bad("email", email, "an email address such as name@example.org");
      }
      reporter.add(email);
    }
    String phone = text("phone", single("phone"), MAX_PHONE, false);
    if (phone != null) {
      reporter.add(phone);
    }
    String account = text("account_id", single("account_id"), MAX_ID, false);
    if (account != null) {
      reporter.add("account " + account);
    }
    String device = text("device_id", single("device_id"), MAX_ID, false);
    String deviceAlias = text("deviceid", single("deviceid"), MAX_ID, false);
    for (String d : new String[] {device, deviceAlias}) {
      if (d != null) {
        reporter.add("device " + d);
      }
    }
    return new Report(
        lon,
        lat,
        category.code(),
        false,
        description,
        reporter.isEmpty() ? null : String.join(", ", reporter),
        photos(),
        now,
        "open311",
        null,
        null,
        requestKey);
  }

  private static String join(String first, String last) {
    if (first == null) {
      return last;
    }
    return last == null ? first : first + " " + last;
  }

  /** WGS84 degrees as plain decimals, within ±{@code limit}; NaN when absent. */
  private double coordinate(String name, double limit) {
    String v = single(name);
    if (v == null) {
      return Double.NaN;
    }
    double d = DECIMAL.matcher(v).matches() ? Double.parseDouble(v) : Double.NaN;
    if (!(Math.abs(d) <= limit)) {
      throw Params.bad(
          name, v, "WGS84 degrees as a decimal number from -" + (int) limit + " to " + (int) limit);
    }
    return d;
  }

  /**
   * Text of at most {@code max} characters without control characters (line breaks only where
   * {@code multiline}), or null when absent.
   */
  private static String text(String name, String v, int max, boolean multiline) {
    if (v == null) {
      return null;
    }
    if (v.length() > max) {
      throw ApiException.badRequest(
          "parameter " + name + " is " + v.length() + " characters long; expected at most " + max);
    }
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      boolean lineBreak = c == '\n' || c == '\r' || c == '\t';
      if (Character.isISOControl(c) && !(multiline && lineBreak)) {
        throw Params.bad(
            name,
            v,
            multiline
                ? "text without control characters (line breaks and tabs are fine)"
                : "one line of text without control characters");
      }
    }
    return v;
  }

  /** The media_url values: at most ten http(s) URLs (FixMyStreet may send one per photo). */
  private List<String> photos() {
    List<String> out = new ArrayList<>();
    List<String> all = values.getOrDefault("media_url", List.of());
    if (all.size() > MAX_PHOTOS) {
      throw ApiException.badRequest(
          "media_url is given " + all.size() + " times; expected at most " + MAX_PHOTOS);
    }
    for (String raw : all) {
      String u = raw.strip();
      if (u.isEmpty()) {
        continue;
      }
      if (u.length() > MAX_URL || !URL.matcher(u).matches()) {
        throw Params.bad(
            "media_url",
            u,
            "an http or https URL of at most " + MAX_URL + " characters, no spaces");
      }
      out.add(u);
    }
    return out;
  }
}
