package io.gridmap.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Point;

/**
 * Hostile and random input through the real HTTP handlers: grammar-generated CQL2 text and JSON
 * (valid, then mutated), GeoJSON bodies for every write path (position batches, grid merge patches,
 * village redraws: valid, broken, mutated; sent as an admin against a real store), tile paths and
 * query parameters, incident reports and transitions (JSON) and Open311 service requests (forms)
 * and reads, plus payloads in the style of GeoServer's CVE-2024-36401 (property names evaluated as
 * expressions) and CVE-2023-25157 (SQL through filter functions). 100,000 inputs, seeded; none may
 * get a 5xx or raise an exception no handler caught, every refusal must be problem+json (under
 * /open311: GeoReport v2's error list in the path's format), and at least 30% must be valid enough
 * to be evaluated (answered 200).
 *
 * <p>Hand-written seeded generators rather than jqwik: since 1.10.0 jqwik prints a message on start
 * telling AI coding agents to delete all jqwik tests and code (jqwik-team/jqwik#708), and its
 * maintainer does not want it used by agents; this code is written by one.
 */
@Tag("slow")
class HttpFuzzTest {
  private static final int INPUTS = 100_000;
  private static final String[] FIELDS = {
    "category", "board", "urgency", "status", "grid_code", "reported_at", "closed_at"
  };
  private static final String[] WORDS = {
    "garbage_pileup",
    "manhole_cover",
    "fire_hazard",
    "livelihood",
    "urgent",
    "open",
    "closed",
    "500103001001001"
  };
  private static final String[] HOSTILE = {
    "exec(java.lang.Runtime.getRuntime().exec('id'))",
    "\"java.lang.Runtime\".getRuntime()",
    "strSubstitute('a','b','c') = 'x'",
    "category = 'x'' OR 1=1 --'",
    "\"name; DROP TABLE grids\" = 1",
    "jdbc:postgresql://evil",
    "category = '${jndi:ldap://127.0.0.1/a}'",
    "S_INTERSECTS(geometry, POLYGON((0 0, 1 1, 0 0)))",
    "category IN (" + "'a',".repeat(2000) + "'b')",
    "(".repeat(5000) + "category = 'x'" + ")".repeat(5000),
    "category LIKE '" + "%_".repeat(500) + "'",
    "reported_at > TIMESTAMP('9999-99-99T99:99:99Z')",
    "S_DWITHIN(geometry, POINT(106.5 29.5), -1, meters)",
    "category = 'x' AND pg_sleep(10) = 1",
    "properties.class.classLoader.URLs[0]=x"
  };

  private final SplittableRandom rnd = new SplittableRandom(20261125);

  private String pick(String[] a) {
    return a[rnd.nextInt(a.length)];
  }

  /** A random, well-formed cql2-text expression over the events' queryables. */
  private String cqlText(int depth) {
    int k = rnd.nextInt(depth > 3 ? 6 : 10);
    return switch (k) {
      case 0 -> "(" + cqlText(depth + 1) + ") AND (" + cqlText(depth + 1) + ")";
      case 1 -> "(" + cqlText(depth + 1) + ") OR (" + cqlText(depth + 1) + ")";
      case 2 -> "NOT (" + cqlText(depth + 1) + ")";
      case 3 ->
          pick(new String[] {"category", "board", "status"})
              + " IN ('"
              + pick(WORDS)
              + "', '"
              + pick(WORDS)
              + "')";
      case 4 ->
          pick(new String[] {"category", "status", "grid_code"})
              + " LIKE '"
              + pick(WORDS).substring(0, 3)
              + "%'";
      case 5 ->
          "reported_at "
              + pick(new String[] {"<", ">", ">=", "<="})
              + " TIMESTAMP('2026-0"
              + (1 + rnd.nextInt(9))
              + "-1"
              + rnd.nextInt(10)
              + "T0"
              + rnd.nextInt(10)
              + ":00:00Z')";
      case 6 -> "closed_at IS " + (rnd.nextBoolean() ? "" : "NOT ") + "NULL";
      case 7 ->
          "S_INTERSECTS(geometry, BBOX("
              + (106.4 + rnd.nextDouble() * 0.2)
              + ", 29.5, "
              + (106.6 + rnd.nextDouble() * 0.1)
              + ", 29.6))";
      case 8 ->
          "S_DWITHIN(geometry, POINT("
              + (106.5 + rnd.nextDouble() * 0.1)
              + " 29.55), "
              + rnd.nextInt(2000)
              + ", meters)";
      default ->
          pick(new String[] {"category", "board", "urgency", "status"})
              + " "
              + pick(new String[] {"=", "<>"})
              + " '"
              + pick(WORDS)
              + "'";
    };
  }

