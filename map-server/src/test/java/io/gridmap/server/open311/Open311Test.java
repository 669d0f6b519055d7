package io.gridmap.server.open311;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.EventCategory;
import io.gridmap.layers.model.Feature;
import io.gridmap.server.security.Role;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Point;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Open311 GeoReport v2 on the generated small city with a real store: discovery and services in
 * both formats, form-encoded reports that become incidents, public redacted service requests, the
 * status mapping, the reporter's private link, errors in Open311's form.
 */
class Open311Test {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> SETTINGS =
      Map.of(
          "rate_limit_per_s",
          "100000",
          "rate_limit_burst",
          "100000",
          "open311_posts_per_minute",
          "100000");
  private static TestServer server;
  private static Iterator<Feature> grids;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.startWithStore(TestCity.small(), SETTINGS);
    grids = grids();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  /** Grids of 渝中 with a worker, each for one report, so no report is another's duplicate. */
  static Iterator<Feature> grids() {
    int worker = Catalogue.GRIDS.fieldIndex("worker_id");
    return TestCity.small().layer("grids").features().stream()
        .filter(g -> g.value(worker) != null)
        .filter(g -> g.id() / 1_000_000_000L == 500103L)
        .toList()
        .iterator();
  }

  private static synchronized Point somewhere() {
    return grids.next().geometry().getInteriorPoint();
  }

