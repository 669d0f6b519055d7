package io.gridmap.server.edit.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridmap.layers.edit.FeatureVersion;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.server.security.Role;
import io.gridmap.server.security.ScheduledCallers;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code ?effective=} on an edit: checked now, stored, answered 202, and applied at its instant by
 * the same handler as the planner who sent it, against the map as it is then.
 */
class ScheduledEditTest {
  static final ObjectMapper JSON = new ObjectMapper();

  /** How long a test waits for the scheduler (which looks every 100 ms here). */
  static final Duration WAIT = Duration.ofSeconds(15);

  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.startWithStore(TestCity.small(), Map.of("scheduled_edits_poll_ms", "100"));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static LayerIndex grids(TestServer s) {
    return s.server().content().index().layer("grids");
  }

  /** The n-th grid (in id order) of district 500103. */
  static Feature grid(TestServer s, int n) {
    return grids(s).features().stream()
        .filter(f -> f.string(grids(s).def().requireField("district_code")).equals("500103"))
        .sorted((a, b) -> Long.compare(a.id(), b.id()))
        .skip(n)
        .findFirst()
        .orElseThrow();
  }

  static String name(TestServer s, long id) {
    return grids(s).byId(id).orElseThrow().string(grids(s).def().requireField("name"));
  }

  static String planner(TestServer s) {
    return s.bearer("planner-a", Role.PLANNER, "500103");
  }

  static String etag(TestServer s, long id) throws Exception {
    return s.getText("/collections/grids/items/" + id).headers().firstValue("ETag").orElseThrow();
  }

  /** An instant {@code ms} from now as the planner writes it, with the +08:00 offset. */
  static String in(long ms) {
    return Instant.now()
        .plusMillis(ms)
        .atOffset(ZoneOffset.ofHours(8))
        .toString()
        .replace("+", "%2B");
  }

  static HttpResponse<String> rename(
      TestServer s, long id, String name, String query, String ifMatch, String auth)
      throws Exception {
    return s.send(
        "PATCH",
        "/collections/grids/items/" + id + query,
        "{\"properties\":{\"name\":\"" + name + "\"}}",
        "Content-Type",
        "application/merge-patch+json",
        "If-Match",
        ifMatch,
        "Authorization",
        auth);
  }

  static JsonNode get(TestServer s, String path, String auth) throws Exception {
    HttpResponse<String> res = s.getText(path, "Authorization", auth);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return JSON.readTree(res.body());
  }

  /** The scheduled edit at {@code location} once it has left status scheduled (and applying). */
  static JsonNode settled(TestServer s, String location) throws Exception {
    long end = System.nanoTime() + WAIT.toNanos();
    JsonNode e = get(s, location, s.bearer(Role.ADMIN, ""));
    while (List.of("scheduled", "applying").contains(e.get("status").asText())
        && System.nanoTime() < end) {
      Thread.sleep(50);
      e = get(s, location, s.bearer(Role.ADMIN, ""));
    }
    return e;
  }

  @Test
  void aRenameScheduledInTwoSecondsIsAnswered202AndAppliedAtItsInstant() throws Exception {
    long id = grid(server, 0).id();
    String before = name(server, id);
    String tag = etag(server, id);
    HttpResponse<String> res =
        rename(server, id, "新名字", "?effective=" + in(2_000), tag, planner(server));
    assertThat(res.statusCode()).as(res.body()).isEqualTo(202);
    String location = res.headers().firstValue("Location").orElseThrow();
    assertThat(location).matches("/edits/scheduled/\\d+");
    JsonNode body = JSON.readTree(res.body());
    assertThat(body.get("status").asText()).isEqualTo("scheduled");
    assertThat(body.get("method").asText()).isEqualTo("PATCH");
    assertThat(body.get("path").asText()).isEqualTo("/collections/grids/items/" + id);
    assertThat(body.at("/who/subject").asText()).isEqualTo("planner-a");
    assertThat(body.at("/dryRun/features/0").asLong()).isEqualTo(id);

    JsonNode now = get(server, location, planner(server));
    assertThat(now.get("status").asText()).isEqualTo("scheduled");
    assertThat(name(server, id)).as("the grid before the instant").isEqualTo(before);
    assertThat(etag(server, id)).isEqualTo(tag);

    JsonNode done = settled(server, location);
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("applied");
    assertThat(name(server, id)).isEqualTo("新名字");
    FeatureStore store = server.server().content().store().orElseThrow();
    List<FeatureVersion> versions = store.history("grids", id);
    FeatureVersion last = versions.get(versions.size() - 1);
    assertThat(done.get("seq").asLong()).isEqualTo(last.seq());
    assertThat(last.provenance().actor()).as("applied as its planner").isEqualTo("planner-a");
    assertThat(Instant.parse(done.get("applied").asText()))
        .isAfterOrEqualTo(Instant.parse(done.get("effective").asText()));

    HttpResponse<String> late =
        server.send("DELETE", location, "", "Authorization", planner(server));
    assertThat(late.statusCode()).as(late.body()).isEqualTo(409);
    assertThat(late.body()).contains("applied");
  }

