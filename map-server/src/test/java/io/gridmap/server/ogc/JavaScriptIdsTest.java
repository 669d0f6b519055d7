package io.gridmap.server.ogc;

import static io.gridmap.server.ogc.OgcTesting.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Ids as a web client reads them: {@code JSON.parse} in Node, which holds every number in a double
 * (exact to 2^53 only), must give back each id of a GeoJSON page exactly, and the item at that id
 * must be the same feature. With 17-digit ids a page of forces came back rounded to multiples of 8,
 * and {@code /items/{id}} answered 404 or another force. Needs node: the test never skips.
 */
@Tag("slow")
class JavaScriptIdsTest {
  /** Prints each feature's id and its worker_id (grids), as JavaScript holds them, as strings. */
  private static final String READ_IDS =
      "const fc = JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8'));"
          + "const s = (v) => (v === undefined || v === null ? null : String(v));"
          + "process.stdout.write(JSON.stringify("
          + "fc.features.map((f) => [s(f.id), s(f.properties.worker_id)])));";

  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(TestCity.small());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void jsonParseKeepsEveryIdOfPagesOfForcesEventsKeySitesAndGrids() throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "js-ids"));
    for (String collection : List.of("forces", "events", "key_sites", "grids")) {
      String path = "/collections/" + collection + "/items?limit=2000";
      var res = server.getText(path);
      assertThat(res.statusCode()).as(path).isEqualTo(200);
      Path file = dir.resolve(collection + ".json");
      Files.writeString(file, res.body());

      // Jackson reads integers as longs: the ids the server wrote, digit for digit
      JsonNode features = JSON.readTree(res.body()).get("features");
      assertThat(features.size()).as(path).isGreaterThan(collection.equals("grids") ? 500 : 1000);
      List<List<String>> written = new ArrayList<>();
      for (JsonNode f : features) {
        JsonNode worker = f.at("/properties/worker_id");
        written.add(
            java.util.Arrays.asList(
                f.get("id").asText(), worker.isMissingNode() ? null : worker.asText()));
      }
      List<List<String>> read = new ArrayList<>();
      for (JsonNode f : JSON.readTree(node(READ_IDS, file))) {
        read.add(java.util.Arrays.asList(text(f.get(0)), text(f.get(1))));
      }
      assertThat(read).as("%s as JSON.parse reads it", path).isEqualTo(written);

      // every 50th feature, fetched by the id JavaScript saw, is that feature
      for (int i = 0; i < features.size(); i += 50) {
        String id = read.get(i).get(0);
        var one = server.getText("/collections/" + collection + "/items/" + id);
        assertThat(one.statusCode()).as(collection + " " + id).isEqualTo(200);
        JsonNode f = JSON.readTree(one.body());
        assertThat(f.get("id").asText()).isEqualTo(id);
        assertThat(f.get("geometry")).isEqualTo(features.get(i).get("geometry"));
        assertThat(f.get("properties")).isEqualTo(features.get(i).get("properties"));
      }
    }
  }

  private static String text(JsonNode n) {
    return n.isNull() ? null : n.asText();
  }

  /** Runs a script with {@code node -e}, the file as its argument, and returns its output. */
  private static String node(String script, Path file) throws IOException, InterruptedException {
    Process p;
    try {
      p =
          new ProcessBuilder("node", "-e", script, file.toAbsolutePath().toString())
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      throw new AssertionError("node is needed for this test (apt-get install nodejs)", e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("node finished").isTrue();
    assertThat(p.exitValue()).as("node failed: " + out).isZero();
    return out;
  }
}