  static String form(String... pairs) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      sb.append(sb.length() == 0 ? "" : "&")
          .append(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8))
          .append('=')
          .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
    }
    return sb.toString();
  }

  static HttpResponse<String> post(TestServer s, String path, String body, String... headers)
      throws Exception {
    List<String> h =
        new ArrayList<>(
            List.of("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"));
    h.addAll(Arrays.asList(headers));
    return s.send("POST", path, body, h.toArray(String[]::new));
  }

  private static HttpResponse<String> report(Point p, String category, String... more)
      throws Exception {
    List<String> pairs =
        new ArrayList<>(
            List.of(
                "service_code",
                category,
                "lat",
                Double.toString(p.getY()),
                "long",
                Double.toString(p.getX()),
                "first_name",
                "三",
                "last_name",
                "张",
                "email",
                "zhang.san@example.cn",
                "phone",
                "13800000000",
                "description",
                "路面塌陷\n一米宽",
                "media_url",
                "https://img.example/pothole.jpg"));
    pairs.addAll(List.of(more));
    return post(server, "/open311/v2/requests.json", form(pairs.toArray(String[]::new)));
  }

  static Document xml(String body) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return f.newDocumentBuilder()
        .parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
  }

  static List<Element> children(Node parent) {
    List<Element> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e) {
        out.add(e);
      }
    }
    return out;
  }

  static List<String> names(Node parent) {
    return children(parent).stream().map(Element::getTagName).toList();
  }

  static String child(Node parent, String name) {
    return children(parent).stream()
        .filter(e -> e.getTagName().equals(name))
        .map(Element::getTextContent)
        .findFirst()
        .orElse(null);
  }

  private static String commander() {
    return server.bearer(Role.COMMANDER, "");
  }

  @Test
  void discoveryNamesTheEndpointAndItsFormatsInJsonAndXml() throws Exception {
    HttpResponse<String> json = server.getText("/open311/discovery.json");
    assertThat(json.statusCode()).isEqualTo(200);
    assertThat(json.headers().firstValue("Content-Type"))
        .hasValue("application/json; charset=utf-8");
    JsonNode d = JSON.readTree(json.body());
    assertThat(d.get("changeset").asText()).isNotBlank();
    assertThat(d.has("contact")).isTrue();
    assertThat(d.has("key_service")).isTrue();
    JsonNode endpoint = d.get("endpoints").get(0);
    assertThat(endpoint.get("specification").asText())
        .isEqualTo("http://wiki.open311.org/GeoReport_v2");
    assertThat(endpoint.get("url").asText()).isEqualTo(server.baseUrl() + "/open311/v2");
    assertThat(endpoint.get("type").asText()).isEqualTo("production");
    assertThat(endpoint.get("formats"))
        .extracting(JsonNode::asText)
        .containsExactly("text/xml", "application/json");

    HttpResponse<String> x = server.getText("/open311/discovery.xml");
    assertThat(x.headers().firstValue("Content-Type")).hasValue("text/xml; charset=utf-8");
    assertThat(x.body()).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    Element root = xml(x.body()).getDocumentElement();
    assertThat(root.getTagName()).isEqualTo("discovery");
    assertThat(names(root)).containsExactly("changeset", "contact", "key_service", "endpoints");
    Element ep = children(children(root).get(3)).get(0);
    assertThat(ep.getTagName()).isEqualTo("endpoint");
    assertThat(names(ep)).containsExactly("specification", "url", "changeset", "type", "formats");
    Element formats = children(ep).get(4);
    assertThat(names(formats)).containsExactly("format", "format");
  }

  @Test
  void servicesAreThePublicCategoriesWithTheirBoardAsGroupInJsonAndXml() throws Exception {
    JsonNode services =
        JSON.readTree(server.getText("/open311/v2/services.json?jurisdiction_id=cq.gov.cn").body());
    List<String> codes = new ArrayList<>();
    services.forEach(s -> codes.add(s.get("service_code").asText()));
    List<String> expected =
        Arrays.stream(EventCategory.values())
            .filter(c -> c != EventCategory.WRISTBAND_ALARM)
            .map(EventCategory::code)
            .toList();
    assertThat(codes).containsExactlyElementsOf(expected);
    JsonNode road = services.get(codes.indexOf("road_damage"));
    assertThat(road.get("service_name").asText()).isEqualTo("道路破损");
    assertThat(road.get("metadata").isBoolean()).isTrue();
    assertThat(road.get("metadata").asBoolean()).isFalse();
    assertThat(road.get("type").asText()).isEqualTo("realtime");
    assertThat(road.get("group").asText()).isEqualTo("民生");
    assertThat(road.get("keywords").asText()).contains("livelihood");

    HttpResponse<String> x = server.getText("/open311/v2/services.xml");
    Element root = xml(x.body()).getDocumentElement();
    assertThat(root.getTagName()).isEqualTo("services");
    List<Element> list = children(root);
    assertThat(list)
        .hasSize(expected.size())
        .allSatisfy(e -> assertThat(e.getTagName()).isEqualTo("service"));
    assertThat(names(list.get(0)))
        .containsExactly(
            "service_code", "service_name", "description", "metadata", "type", "keywords", "group");
    assertThat(child(list.get(0), "metadata")).isEqualTo("false");

    Element def =
        xml(server.getText("/open311/v2/services/road_damage.xml").body()).getDocumentElement();
    assertThat(def.getTagName()).isEqualTo("service_definition");
    assertThat(names(def)).containsExactly("service_code", "attributes");
    JsonNode jdef = JSON.readTree(server.getText("/open311/v2/services/road_damage.json").body());
    assertThat(jdef.get("service_code").asText()).isEqualTo("road_damage");
    assertThat(jdef.get("attributes")).isEmpty();
    HttpResponse<String> alarm = server.getText("/open311/v2/services/wristband_alarm.json");
    assertThat(alarm.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(alarm.body()).get(0).get("code").asInt()).isEqualTo(404);
  }

  @Test
  void aFormPostIsAReportThatIsAnItemAndAPublicRedactedServiceRequest() throws Exception {
    Point p = somewhere();
    HttpResponse<String> r =
        report(p, "road_damage", "jurisdiction_id", "cq.gov.cn", "attribute[size]", "1m");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    JsonNode answer = JSON.readTree(r.body());
    assertThat(answer.isArray()).isTrue();
    String id = answer.get(0).get("service_request_id").asText();
    assertThat(answer.get(0).get("service_notice").asText()).contains("指挥中心");
    String link = answer.get(0).get("private_url").asText();
    assertThat(link).startsWith(server.baseUrl() + "/open311/v2/requests/" + id + ".json?token=");
    String secret = link.substring(link.indexOf("token=") + 6);

    // an incident like any other: an item, routed, from open311; the reporter only for staff
    JsonNode item = JSON.readTree(server.getText("/collections/events/items/" + id).body());
    assertThat(item.at("/properties/source").asText()).isEqualTo("open311");
    assertThat(item.at("/properties/category").asText()).isEqualTo("road_damage");
    assertThat(item.at("/properties/urgency").asText()).isEqualTo("normal");
    assertThat(item.at("/properties/photos").asText()).isEqualTo("https://img.example/pothole.jpg");
    assertThat(item.get("properties").has("reporter")).isFalse();
    JsonNode staff =
        JSON.readTree(
            server.getText("/collections/events/items/" + id, "Authorization", commander()).body());
    assertThat(staff.at("/properties/reporter").asText())
        .isEqualTo("三 张, zhang.san@example.cn, 13800000000");
    assertThat(staff.at("/properties/request_key").asText())
        .startsWith("open311:")
        .doesNotContain(secret);

    HttpResponse<String> one = server.getText("/open311/v2/requests.json?service_request_id=" + id);
    assertThat(one.statusCode()).isEqualTo(200);
    assertThat(one.body()).doesNotContain("zhang", "13800000000", "三", "open311:", secret);
    JsonNode req = JSON.readTree(one.body()).get(0);
    assertThat(req.get("service_request_id").asText()).isEqualTo(id);
    assertThat(req.get("status").asText()).isEqualTo("open");
    assertThat(req.get("status_notes").asText()).startsWith("reported (已上报)");
    assertThat(req.get("service_code").asText()).isEqualTo("road_damage");
    assertThat(req.get("service_name").asText()).isEqualTo("道路破损");
    assertThat(req.get("description").asText()).isEqualTo("路面塌陷\n一米宽");
    assertThat(req.get("agency_responsible").asText()).endsWith("指挥中心");
    assertThat(req.get("lat").asDouble())
        .isCloseTo(p.getY(), org.assertj.core.data.Offset.offset(1e-7));
    assertThat(req.get("long").asDouble())
        .isCloseTo(p.getX(), org.assertj.core.data.Offset.offset(1e-7));
    assertThat(req.get("media_url").asText()).isEqualTo("https://img.example/pothole.jpg");
    assertThat(req.get("address_id").asText()).isEqualTo(item.at("/properties/grid_code").asText());
    assertThat(req.get("address").asText()).contains(",");
    assertThat(req.get("requested_datetime").asText())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+08:00");
    List<String> keys = new ArrayList<>();
    req.fieldNames().forEachRemaining(keys::add);
    assertThat(keys)
        .containsExactly(
            "service_request_id",
            "status",
            "status_notes",
            "service_name",
            "service_code",
            "description",
            "agency_responsible",
            "requested_datetime",
            "updated_datetime",
            "address",
            "address_id",
            "lat",
            "long",
            "media_url");

    // in the default list (the last 90 days, newest first) and in XML
    JsonNode recent =
        JSON.readTree(
            server
                .getText("/open311/v2/requests.json?service_code=road_damage,manhole_cover")
                .body());
    List<String> ids = new ArrayList<>();
    recent.forEach(x -> ids.add(x.get("service_request_id").asText()));
    assertThat(ids).contains(id);
    Element root =
        xml(server.getText("/open311/v2/requests/" + id + ".xml").body()).getDocumentElement();
    assertThat(root.getTagName()).isEqualTo("service_requests");
    assertThat(names(root)).containsExactly("request");
    Element request = children(root).get(0);
    assertThat(names(request)).containsExactlyElementsOf(keys);
    assertThat(child(request, "service_request_id")).isEqualTo(id);
    assertThat(child(request, "description")).isEqualTo("路面塌陷\n一米宽");
  }

  @Test
  void theFinerStatesMapOntoOpenAndClosedAndTheNotesCarryThem() throws Exception {
    HttpResponse<String> r = report(somewhere(), "manhole_cover");
    String id = JSON.readTree(r.body()).get(0).get("service_request_id").asText();
    String[][] steps = {
      {"dispatch", "open", "dispatched (已派遣)"},
      {"accept", "open", "accepted (已受理)"},
      {"resolve", "open", "resolved (已办结)"},
      {"verify", "open", "verified (已核实)"},
      {"close", "closed", "closed (已关闭)"}
    };
    for (String[] s : steps) {
      HttpResponse<String> m =
          server.send(
              "POST",
              "/collections/events/items/" + id + "/transitions",
              "{\"action\":\"" + s[0] + "\"}",
              "Content-Type",
              "application/json",
              "Authorization",
              commander());
      assertThat(m.statusCode()).as(s[0] + ": " + m.body()).isEqualTo(200);
      JsonNode req =
          JSON.readTree(server.getText("/open311/v2/requests/" + id + ".json").body()).get(0);
      assertThat(req.get("status").asText()).as(s[0]).isEqualTo(s[1]);
      assertThat(req.get("status_notes").asText()).as(s[0]).startsWith(s[2]);
    }
    assertThat(ids("/open311/v2/requests.json?status=closed&service_code=manhole_cover"))
        .contains(id);
    assertThat(ids("/open311/v2/requests.json?status=open&service_code=manhole_cover"))
        .doesNotContain(id);
    assertThat(ids("/open311/v2/requests.json?status=open,closed&service_code=manhole_cover"))
        .contains(id);
  }

  private static List<String> ids(String path) throws Exception {
    HttpResponse<String> r = server.getText(path);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<String> out = new ArrayList<>();
    JSON.readTree(r.body()).forEach(x -> out.add(x.get("service_request_id").asText()));
    return out;
  }

  @Test
  void thePrivateLinkWorksOnlyWithItsSecret() throws Exception {
    JsonNode a = JSON.readTree(report(somewhere(), "street_light_out").body()).get(0);
    JsonNode b = JSON.readTree(report(somewhere(), "street_light_out").body()).get(0);
    String link = a.get("private_url").asText();
    String path = link.substring(server.baseUrl().length());
    HttpResponse<String> mine = server.getText(path);
    assertThat(mine.statusCode()).isEqualTo(200);
    assertThat(mine.headers().firstValue("Cache-Control")).hasValue("private, no-store");
    assertThat(JSON.readTree(mine.body()).get(0).get("service_request_id").asText())
        .isEqualTo(a.get("service_request_id").asText());
    String secret = link.substring(link.indexOf("token=") + 6);
    String other = b.get("private_url").asText();
    String otherSecret = other.substring(other.indexOf("token=") + 6);
    String base = "/open311/v2/requests/" + a.get("service_request_id").asText() + ".json?token=";
    char last = secret.charAt(secret.length() - 1);
    for (String wrong :
        List.of(
            otherSecret,
            secret.substring(0, secret.length() - 1) + (last == 'A' ? 'B' : 'A'),
            "short",
            secret + "x")) {
      HttpResponse<String> no =
          server.getText(base + URLEncoder.encode(wrong, StandardCharsets.UTF_8));
      assertThat(no.statusCode()).as(wrong).isEqualTo(404);
      assertThat(JSON.readTree(no.body()).get(0).get("code").asInt()).isEqualTo(404);
    }
    JsonNode token =
        JSON.readTree(server.getText("/open311/v2/tokens/" + secret + ".json").body()).get(0);
    assertThat(token.get("service_request_id").asText())
        .isEqualTo(a.get("service_request_id").asText());
    assertThat(token.get("token").asText()).isEqualTo(secret);
    assertThat(
            server
                .getText("/open311/v2/tokens/" + otherSecret.substring(1) + "A.json")
                .statusCode())
        .isEqualTo(404);
  }

  @Test
  void aPersonalReportIsAbsentForThePublicButVisibleThroughItsPrivateLink() throws Exception {
    Point p = somewhere();
    String box =
        (p.getX() - 1e-5)
            + ","
            + (p.getY() - 1e-5)
            + ","
            + (p.getX() + 1e-5)
            + ","
            + (p.getY() + 1e-5);
    String counts = "/query/counts?collection=events&by=category&bbox=" + box;
    HttpResponse<String> r = report(p, "elderly_care_request");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode answer = JSON.readTree(r.body()).get(0);
    String id = answer.get("service_request_id").asText();
    assertThat(server.getText("/open311/v2/requests/" + id + ".json").statusCode()).isEqualTo(404);
    assertThat(server.getText("/open311/v2/requests.json?service_request_id=" + id).body())
        .isEqualTo("[]");
    assertThat(ids("/open311/v2/requests.json?service_code=elderly_care_request"))
        .doesNotContain(id);
    assertThat(ids("/open311/v2/requests.json")).doesNotContain(id);
    assertThat(server.getText("/collections/events/items/" + id).statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(server.getText(counts).body()).get("numberMatched").asInt()).isZero();
    assertThat(
            JSON.readTree(server.getText(counts, "Authorization", commander()).body())
                .get("numberMatched")
                .asInt())
        .isEqualTo(1);

    String link = answer.get("private_url").asText();
    HttpResponse<String> mine = server.getText(link.substring(server.baseUrl().length()));
    assertThat(mine.statusCode()).isEqualTo(200);
    JsonNode req = JSON.readTree(mine.body()).get(0);
    assertThat(req.get("service_code").asText()).isEqualTo("elderly_care_request");
    assertThat(req.get("status_notes").asText()).startsWith("reported");
    assertThat(mine.body()).doesNotContain("zhang", "13800000000");
  }

  @Test
  void aRetryWithTheSameIdempotencyKeyIsTheSameReportWithTheSameLink() throws Exception {
    Point p = somewhere();
    HttpResponse<String> first = report(p, "water_leak");
    String body =
        form(
            "service_code",
            "garbage_pileup",
            "lat",
            Double.toString(p.getY()),
            "long",
            Double.toString(p.getX()));
    HttpResponse<String> a =
        post(server, "/open311/v2/requests.xml", body, "Idempotency-Key", "fms-123");
    HttpResponse<String> b =
        post(server, "/open311/v2/requests.xml", body, "Idempotency-Key", "fms-123");
    assertThat(a.statusCode()).as(a.body()).isEqualTo(200);
    Element ra = children(xml(a.body()).getDocumentElement()).get(0);
    Element rb = children(xml(b.body()).getDocumentElement()).get(0);
    assertThat(child(rb, "service_request_id")).isEqualTo(child(ra, "service_request_id"));
    assertThat(child(rb, "private_url"))
        .isEqualTo(child(ra, "private_url"))
        .contains(".xml?token=");
    assertThat(child(ra, "service_request_id"))
        .isNotEqualTo(JSON.readTree(first.body()).get(0).get("service_request_id").asText());
    HttpResponse<String> c =
        post(server, "/open311/v2/requests.xml", body, "Idempotency-Key", "fms-124");
    assertThat(child(children(xml(c.body()).getDocumentElement()).get(0), "service_request_id"))
        .isNotEqualTo(child(ra, "service_request_id"));
  }

  @Test
  void badInputIsAnOpen311ErrorNamingTheParameterAndWritesNothing() throws Exception {
    Point p = somewhere();
    String lat = Double.toString(p.getY());
    String lon = Double.toString(p.getX());
    Object[][] cases = {
      {form("service_code", "alien_landing", "lat", lat, "long", lon), 404, "service_code"},
      {form("service_code", "wristband_alarm", "lat", lat, "long", lon), 404, "service_code"},
      {form("lat", lat, "long", lon), 400, "service_code"},
      {form("service_code", "road_damage", "long", lon), 400, "lat"},
      {form("service_code", "road_damage", "lat", "abc", "long", lon), 400, "lat"},
      {form("service_code", "road_damage", "lat", "91", "long", lon), 400, "lat"},
      {form("service_code", "road_damage", "lat", "NaN", "long", lon), 400, "lat"},
      {form("service_code", "road_damage", "lat", lat, "long", "181"), 400, "long"},
      {form("service_code", "road_damage", "lat", lat, "lon", lon), 400, "long"},
      {form("service_code", "road_damage", "address_string", "解放碑"), 400, "address_string"},
      {
        form("service_code", "road_damage", "lat", lat, "long", lon, "email", "not-an-address"),
        400,
        "email"
      },
      {
        form(
            "service_code",
            "road_damage",
            "lat",
            lat,
            "long",
            lon,
            "media_url",
            "javascript:alert(1)"),
        400,
        "media_url"
      },
      {
        form(
            "service_code",
            "road_damage",
            "lat",
            lat,
            "long",
            lon,
            "description",
            "x".repeat(4001)),
        400,
        "description"
      },
      {
        form("service_code", "road_damage", "lat", lat, "long", lon, "first_name", "a\u0000b"),
        400,
        "first_name"
      },
      {
        form("service_code", "road_damage", "service_code", "road_damage", "lat", lat, "long", lon),
        400,
        "service_code"
      },
      {"service_code=road_damage&lat=%zz", 400, "malformed"},
      {form("service_code", "road_damage", "lat", "29.0", "long", "120.0"), 422, "lat=29.0"},
    };
    int before = eventsCount();
    for (Object[] c : cases) {
      HttpResponse<String> r = post(server, "/open311/v2/requests.json", (String) c[0]);
      assertThat(r.statusCode()).as(c[0] + " -> " + r.body()).isEqualTo(c[1]);
      assertThat(r.headers().firstValue("Content-Type"))
          .hasValue("application/json; charset=utf-8");
      JsonNode errors = JSON.readTree(r.body());
      assertThat(errors.isArray()).isTrue();
      assertThat(errors.get(0).get("code").asInt()).isEqualTo(c[1]);
      assertThat(errors.get(0).get("description").asText()).as(r.body()).contains((String) c[2]);
    }
    HttpResponse<String> x =
        post(server, "/open311/v2/requests.xml", form("service_code", "road_damage", "long", lon));
    assertThat(x.statusCode()).isEqualTo(400);
    assertThat(x.headers().firstValue("Content-Type")).hasValue("text/xml; charset=utf-8");
    Element errors = xml(x.body()).getDocumentElement();
    assertThat(errors.getTagName()).isEqualTo("errors");
    Element error = children(errors).get(0);
    assertThat(error.getTagName()).isEqualTo("error");
    assertThat(names(error)).containsExactly("code", "description");
    assertThat(child(error, "code")).isEqualTo("400");
    assertThat(child(error, "description")).contains("lat");
    HttpResponse<String> json =
        server.send(
            "POST",
            "/open311/v2/requests.json",
            "{\"service_code\":\"road_damage\"}",
            "Content-Type",
            "application/json");
    assertThat(json.statusCode()).isEqualTo(415);
    assertThat(JSON.readTree(json.body()).get(0).get("code").asInt()).isEqualTo(415);
    assertThat(eventsCount()).isEqualTo(before);

    Object[][] reads = {
      {"/open311/v2/requests.json?status=pending", 400, "status"},
      {"/open311/v2/requests.json?start_date=yesterday", 400, "start_date"},
      {
        "/open311/v2/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z",
        400,
        "90 days"
      },
      {"/open311/v2/requests.json?service_code=nope", 400, "service_code"},
      {"/open311/v2/requests.json?service_request_id=1,x", 400, "service_request_id"},
      {"/open311/v2/requests.json?page=2", 400, "page"},
      {"/open311/v2/requests/abc.json", 404, "abc"},
      {"/open311/v2/requests/99.json", 404, "99"},
      {"/open311/v2/requests.html", 404, "html"},
      {"/open311/v2/nothing.json", 404, "/open311/v2"},
    };
    for (Object[] c : reads) {
      HttpResponse<String> r = server.getText((String) c[0]);
      assertThat(r.statusCode()).as(c[0] + " -> " + r.body()).isEqualTo(c[1]);
      String description =
          r.headers().firstValue("Content-Type").orElse("").startsWith("text/xml")
              ? child(children(xml(r.body()).getDocumentElement()).get(0), "description")
              : JSON.readTree(r.body()).get(0).get("description").asText();
      assertThat(description).contains((String) c[2]);
    }
    HttpResponse<String> put =
        server.send(
            "PUT",
            "/open311/v2/requests.json",
            "",
            "Content-Type",
            "application/x-www-form-urlencoded");
    assertThat(put.statusCode()).isEqualTo(405);
    assertThat(put.headers().firstValue("Allow")).hasValue("GET, HEAD, OPTIONS, POST");
    assertThat(JSON.readTree(put.body()).get(0).get("code").asInt()).isEqualTo(405);
  }

  /**
   * The requests FixMyStreet's Open311 client (perllib/Open311.pm) sends, in its order and shape:
   * the service list as XML, a form POST to requests.xml with jurisdiction_id, its extended
   * description, the name split in two, lat/long truncated to six decimals, one media_url per photo
   * and its extras as attribute[...]; the answer read as
   * service_requests/request/service_request_id; then requests.xml by id list, and by a
   * start_date/end_date window as its fetch job asks, reading updated_datetime back as a W3C
   * date-time.
   */
  @Test
  void aFixMyStreetClientSequenceWorksUnchanged() throws Exception {
    String endpoint = "/open311/v2/";
    String jurisdiction = "jurisdiction_id=cq.example.gov";
    Document services = xml(server.getText(endpoint + "services.xml?" + jurisdiction).body());
    String code = null;
    for (Element s : children(services.getDocumentElement())) {
      if (child(s, "service_name").equals("井盖破损")) {
        code = child(s, "service_code");
        assertThat(child(s, "metadata")).isEqualTo("false"); // no services/{code}.xml call needed
      }
    }
    assertThat(code).isEqualTo("manhole_cover");

    Point p = somewhere();
    String description =
        "title: Loose manhole cover\n\ndetail: It rocks when cars pass\n\n"
            + "url: https://fms.example/report/4242\n\nSubmitted via FixMyStreet\n";
    String body =
        form(
            "jurisdiction_id", "cq.example.gov",
            "description", description,
            "service_code", code,
            "first_name", "Li",
            "last_name", "Si",
            "phone", "+86 138 0000 0000",
            "email", "li.si@example.org",
            "lat", String.format(java.util.Locale.ROOT, "%.6f", p.getY()),
            "long", String.format(java.util.Locale.ROOT, "%.6f", p.getX()),
            "media_url", "https://fms.example/photo/4242.0.full.jpeg",
            "media_url", "https://fms.example/photo/4242.1.full.jpeg",
            "attribute[fixmystreet_id]", "4242",
            "attribute[title]", "Loose manhole cover",
            "attribute[report_url]", "https://fms.example/report/4242");
    // HTTP::Request::Common sends the bare media type
    HttpResponse<String> posted =
        server.send(
            "POST",
            endpoint + "requests.xml",
            body,
            "Content-Type",
            "application/x-www-form-urlencoded");
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
    Element request = children(xml(posted.body()).getDocumentElement()).get(0);
    assertThat(request.getTagName()).isEqualTo("request");
    String id = child(request, "service_request_id");
    assertThat(id).matches("\\d+");
    assertThat(child(request, "token")).as("no token alongside an id, as the spec says").isNull();

    Document byIds =
        xml(
            server
                .getText(
                    endpoint + "requests.xml?" + jurisdiction + "&service_request_id=" + id + ",1")
                .body());
    List<Element> found = children(byIds.getDocumentElement());
    assertThat(found).hasSize(1);
    assertThat(child(found.get(0), "status")).isEqualTo("open");
    assertThat(child(found.get(0), "media_url"))
        .isEqualTo("https://fms.example/photo/4242.0.full.jpeg");
    assertThat(child(found.get(0), "description")).isEqualTo(description.strip());

    java.time.Instant now =
        java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    String window = "&start_date=" + now.minusSeconds(3600) + "&end_date=" + now.plusSeconds(60);
    Document recent =
        xml(server.getText(endpoint + "requests.xml?" + jurisdiction + window).body());
    Element mine = null;
    for (Element r : children(recent.getDocumentElement())) {
      assertThat(child(r, "service_request_id")).isNotBlank();
      assertThat(child(r, "lat")).isNotBlank();
      assertThat(child(r, "long")).isNotBlank();
      if (child(r, "service_request_id").equals(id)) {
        mine = r;
      }
    }
    assertThat(mine).isNotNull();
    java.time.Instant updated =
        java.time.OffsetDateTime.parse(child(mine, "updated_datetime")).toInstant();
    assertThat(updated).isBetween(now.minusSeconds(3600), now.plusSeconds(60));
    assertThat(Double.parseDouble(child(mine, "lat")))
        .isCloseTo(p.getY(), org.assertj.core.data.Offset.offset(1e-6));
  }

  private static int eventsCount() throws Exception {
    return JSON.readTree(server.getText("/health", "Authorization", commander()).body())
        .at("/dataset/counts/events")
        .asInt();
  }
}
