package io.gridmap.server.open311;

import static io.gridmap.server.open311.Open311Test.JSON;
import static io.gridmap.server.open311.Open311Test.form;
import static io.gridmap.server.open311.Open311Test.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridmap.server.security.ApiKeys;
import io.gridmap.server.security.Principal;
import io.gridmap.server.security.Role;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Point;

/**
 * A deployment that asks for API keys ({@code open311_api_key_required = true}) and lets each
 * client post three service requests a minute: who may report, and the 429 past the limit.
 */
class Open311KeysAndRateTest {
  private static TestServer server;
  private static String reporterKey;
  private static String otherReporterKey;
  private static String analystKey;
  private static Iterator<io.gridmap.layers.model.Feature> grids;

  @BeforeAll
  static void start() throws Exception {
    Map<String, String> s = TestServer.isolatedSettings();
    Path keys = Path.of(s.get("api_keys_file"));
    reporterKey = ApiKeys.create(keys, new Principal("fixmystreet", Role.REPORTER, "", "cli"));
    otherReporterKey =
        ApiKeys.create(keys, new Principal("wechat-gateway", Role.REPORTER, "", "cli"));
    analystKey = ApiKeys.create(keys, new Principal("hotline-stats", Role.ANALYST, "", "cli"));
    s.put("open311_api_key_required", "true");
    s.put("open311_posts_per_minute", "3");
    s.put("rate_limit_per_s", "100000");
    s.put("rate_limit_burst", "100000");
    server = TestServer.startWithStore(TestCity.small(), s);
    grids = Open311Test.grids();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static String report(String... more) {
    Point p = grids.next().geometry().getInteriorPoint();
    String base =
        form(
            "service_code",
            "garbage_pileup",
            "lat",
            Double.toString(p.getY()),
            "long",
            Double.toString(p.getX()));
    return more.length == 0 ? base : base + "&" + form(more);
  }

  private static JsonNode error(HttpResponse<String> r, int status) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    JsonNode e = JSON.readTree(r.body()).get(0);
    assertThat(e.get("code").asInt()).isEqualTo(status);
    return e;
  }

  @Test
  void onlyAKeyOfAReportingRoleMayReportWhenTheDeploymentAsksForKeys() throws Exception {
    String path = "/open311/v2/requests.json";
    assertThat(error(post(server, path, report()), 403).get("description").asText())
        .contains("api_key");
    assertThat(error(post(server, path, report("api_key", "")), 403).get("description").asText())
        .contains("api_key is missing");
    assertThat(
            error(post(server, path, report("api_key", "gm_nope")), 403)
                .get("description")
                .asText())
        .contains("api_key");
    assertThat(
            error(post(server, path, report("api_key", analystKey)), 403)
                .get("description")
                .asText())
        .contains("analyst");
    HttpResponse<String> ok = post(server, path, report("api_key", reporterKey));
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    String id = JSON.readTree(ok.body()).get(0).get("service_request_id").asText();
    // reading stays open to everyone
    assertThat(server.getText("/open311/v2/requests/" + id + ".json").statusCode()).isEqualTo(200);
    assertThat(server.getText("/open311/v2/services.json").statusCode()).isEqualTo(200);
    // the key in a header counts too; the audit log names the client
    HttpResponse<String> header = post(server, path, report(), "X-API-Key", otherReporterKey);
    assertThat(header.statusCode()).as(header.body()).isEqualTo(200);
    JsonNode audit =
        JSON.readTree(
            server
                .getText(
                    "/admin/audit?action=incident.report&limit=10",
                    "Authorization",
                    server.bearer(Role.ADMIN, ""))
                .body());
    assertThat(audit.get("entries").findValuesAsText("actor"))
        .contains("fixmystreet", "wechat-gateway");
  }

  @Test
  void aClientPastItsServiceRequestsAMinuteGets429WithRetryAfterAndOthersGoOn() throws Exception {
    String key =
        ApiKeys.create(
            Path.of(server.server().config().apiKeysFile()),
            new Principal("busy", Role.REPORTER, "", "cli"));
    // the keys file is read again within a second of a change
    HttpResponse<String> first = null;
    for (int i = 0; i < 30 && (first == null || first.statusCode() == 403); i++) {
      Thread.sleep(100);
      first = post(server, "/open311/v2/requests.json", report("api_key", key));
    }
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    // refused input counts too: a script that loops on a bad form is stopped as well
    error(post(server, "/open311/v2/requests.json", "service_code=nope&api_key=" + key), 404);
    assertThat(post(server, "/open311/v2/requests.json", report("api_key", key)).statusCode())
        .isEqualTo(200);
    HttpResponse<String> limited = post(server, "/open311/v2/requests.xml", report("api_key", key));
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After"))
        .hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isBetween(1, 20));
    assertThat(limited.headers().firstValue("Content-Type")).hasValue("text/xml; charset=utf-8");
    org.w3c.dom.Element e =
        Open311Test.children(Open311Test.xml(limited.body()).getDocumentElement()).get(0);
    assertThat(Open311Test.child(e, "code")).isEqualTo("429");
    assertThat(Open311Test.child(e, "description")).contains("3 service requests a minute");
    HttpResponse<String> other =
        post(server, "/open311/v2/requests.json", report("api_key", reporterKey));
    assertThat(other.statusCode())
        .as("another client has its own budget: " + other.body())
        .isEqualTo(200);
  }
}
