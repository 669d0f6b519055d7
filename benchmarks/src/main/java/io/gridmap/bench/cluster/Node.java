package io.gridmap.bench.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * One node of the cluster over HTTP, with the admin token: position writes and reads of a force.
 * One JDK client per node, HTTP/1.1 with keep-alive (the JDK keeps a connection per concurrent
 * request), so each of the benchmark's clients reuses its connection as a phone or gateway would.
 */
final class Node {
  final String name;
  final String base;
  private final String token;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  Node(String name, String base, String token) {
    this.name = name;
    this.base = base;
    this.token = token;
  }

  /**
   * What a position write was answered.
   *
   * @param status the HTTP status
   * @param body the answer, for messages
   */
  record Answer(int status, String body) {
    /** 200 with the one position accepted, not ignored as stale. */
    boolean written() {
      if (status != 200) {
        return false;
      }
      try {
        return new JsonObject(body).getInteger("accepted", 0) == 1;
      } catch (RuntimeException notJson) {
        return false;
      }
    }
  }

  /** {@code POST /live/positions} with the one move. */
  Answer write(Move move) throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/live/positions"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/geo+json")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(move.body()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.body());
  }

  /** Where this node shows {@code force} now, as a move; throws unless it answers 200. */
  Move position(long force) throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/collections/forces/items/" + force))
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(
          name + " answered " + r.statusCode() + " for force " + force + ": " + r.body());
    }
    JsonArray xy = new JsonObject(r.body()).getJsonObject("geometry").getJsonArray("coordinates");
    return Move.of(force, xy.getDouble(0), xy.getDouble(1));
  }

  @Override
  public String toString() {
    return name;
  }
}
