package io.gridmap.bench.race;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LoadRunTest {
  private Vertx vertx;
  private HttpServer server;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    // answers every path at once but /never, which it reads and leaves unanswered
    server =
        vertx
            .createHttpServer()
            .requestHandler(
                req -> {
                  if (!req.path().equals("/never")) {
                    req.response().end("tile");
                  }
                })
            .listen(0, "127.0.0.1")
            .await();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void aRequestNeverAnsweredFailsNamedWithItsPathAndTheRunEnds() throws Exception {
    Side side = Side.ours("http://127.0.0.1:" + server.actualPort());
    long t0 = System.nanoTime();
    LoadRun.Result r = LoadRun.run(vertx, side, List.of("/a", "/never", "/b"), true, 1, 0, 1, 300);
    double took = (System.nanoTime() - t0) / 1e9;
    assertThat(r.errors()).isGreaterThanOrEqualTo(1);
    assertThat(r.firstError()).startsWith("/never: ");
    assertThat(r.requests()).as("the loop went on after the failure").isGreaterThan(2);
    // without the idle limit the run waits for its deadline: more than a minute
    assertThat(took).isLessThan(30);
  }
}