  private String cqlJson(int depth) {
    int k = rnd.nextInt(depth > 3 ? 3 : 5);
    return switch (k) {
      case 0 ->
          "{\"op\":\"=\",\"args\":[{\"property\":\""
              + pick(new String[] {"category", "status", "board"})
              + "\"},\""
              + pick(WORDS)
              + "\"]}";
      case 1 ->
          "{\"op\":\"in\",\"args\":[{\"property\":\"category\"},[\""
              + pick(WORDS)
              + "\",\""
              + pick(WORDS)
              + "\"]]}";
      case 2 ->
          "{\"op\":\"s_intersects\",\"args\":[{\"property\":\"geometry\"},{\"bbox\":[106.5,29.5,"
              + (106.55 + rnd.nextDouble() * 0.1)
              + ",29.6]}]}";
      case 3 ->
          "{\"op\":\""
              + pick(new String[] {"and", "or"})
              + "\",\"args\":["
              + cqlJson(depth + 1)
              + ","
              + cqlJson(depth + 1)
              + "]}";
      default -> "{\"op\":\"not\",\"args\":[" + cqlJson(depth + 1) + "]}";
    };
  }

  /** Deletes, duplicates or replaces a few characters, or cuts the text. */
  private String mutate(String s) {
    if (s.isEmpty()) {
      return "'";
    }
    StringBuilder b = new StringBuilder(s);
    for (int m = 1 + rnd.nextInt(3); m > 0 && b.length() > 0; m--) {
      int i = rnd.nextInt(b.length());
      switch (rnd.nextInt(4)) {
        case 0 -> b.deleteCharAt(i);
        case 1 -> b.insert(i, b.charAt(i));
        case 2 -> b.setCharAt(i, "'\"()[]{},;=<>%\\\u0000\u4e2d ".charAt(rnd.nextInt(18)));
        default -> b.setLength(i);
      }
    }
    return b.toString();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private String number() {
    return switch (rnd.nextInt(8)) {
      case 0 -> "-" + rnd.nextInt(100);
      case 1 -> "99999999999999999999";
      case 2 -> "1e309";
      case 3 -> "NaN";
      case 4 -> "";
      case 5 -> "0x1F";
      default -> Integer.toString(rnd.nextInt(20000));
    };
  }

  /**
   * A request; {@code write} ones are sent with an admin's token, the others with an analyst's. A
   * body is sent as {@code contentType}.
   */
  private record Input(String method, String path, String body, boolean write, String contentType) {
    Input(String method, String path, String body, boolean write) {
      this(method, path, body, write, "application/json");
    }

    Input(String method, String path, String body) {
      this(method, path, body, false);
    }
  }

  /**
   * Real ids and a real village's grids, read from the server before fuzzing; points inside grids
   * (where a report is routed) and incidents of the generated history.
   */
  private record Targets(
      List<Long> forces, List<Long> grids, String village, List<Point> points, List<Long> events) {}

  private static final String FORM = "application/x-www-form-urlencoded";
  private static final String[] CATEGORIES = {
    "road_damage", "garbage_pileup", "manhole_cover", "water_leak", "elderly_care_request"
  };
  private static final String[] ACTIONS = {
    "dispatch",
    "accept",
    "arrive",
    "resolve",
    "verify",
    "close",
    "escalate",
    "return",
    "reject",
    "pin",
    "unpin",
    "acknowledge"
  };

  private String text() {
    return switch (rnd.nextInt(6)) {
      case 0 -> "井盖松动，一米宽";
      case 1 -> pick(HOSTILE);
      case 2 -> "<script>alert(1)</script>&amp;\u0000" + "\ud800";
      case 3 -> "x".repeat(rnd.nextInt(5000));
      case 4 -> "line one\nline two\r\n\tthree";
      default -> mutate("Loose cover on Jiefangbei road");
    };
  }

  /** An incident report: a real place and category (valid), or broken in one way, or mutated. */
  private String incidentReport(Targets t) {
    Point p = t.points().get(rnd.nextInt(t.points().size()));
    boolean sane = rnd.nextInt(10) < 6;
    String coords = sane ? p.getX() + "," + p.getY() : number() + "," + number();
    String props =
        switch (sane ? rnd.nextInt(2) : rnd.nextInt(7)) {
          case 0 ->
              "{\"category\":\""
                  + pick(CATEGORIES)
                  + "\",\"urgency\":\""
                  + pick(new String[] {"normal", "urgent"})
                  + "\"}";
          case 1 ->
              "{\"category\":\""
                  + pick(CATEGORIES)
                  + "\",\"description\":"
                  + com.fasterxml.jackson.databind.node.TextNode.valueOf(text())
                  + ",\"photos\":[\"https://img.example/"
                  + rnd.nextInt(100)
                  + ".jpg\"],\"time\":\""
                  + pick(TIMES)
                  + "\"}";
          case 2 -> "{}";
          case 3 -> "{\"category\":\"" + pick(HOSTILE).replace("\"", "") + "\"}";
          case 4 -> "{\"category\":\"road_damage\",\"site_id\":" + number() + "}";
          case 5 -> "{\"category\":\"road_damage\",\"photos\":[\"javascript:alert(1)\"]}";
          default -> "{\"category\":\"road_damage\",\"urgency\":" + number() + "}";
        };
    String body =
        "{\"type\":\"Feature\",\"geometry\":{\"type\":\""
            + (sane || rnd.nextBoolean() ? "Point" : "Polygon")
            + "\",\"coordinates\":["
            + coords
            + "]},\"properties\":"
            + props
            + "}";
    return rnd.nextInt(10) < 8 ? body : mutate(body);
  }

  /** A transition of a real incident: any action (most do not apply in its state), or broken. */
  private String transition() {
    String body =
        switch (rnd.nextInt(6)) {
          case 0, 1 -> "{\"action\":\"" + pick(ACTIONS) + "\"}";
          case 2 ->
              "{\"action\":\"escalate\",\"department\":\""
                  + pick(new String[] {"police", "utilities", "army", ""})
                  + "\"}";
          case 3 ->
              "{\"action\":\"reject\",\"note\":"
                  + com.fasterxml.jackson.databind.node.TextNode.valueOf(text())
                  + "}";
          case 4 -> "{\"action\":\"dispatch\",\"assignee_id\":" + number() + "}";
          default -> "{\"" + pick(HOSTILE).replace("\"", "'") + "\":1}";
        };
    return rnd.nextInt(10) < 8 ? body : mutate(body);
  }

  /**
   * An Open311 POST service request as FixMyStreet sends it (a real place and service: valid), with
   * one argument broken, an unknown or hostile one, or raw form junk.
   */
  private String open311Form(Targets t) {
    Point p = t.points().get(rnd.nextInt(t.points().size()));
    boolean sane = rnd.nextInt(10) < 6;
    List<String> pairs = new ArrayList<>();
    pairs.addAll(
        List.of(
            "jurisdiction_id",
            "cq.example.gov",
            "service_code",
            sane
                ? pick(CATEGORIES)
                : pick(new String[] {"wristband_alarm", "nope", "", "road_damage"}),
            "lat",
            sane ? Double.toString(p.getY()) : number(),
            "long",
            sane ? Double.toString(p.getX()) : number()));
    int extras = rnd.nextInt(4);
    for (int i = 0; i < extras; i++) {
      switch (rnd.nextInt(8)) {
        case 0 -> pairs.addAll(List.of("description", text()));
        case 1 ->
            pairs.addAll(List.of("email", pick(new String[] {"a@b.cn", "no-at-sign", text()})));
        case 2 -> pairs.addAll(List.of("first_name", text(), "last_name", "张"));
        case 3 ->
            pairs.addAll(
                List.of(
                    "media_url",
                    pick(
                        new String[] {
                          "https://img.example/1.jpg", "javascript:alert(1)", text()
                        })));
        case 4 -> pairs.addAll(List.of("attribute[" + pick(WORDS) + "]", text()));
        case 5 ->
            pairs.addAll(
                List.of(pick(new String[] {"lon", "api_key", "token", "attribute[x"}), text()));
        case 6 -> pairs.addAll(List.of("phone", pick(new String[] {"13800000000", text()})));
        default -> pairs.addAll(List.of("address_string", text()));
      }
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i + 1 < pairs.size(); i += 2) {
      b.append(b.length() == 0 ? "" : "&")
          .append(enc(pairs.get(i)))
          .append('=')
          .append(enc(pairs.get(i + 1)));
    }
    return switch (rnd.nextInt(20)) {
      case 0 -> mutate(b.toString());
      case 1 -> pick(new String[] {"%zz", "a=%", "&&&=", "=x", "service_code=%E4%B8", "%00=%00"});
      default -> b.toString();
    };
  }

  /** An Open311 read: services, requests by filter, id, token; broken in one way or another. */
  private String open311Read() {
    String f =
        rnd.nextInt(10) < 8
            ? pick(new String[] {"json", "xml"})
            : pick(new String[] {"html", "", "JSON"});
    String day = "2026-0" + (1 + rnd.nextInt(9)) + "-1" + rnd.nextInt(10) + "T00:00:00";
    String[] q = {
      "/open311/discovery." + f,
      "/open311/v2/services." + f + "?jurisdiction_id=" + enc(mutate("cq.example.gov")),
      "/open311/v2/services/"
          + enc(rnd.nextBoolean() ? pick(CATEGORIES) : mutate("road_damage"))
          + "."
          + f,
      "/open311/v2/requests."
          + f
          + "?service_code="
          + enc(rnd.nextBoolean() ? pick(CATEGORIES) : mutate("road_damage,manhole_cover"))
          + "&status="
          + enc(pick(new String[] {"open", "closed", "open,closed", "pending", ""}))
          + "&start_date="
          + enc(rnd.nextBoolean() ? day + "Z" : pick(TIMES))
          + "&end_date="
          + enc(rnd.nextBoolean() ? day.replace("T00", "T23") + "+08:00" : pick(TIMES)),
      "/open311/v2/requests." + f + "?service_request_id=" + enc(number() + "," + number()),
      "/open311/v2/requests/"
          + enc(number())
          + "."
          + f
          + (rnd.nextBoolean() ? "" : "?token=" + enc(mutate("AAAAAAAAAAAAAAAAAAAAAA"))),
      "/open311/v2/tokens/" + enc(mutate("AAAAAAAAAAAAAAAAAAAAAA")) + "." + f,
      "/open311/v2/" + enc(mutate("requests")) + "." + f + "?" + enc(pick(HOSTILE)) + "=1",
    };
    return q[rnd.nextInt(q.length)];
  }

  private static final String[] TIMES = {
    "2026-11-25T01:00:00Z", "2999-01-01T00:00:00Z", "yesterday", "2026-02-30T00:00:00Z", ""
  };

  /**
   * A batch of positions: real forces near the city (valid enough to be stored) or broken in one
   * way.
   */
  private String positions(Targets t) {
    StringBuilder b = new StringBuilder("{\"type\":\"FeatureCollection\",\"features\":[");
    int n = 1 + rnd.nextInt(3);
    for (int i = 0; i < n; i++) {
      boolean sane = rnd.nextInt(10) < 7;
      String id =
          sane
              ? "\"" + t.forces().get(rnd.nextInt(t.forces().size())) + "\""
              : pick(new String[] {number(), "\"x\"", "null", "[]"});
      String lon = sane ? String.valueOf(106.3 + rnd.nextDouble() * 0.6) : number();
      String lat = sane ? String.valueOf(29.3 + rnd.nextDouble() * 0.5) : number();
      String props =
          switch (rnd.nextInt(4)) {
            case 0 -> "{}";
            case 1 -> "{\"on_duty\":" + rnd.nextBoolean() + "}";
            case 2 -> "{\"time\":\"" + pick(TIMES) + "\"}";
            default -> "{\"on_duty\":\"" + pick(HOSTILE).replace("\"", "") + "\"}";
          };
      b.append(i == 0 ? "" : ",")
          .append("{\"type\":\"Feature\",\"id\":")
          .append(id)
          .append(",\"geometry\":{\"type\":\"")
          .append(sane ? "Point" : pick(new String[] {"Point", "Polygon", "Pt"}))
          .append("\",\"coordinates\":[")
          .append(lon)
          .append(",")
          .append(lat)
          .append("]},\"properties\":")
          .append(props)
          .append("}");
    }
    String body = b.append("]}").toString();
    return rnd.nextInt(10) < 8 ? body : mutate(body);
  }

  /**
   * A merge patch of a grid: a new name or count (valid), a read-only code, a geometry, hostile
   * text.
   */
  private String gridPatch() {
    String body =
        switch (rnd.nextInt(6)) {
          case 0, 1 -> "{\"properties\":{\"name\":\"第" + rnd.nextInt(100) + "网格\"}}";
          case 2 -> "{\"properties\":{\"population\":" + number() + "}}";
          case 3 -> "{\"properties\":{\"code\":\"" + number() + "\"}}";
          case 4 -> "{\"geometry\":{\"type\":\"Point\",\"coordinates\":[106.5,29.5]}}";
          default ->
              "{\"properties\":{\""
                  + pick(HOSTILE).replace("\"", "'")
                  + "\":\""
                  + pick(HOSTILE).replace("\"", "'")
                  + "\"}}";
        };
    return rnd.nextInt(10) < 8 ? body : mutate(body);
  }

  /**
   * A village's grids sent back as they are (a redraw that changes nothing), with one coordinate
   * moved, or mutated.
   */
  private String redraw(Targets t) {
    return switch (rnd.nextInt(3)) {
      case 0 -> t.village();
      case 1 -> t.village().replaceFirst("(\\d+\\.\\d{3})\\d*", "$1" + rnd.nextInt(10));
      default -> mutate(t.village());
    };
  }

  private Input next(Targets t) {
    int write = rnd.nextInt(1000);
    if (write < 40) {
      return new Input("POST", "/live/positions", positions(t), true);
    }
    if (write < 60) {
      String id =
          rnd.nextInt(10) < 8
              ? String.valueOf(t.grids().get(rnd.nextInt(t.grids().size())))
              : enc(mutate("500103001001001"));
      return new Input("PATCH", "/collections/grids/items/" + id, gridPatch(), true);
    }
    if (write < 75) {
      return new Input("POST", "/edits/grids", redraw(t), true);
    }
    if (write < 90) {
      return new Input(
          "POST",
          "/open311/v2/requests."
              + (rnd.nextInt(10) < 9 ? pick(new String[] {"json", "xml"}) : "txt"),
          open311Form(t),
          true,
          rnd.nextInt(20) == 0 ? "application/json" : FORM);
    }
    if (write < 100) {
      return new Input("POST", "/collections/events/items", incidentReport(t), true);
    }
    if (write < 110) {
      String id =
          rnd.nextInt(10) < 8
              ? String.valueOf(t.events().get(rnd.nextInt(t.events().size())))
              : enc(number());
      return new Input(
          "POST", "/collections/events/items/" + id + "/transitions", transition(), true);
    }
    if (write < 130) {
      return new Input("GET", open311Read(), null);
    }
    int kind = rnd.nextInt(100);
    if (kind < 35) {
      String f = rnd.nextInt(10) < 7 ? cqlText(0) : mutate(cqlText(0));
      return new Input("GET", "/collections/events/items?limit=5&filter=" + enc(f), null);
    }
    if (kind < 55) {
      String f = rnd.nextInt(10) < 7 ? cqlJson(0) : mutate(cqlJson(0));
      return new Input(
          "GET", "/collections/events/items?limit=5&filter-lang=cql2-json&filter=" + enc(f), null);
    }
    if (kind < 60) {
      String h = pick(HOSTILE);
      String param = rnd.nextBoolean() ? "filter=" + enc(h) : enc(h) + "=1";
      return new Input(
          "GET",
          "/collections/"
              + pick(new String[] {"events", "grids", "key_sites", "forces"})
              + "/items?"
              + param,
          null);
    }
    if (kind < 72) {
      String[] zoomy = {number(), number(), number() + (rnd.nextBoolean() ? ".mvt" : ".pbf")};
      if (rnd.nextInt(3) == 0) {
        zoomy[1] = "..";
      }
      return new Input("GET", "/tiles/cq/" + String.join("/", zoomy), null);
    }
    if (kind < 84) {
      String[] params = {
        "bbox=" + number() + "," + number() + "," + number() + "," + number(),
        "limit=" + number(),
        "offset=" + number(),
        "datetime="
            + enc(
                pick(
                    new String[] {
                      "2026-01-01T00:00:00Z/..", "../..", "2026-13-45", "x/y/z", "2026-01-01"
                    })),
        "crs="
            + enc(
                pick(
                    new String[] {
                      "http://www.opengis.net/def/crs/EPSG/0/4326", "EPSG:99999", "../../etc/passwd"
                    })),
        "properties="
            + enc(pick(new String[] {"category,status", "worker_name", "name", "__proto__", ""})),
        "category=" + enc(pick(WORDS)),
      };
      return new Input(
          "GET",
          "/collections/"
              + pick(new String[] {"events", "grids", "nope"})
              + "/items?"
              + params[rnd.nextInt(params.length)]
              + "&"
              + params[rnd.nextInt(params.length)],
          null);
    }
    if (kind < 92) {
      String body =
          switch (rnd.nextInt(5)) {
            case 0 ->
                "{\"points\":[["
                    + (106.5 + rnd.nextDouble() * 0.1)
                    + ","
                    + (29.5 + rnd.nextDouble() * 0.1)
                    + "]]}";
            case 1 ->
                "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":["
                    + number()
                    + ","
                    + number()
                    + "]}}]}";
            case 2 -> "{\"points\":" + "[".repeat(rnd.nextInt(3000)) + "]}";
            case 3 -> "{\"points\":[[" + number() + "," + number() + "]]}";
            default -> mutate("{\"points\":[[106.55,29.55],[106.56,29.56]]}");
          };
      return new Input("POST", "/query/locate", body);
    }
    String[] q = {
      "/query/locate?lon=" + number() + "&lat=" + number(),
      "/query/nearest?lon=" + number() + "&lat=" + number() + "&k=" + number(),
      "/query/within?collection=events&lon=106.55&lat=29.55&radius=" + number(),
      "/query/counts?collection="
          + pick(new String[] {"events", "grids", "x"})
          + "&by="
          + pick(new String[] {"district", "grid", "category", "nope"}),
      "/query/hotspots?collection=events&eps=" + number() + "&min_points=" + number(),
      "/viewer/search?q=" + enc(mutate("渝中")),
      "/fonts/" + enc(mutate("Noto Sans SC Regular")) + "/" + number() + "-" + number() + ".pbf",
      "/styles/" + enc(mutate("default")) + ".json",
    };
    return new Input("GET", q[rnd.nextInt(q.length)], null);
  }

  /**
   * Forces and grids that exist, and one village's grids as a redraw body, read over HTTP as an
   * admin.
   */
  private static Targets targets(TestServer server) throws Exception {
    String admin = server.bearer(Role.ADMIN, "");
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    List<Long> forces = new ArrayList<>();
    json.readTree(
            server.getText("/collections/forces/items?limit=200", "Authorization", admin).body())
        .get("features")
        .forEach(f -> forces.add(f.get("id").asLong()));
    var grids =
        json.readTree(
                server.getText("/collections/grids/items?limit=50", "Authorization", admin).body())
            .get("features");
    List<Long> gridIds = new ArrayList<>();
    grids.forEach(f -> gridIds.add(f.get("id").asLong()));
    String village = grids.get(0).get("properties").get("village_code").asText();
    String body =
        server
            .getText(
                "/collections/grids/items?limit=100&filter="
                    + enc("village_code = '" + village + "'"),
                "Authorization",
                admin)
            .body();
    com.fasterxml.jackson.databind.node.ObjectNode fc =
        (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(body);
    com.fasterxml.jackson.databind.node.ArrayNode features = json.createArrayNode();
    // the redraw body: id and outline only (the properties of a grid are edited with PATCH)
    fc.get("features")
        .forEach(
            f ->
                features.add(
                    json.createObjectNode().put("type", "Feature").set("id", f.get("id"))));
    for (int i = 0; i < features.size(); i++) {
      ((com.fasterxml.jackson.databind.node.ObjectNode) features.get(i))
          .set("geometry", fc.get("features").get(i).get("geometry"));
    }
    String redrawBody =
        json.createObjectNode()
            .put("type", "FeatureCollection")
            .set("features", features)
            .toString();
    assertThat(forces).isNotEmpty();
    assertThat(features.size()).as("grids of village %s", village).isGreaterThan(1);
    // the server serves TestCity.small(): points inside its grids, ids of its incidents
    List<Point> points =
        TestCity.small().layer("grids").features().stream()
            .limit(300)
            .map(g -> g.geometry().getInteriorPoint())
            .toList();
    List<Long> events =
        TestCity.small().layer("events").features().stream()
            .limit(300)
            .map(io.gridmap.layers.model.Feature::id)
            .toList();
    return new Targets(forces, gridIds, redrawBody, points, events);
  }

  /**
   * Why a refusal is not in the form its path promises, or null: problem+json everywhere, except
   * under /open311, where it is GeoReport v2's error list in the format of the path's suffix.
   */
  private static String errorFormProblem(Input in, HttpResponse<String> res) {
    String type = res.headers().firstValue("Content-Type").orElse("");
    String path = in.path().split("\\?", 2)[0];
    try {
      if (!path.startsWith("/open311/")) {
        return type.equals("application/problem+json")
            ? null
            : "Content-Type " + type + " for " + res.statusCode();
      }
      if (path.endsWith(".json")) {
        com.fasterxml.jackson.databind.JsonNode e =
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(res.body()).get(0);
        return type.equals("application/json; charset=utf-8")
                && e.get("code").asInt() == res.statusCode()
                && e.get("description").isTextual()
            ? null
            : type + " " + res.body();
      }
      javax.xml.parsers.DocumentBuilderFactory f =
          javax.xml.parsers.DocumentBuilderFactory.newInstance();
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      javax.xml.parsers.DocumentBuilder parser = f.newDocumentBuilder();
      parser.setErrorHandler(null); // a broken document is reported below, not on stderr too
      org.w3c.dom.Element root =
          parser
              .parse(new java.io.ByteArrayInputStream(res.body().getBytes(StandardCharsets.UTF_8)))
              .getDocumentElement();
      org.w3c.dom.NodeList code = root.getElementsByTagName("code");
      return type.equals("text/xml; charset=utf-8")
              && root.getTagName().equals("errors")
              && code.getLength() == 1
              && code.item(0).getTextContent().equals(Integer.toString(res.statusCode()))
              && root.getElementsByTagName("description").getLength() == 1
          ? null
          : type + " " + res.body();
    } catch (Exception e) {
      return type + " unreadable (" + e + "): " + res.body();
    }
  }

  @Test
  void oneHundredThousandHostileOrRandomRequestsNeverGetA5xx() throws Exception {
    Map<String, String> settings =
        new java.util.HashMap<>(
            Map.of(
                "rate_limit_per_s",
                "100000000",
                "rate_limit_burst",
                "100000000",
                "open311_posts_per_minute",
                "100000000"));
    // on a real store: the write paths (positions, grid edits, redraws) are fuzzed too
    try (TestServer server = TestServer.startWithStore(TestCity.small(), settings)) {
      String auth = server.bearer(Role.ANALYST, "");
      String admin = server.bearer(Role.ADMIN, "");
      Targets targets = targets(server);
      HttpClient http =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(10))
              .build();
      Semaphore inFlight = new Semaphore(16);
      AtomicInteger evaluated = new AtomicInteger();
      AtomicInteger total = new AtomicInteger();
      Map<String, String> fiveHundreds = new ConcurrentHashMap<>();
      Map<String, String> badForms = new ConcurrentHashMap<>();
      Map<Integer, AtomicInteger> byStatus = new ConcurrentHashMap<>();
      Map<String, AtomicInteger> writes = new java.util.concurrent.ConcurrentSkipListMap<>();
      List<CompletableFuture<?>> pending = new ArrayList<>();
      for (int i = 0; i < INPUTS; i++) {
        Input in = next(targets);
        HttpRequest.Builder b;
        try {
          b =
              HttpRequest.newBuilder(URI.create(server.baseUrl() + in.path()))
                  .timeout(Duration.ofSeconds(60))
                  .header("Authorization", in.write() ? admin : auth);
        } catch (IllegalArgumentException notAUri) {
          // the generator made a string no client can send as a URI; count it as refused input
          total.incrementAndGet();
          continue;
        }
        if (in.body() != null) {
          b.header("Content-Type", in.contentType())
              .method(in.method(), HttpRequest.BodyPublishers.ofString(in.body()));
        }
        inFlight.acquire();
        HttpRequest req = b.build();
        CompletableFuture<?> f =
            http.sendAsync(req, HttpResponse.BodyHandlers.ofString())
                // A keep-alive connection the server has just closed (it closes after a 414, as
                // HTTP allows) can be picked for the next request; the JDK client retries that
                // for GET but not for POST. One retry on a fresh connection, as a browser does.
                .exceptionallyCompose(
                    e -> http.sendAsync(req, HttpResponse.BodyHandlers.ofString()))
                .handle(
                    (res, err) -> {
                      inFlight.release();
                      total.incrementAndGet();
                      if (err != null) {
                        fiveHundreds.put(
                            in.method()
                                + " "
                                + in.path()
                                + (in.body() == null
                                    ? ""
                                    : " body "
                                        + in.body()
                                            .substring(0, Math.min(300, in.body().length()))),
                            "transport: " + err);
                        return null;
                      }
                      byStatus
                          .computeIfAbsent(res.statusCode(), st -> new AtomicInteger())
                          .incrementAndGet();
                      if (in.write()) {
                        writes
                            .computeIfAbsent(
                                in.method()
                                    + " "
                                    + in.path().replaceAll("/items/.*$", "/items/{id}")
                                    + " "
                                    + res.statusCode(),
                                k -> new AtomicInteger())
                            .incrementAndGet();
                      }
                      // a 414 is answered by Vert.x's HTTP decoder before any handler runs,
                      // with no body: no form to check
                      if (res.statusCode() >= 400
                          && res.statusCode() < 500
                          && res.statusCode() != 414) {
                        String wrong = errorFormProblem(in, res);
                        if (wrong != null) {
                          badForms.put(
                              res.statusCode()
                                  + " "
                                  + in.method()
                                  + " "
                                  + in.path().substring(0, Math.min(120, in.path().length())),
                              wrong.substring(0, Math.min(200, wrong.length())));
                        }
                      }
                      if (res.statusCode() >= 500) {
                        fiveHundreds.put(
                            in.method() + " " + in.path(), res.statusCode() + " " + res.body());
                      } else if (res.statusCode() == 200) {
                        evaluated.incrementAndGet();
                      }
                      return null;
                    });
        pending.add(f);
        if (pending.size() > 1000) {
          pending.removeIf(CompletableFuture::isDone);
        }
      }
      CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
      System.out.printf(
          "[fuzz] %d inputs, %d evaluated (200), by status %s; writes %s%n",
          total.get(), evaluated.get(), byStatus, writes);
      assertThat(total.get()).isEqualTo(INPUTS);
      assertThat(fiveHundreds).as("requests answered 5xx or not at all").isEmpty();
      assertThat(badForms)
          .as("refusals not in problem+json (Open311: [{code, description}] in the path's format)")
          .isEmpty();
      assertThat(evaluated.get())
          .as("inputs valid enough to reach evaluation")
          .isGreaterThanOrEqualTo(INPUTS * 30 / 100);
      // every write path was reached and took valid input: the fuzzer is not just knocking on doors
      for (String path :
          List.of(
              "POST /live/positions 200",
              "PATCH /collections/grids/items/{id} 200",
              "POST /edits/grids 200",
              "POST /collections/events/items 201",
              "POST /collections/events/items/{id} 200",
              "POST /open311/v2/requests.json 200",
              "POST /open311/v2/requests.xml 200")) {
        assertThat(writes).as("writes by path and status").containsKey(path);
      }
      assertThat(server.server().uncaughtExceptions())
          .as("exceptions that escaped every handler")
          .isZero();
      var health = server.get("/health");
      assertThat(health.statusCode()).as("the server still answers").isEqualTo(200);
    }
  }
}