  @Test
  void aScheduledRevertPutsTheGridBackAtItsInstant() throws Exception {
    long id = grid(server, 7).id();
    String original = name(server, id);
    HttpResponse<String> now = rename(server, id, "临时", "", etag(server, id), planner(server));
    assertThat(now.statusCode()).as(now.body()).isEqualTo(200);
    FeatureStore store = server.server().content().store().orElseThrow();
    List<FeatureVersion> versions = store.history("grids", id);
    long seq = versions.get(versions.size() - 1).seq();

    HttpResponse<String> res =
        server.send(
            "POST",
            "/edits/" + seq + "/revert?effective=" + in(1_000),
            "",
            "Authorization",
            planner(server));
    assertThat(res.statusCode()).as(res.body()).isEqualTo(202);
    assertThat(name(server, id)).isEqualTo("临时");
    JsonNode done = settled(server, res.headers().firstValue("Location").orElseThrow());
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("applied");
    assertThat(done.get("seq").asLong()).isGreaterThan(seq);
    assertThat(name(server, id)).isEqualTo(original);
  }

  @Test
  void anEditThatBreaksARuleNowIs422AndNothingIsScheduled() throws Exception {
    long id = grid(server, 1).id();
    int before = get(server, "/edits/scheduled", planner(server)).get("numberReturned").asInt();
    HttpResponse<String> res =
        server.send(
            "PATCH",
            "/collections/grids/items/" + id + "?effective=" + in(3_600_000),
            "{\"properties\":{\"worker_id\":999999999}}",
            "Content-Type",
            "application/merge-patch+json",
            "Authorization",
            planner(server));
    assertThat(res.statusCode()).as(res.body()).isEqualTo(422);
    assertThat(res.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(get(server, "/edits/scheduled", planner(server)).get("numberReturned").asInt())
        .isEqualTo(before);
  }

  @Test
  void anEditMadeBetweenMakesTheScheduledOneFailWith412AndIsKept() throws Exception {
    long id = grid(server, 2).id();
    String tag = etag(server, id);
    HttpResponse<String> res =
        rename(server, id, "以后", "?effective=" + in(3_000), tag, planner(server));
    assertThat(res.statusCode()).as(res.body()).isEqualTo(202);
    String location = res.headers().firstValue("Location").orElseThrow();
    HttpResponse<String> between = rename(server, id, "现在", "", tag, planner(server));
    assertThat(between.statusCode()).as(between.body()).isEqualTo(200);

    JsonNode done = settled(server, location);
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("failed");
    assertThat(done.at("/outcome/status").asInt()).isEqualTo(412);
    assertThat(done.has("seq")).isFalse();
    assertThat(name(server, id)).isEqualTo("现在");
    List<String> listed = new java.util.ArrayList<>();
    get(server, "/edits/scheduled?status=failed", planner(server))
        .get("scheduledEdits")
        .forEach(e -> listed.add(e.get("status").asText()));
    assertThat(listed).containsOnly("failed").isNotEmpty();
  }

  @Test
  void itsAuthorOrAnAdminCancelsAScheduledEditAndItIsNeverApplied() throws Exception {
    long id = grid(server, 3).id();
    String before = name(server, id);
    HttpResponse<String> res =
        rename(server, id, "取消", "?effective=" + in(2_000), etag(server, id), planner(server));
    assertThat(res.statusCode()).as(res.body()).isEqualTo(202);
    String location = res.headers().firstValue("Location").orElseThrow();

    String other = server.bearer("planner-b", Role.PLANNER, "500103");
    HttpResponse<String> notTheirs = server.send("DELETE", location, "", "Authorization", other);
    assertThat(notTheirs.statusCode()).as(notTheirs.body()).isEqualTo(403);

    HttpResponse<String> cancel =
        server.send("DELETE", location, "", "Authorization", planner(server));
    assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(200);
    assertThat(JSON.readTree(cancel.body()).get("status").asText()).isEqualTo("cancelled");
    assertThat(JSON.readTree(cancel.body()).get("cancelledBy").asText()).isEqualTo("planner-a");
    HttpResponse<String> again =
        server.send("DELETE", location, "", "Authorization", server.bearer(Role.ADMIN, ""));
    assertThat(again.statusCode()).as(again.body()).isEqualTo(409);

    // past its instant, and several looks of the scheduler
    Instant effective = Instant.parse(JSON.readTree(res.body()).get("effective").asText());
    Thread.sleep(Math.max(0, Duration.between(Instant.now(), effective).toMillis() + 500));
    assertThat(get(server, location, planner(server)).get("status").asText())
        .isEqualTo("cancelled");
    assertThat(name(server, id)).isEqualTo(before);

    HttpResponse<String> byAdmin =
        rename(server, id, "管理", "?effective=" + in(3_600_000), etag(server, id), other);
    assertThat(byAdmin.statusCode()).as(byAdmin.body()).isEqualTo(202);
    String second = byAdmin.headers().firstValue("Location").orElseThrow();
    assertThat(
            server
                .send("DELETE", second, "", "Authorization", server.bearer(Role.ADMIN, ""))
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void aBadEffectiveIs400NamingTheParameterAndADryRunSchedulesNothing() throws Exception {
    long id = grid(server, 4).id();
    String tag = etag(server, id);
    for (String bad :
        List.of(
            in(-60_000), // past
            "2027-01-01T00:00:00", // no offset
            "tomorrow",
            in(400L * 24 * 3_600_000))) { // more than a year ahead
      HttpResponse<String> res = rename(server, id, "x", "?effective=" + bad, tag, planner(server));
      assertThat(res.statusCode()).as(bad + ": " + res.body()).isEqualTo(400);
      assertThat(JSON.readTree(res.body()).get("detail").asText()).contains("effective");
    }
    int before = get(server, "/edits/scheduled", planner(server)).get("numberReturned").asInt();
    HttpResponse<String> dry =
        rename(server, id, "试试", "?dryRun=true&effective=" + in(60_000), tag, planner(server));
    assertThat(dry.statusCode()).as(dry.body()).isEqualTo(200);
    assertThat(dry.headers().firstValue("Dry-Run")).hasValue("true");
    assertThat(dry.headers().firstValue("Effective")).isPresent();
    assertThat(JSON.readTree(dry.body()).at("/properties/name").asText()).isEqualTo("试试");
    assertThat(get(server, "/edits/scheduled", planner(server)).get("numberReturned").asInt())
        .isEqualTo(before);
    assertThat(etag(server, id)).isEqualTo(tag);
  }

  @Test
  void onlyPlannersAndAdminsScheduleListOrCancel() throws Exception {
    long id = grid(server, 5).id();
    String analyst = server.bearer(Role.ANALYST, "");
    HttpResponse<String> res =
        rename(server, id, "x", "?effective=" + in(3_600_000), etag(server, id), analyst);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(403);
    assertThat(server.getText("/edits/scheduled", "Authorization", analyst).statusCode())
        .isEqualTo(403);
    assertThat(server.getText("/edits/scheduled").statusCode()).isEqualTo(401);
    String elsewhere = server.bearer("planner-z", Role.PLANNER, "500199");
    HttpResponse<String> outside =
        rename(server, id, "x", "?effective=" + in(3_600_000), etag(server, id), elsewhere);
    assertThat(outside.statusCode()).as("outside its scope: " + outside.body()).isEqualTo(403);
    assertThat(get(server, "/edits/scheduled", elsewhere).findValuesAsText("subject"))
        .doesNotContain("planner-z");
    assertThat(
            server.send("DELETE", "/edits/scheduled/1", "", "Authorization", analyst).statusCode())
        .isEqualTo(403);
  }

  @Test
  void theReplayHeaderFromOutsideTheServerIsRefused() throws Exception {
    long id = grid(server, 6).id();
    HttpResponse<String> res =
        server.send(
            "PATCH",
            "/collections/grids/items/" + id,
            "{\"properties\":{\"name\":\"forged\"}}",
            "Content-Type",
            "application/merge-patch+json",
            ScheduledCallers.HEADER,
            "1 0000");
    assertThat(res.statusCode()).as(res.body()).isEqualTo(401);
    assertThat(name(server, id)).isNotEqualTo("forged");
  }

  @Test
  void theApiDescribesEffectiveOnEveryEditAndTheScheduledEdits() throws Exception {
    JsonNode api = JSON.readTree(server.getText("/api").body());
    for (String[] op :
        new String[][] {
          {"/collections/grids/items/{featureId}", "patch"},
          {"/collections/grids/items/{featureId}", "put"},
          {"/edits/grids", "post"},
          {"/edits/{seq}/revert", "post"}
        }) {
      JsonNode o = api.at("/paths/" + op[0].replace("/", "~1") + "/" + op[1]);
      assertThat(o.get("parameters").findValuesAsText("name")).as(op[0]).contains("effective");
      assertThat(o.at("/responses/202").isMissingNode()).as(op[0]).isFalse();
    }
    assertThat(api.at("/paths/~1edits~1scheduled/get").isMissingNode()).isFalse();
    assertThat(api.at("/paths/~1edits~1scheduled~1{id}/delete").isMissingNode()).isFalse();
  }
}
