package io.gridmap.server.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Point;

/** {@code /query/locate} single and batch over HTTP. */
class LocateEndpointTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static TestServer server;
  static Dataset city;

  @BeforeAll
  static void start() throws Exception {
    city = TestCity.small();
    server = TestServer.start(city);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static HttpResponse<String> post(String path, String body) throws Exception {
    return server
        .client()
        .send(
            HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Content-Type", "application/json")
                .header("Authorization", server.analyst())
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aPointInAGridGivesTheChainTheWorkerAndTheCommandCentre() throws Exception {
    // an event's point lies in the grid the event was routed to
    Feature e = city.layer("events").features().get(42);
    Coordinate c = ((Point) e.geometry()).getCoordinate();
    var res = server.getText("/query/locate?lon=" + c.x + "&lat=" + c.y);
    assertThat(res.statusCode()).isEqualTo(200);
    JsonNode loc = JSON.readTree(res.body());
    String grid = (String) e.value(6);
    assertThat(loc.at("/grid/code").asText()).isEqualTo(grid);
    assertThat(loc.at("/village/code").asText()).isEqualTo(grid.substring(0, 12));
    assertThat(loc.at("/street/code").asText()).isEqualTo(grid.substring(0, 9));
    assertThat(loc.at("/district/code").asText()).isEqualTo(grid.substring(0, 6));
    assertThat(loc.at("/district/name").asText()).isNotBlank();
    assertThat(loc.at("/street/commandCentre/lon").isNumber()).isTrue();
    assertThat(loc.at("/worker/role").asText()).isEqualTo("grid_worker");
    assertThat(loc.get("worker").has("name")).isFalse();
    assertThat(res.body()).doesNotContain("worker_name");
  }

  @Test
  void batchLocatesUpToTenThousandPointsInOrder() throws Exception {
    Random rng = new Random(3);
    StringBuilder body = new StringBuilder("{\"points\":[");
    var events = city.layer("events").features();
    int[] picks = new int[10_000];
    for (int i = 0; i < picks.length; i++) {
      picks[i] = rng.nextInt(events.size());
      Coordinate c = events.get(picks[i]).geometry().getCoordinate();
      body.append(i == 0 ? "" : ",").append('[').append(c.x).append(',').append(c.y).append(']');
    }
    body.append(",[0,0]]}");
    var tooMany = post("/query/locate", body.toString());
    assertThat(tooMany.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(tooMany.body()).get("detail").asText()).contains("10001", "10000");
    String ok = body.toString().replace(",[0,0]]}", "]}");
    var res = post("/query/locate", ok);
    assertThat(res.statusCode()).isEqualTo(200);
    JsonNode doc = JSON.readTree(res.body());
    assertThat(doc.get("results")).hasSize(10_000);
    for (int i = 0; i < picks.length; i += 97) {
      assertThat(doc.at("/results/" + i + "/grid/code").asText())
          .isEqualTo(events.get(picks[i]).value(6));
    }
    var withMiss = post("/query/locate", "{\"points\":[[0,0],[106.57,29.56]]}");
    JsonNode m = JSON.readTree(withMiss.body());
    assertThat(m.at("/results/0").isNull()).isTrue();
    assertThat(m.get("numberNotLocated").asInt()).isEqualTo(1);
  }

  @Test
  void badPointsAreProblems() throws Exception {
    assertProblem(server.getText("/query/locate?lon=0&lat=0"), 404, "lon=0.0, lat=0.0");
    assertProblem(server.getText("/query/locate?lon=abc&lat=29"), 400, "lon", "'abc'", "longitude");
    assertProblem(server.getText("/query/locate?lon=106"), 400, "lat", "latitude");
    assertProblem(server.getText("/query/locate?lon=106&lat=95"), 400, "lat", "'95'", "-90..90");
    assertProblem(server.getText("/query/locate?lon=106&lat=29&x=1"), 400, "x", "'1'", "lon, lat");
    assertProblem(post("/query/locate", "not json"), 400, "body", "'not json'", "{\"points\"");
    assertProblem(
        post("/query/locate", "{\"points\":[[1]]}"), 400, "points[0]", "[1]", "{\"points\"");
    assertProblem(post("/query/locate", "{\"points\":[]}"), 400, "0 points", "1 to 10000");
  }

  static void assertProblem(HttpResponse<String> res, int status, String... fragments)
      throws Exception {
    assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
    assertThat(res.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    String detail = JSON.readTree(res.body()).get("detail").asText();
    for (String f : fragments) {
      assertThat(detail).contains(f);
    }
  }
}
