package io.gridmap.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.server.web.ClientAddress;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A forwarded request is limited and logged under the client address its forwarding node names,
 * only when that node proves it is one of the cluster (the shared secret): a client that sends the
 * same headers itself keeps its own address.
 */
class ForwardProofTest {
  private static final String SECRET = "the-cluster-s-token-secret";
  private static final ForwardProof PROOF = new ForwardProof(SECRET);
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static Vertx vertx;
  private static HttpServer server;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router.route().handler(PROOF.handler());
    router.route().handler(ctx -> ctx.response().end(ClientAddress.of(ctx)));
    server =
        vertx
            .createHttpServer()
            .requestHandler(router)
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static String addressSeen(String target, String client, String proof) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + target))
            .POST(HttpRequest.BodyPublishers.ofString("x"))
            .header(WriteForwarder.FORWARDED_BY, "node-b");
    if (client != null) {
      b.header(ForwardProof.CLIENT, client);
    }
    if (proof != null) {
      b.header(ForwardProof.HEADER, proof);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }

  @Test
  void aProvenForwardedRequestIsTheClientsItNames() throws Exception {
    String target = "/open311/v2/requests.json?jurisdiction_id=cq";
    String proof = PROOF.sign("node-b", "POST", target, "203.0.113.7", now());
    assertThat(addressSeen(target, "203.0.113.7", proof)).isEqualTo("203.0.113.7");
  }

  @Test
  void withoutAValidProofARequestKeepsItsConnectionsAddress() throws Exception {
    String target = "/live/positions";
    assertThat(addressSeen(target, "203.0.113.7", null)).as("no proof").isEqualTo("127.0.0.1");
    assertThat(addressSeen(target, "203.0.113.7", "garbage")).isEqualTo("127.0.0.1");
    assertThat(
            addressSeen(
                target, "203.0.113.8", PROOF.sign("node-b", "POST", target, "203.0.113.7", now())))
        .as("another client address than the one proved")
        .isEqualTo("127.0.0.1");
    assertThat(
            addressSeen(
                target,
                "203.0.113.7",
                PROOF.sign("node-b", "POST", "/other", "203.0.113.7", now())))
        .as("proved for another target")
        .isEqualTo("127.0.0.1");
    assertThat(
            addressSeen(
                target,
                "203.0.113.7",
                PROOF.sign(
                    "node-b", "POST", target, "203.0.113.7", now() - ForwardProof.SKEW_S - 5)))
        .as("a proof too old")
        .isEqualTo("127.0.0.1");
    assertThat(
            addressSeen(
                target,
                "203.0.113.7",
                new ForwardProof("another-secret")
                    .sign("node-b", "POST", target, "203.0.113.7", now())))
        .as("signed by a node of another cluster")
        .isEqualTo("127.0.0.1");
  }
}
