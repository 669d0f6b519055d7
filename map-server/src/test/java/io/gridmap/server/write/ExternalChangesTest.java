package io.gridmap.server.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.StoreUnavailableException;
import io.gridmap.layers.store.Stores;
import io.gridmap.layers.testing.TestDatasets;
import io.gridmap.layers.testing.TestPostgis;
import io.gridmap.server.content.Content;
import io.gridmap.server.security.AuditLog;
import io.vertx.core.Vertx;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Point;

/**
 * A change another program made is taken into memory even when the store could not be read the
 * first time the change was seen in the log: the pass that failed leaves it for the next.
 */
class ExternalChangesTest {
  @TempDir Path dir;
  private final String schema = TestPostgis.newSchema();

  @AfterEach
  void drop() {
    TestPostgis.drop(schema);
  }

  @Test
  void aChangeWhoseRowsCouldNotBeReadIsTakenOnTheNextPass() throws Exception {
    String url = TestPostgis.storeUrl(schema);
    Vertx vertx = Vertx.vertx();
    try (FeatureStore real = Stores.open(url)) {
      real.write(TestDatasets.tiny());
      Dataset city = real.read();
      AtomicInteger refusals = new AtomicInteger();
      // the store as the server sees it, whose first read of rows fails as in a network blip
      FeatureStore blip =
          (FeatureStore)
              Proxy.newProxyInstance(
                  FeatureStore.class.getClassLoader(),
                  new Class<?>[] {FeatureStore.class},
                  (proxy, method, args) -> {
                    if (method.getName().equals("features") && refusals.getAndIncrement() == 0) {
                      throw new StoreUnavailableException("the test cut the connection", null);
                    }
                    try {
                      return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                      throw e.getCause();
                    }
                  });
      Content content = Content.of(city, 0, "test", blip);
      try (AuditLog audit = AuditLog.open(dir.resolve("audit.jsonl"));
          Writer writer = new Writer(content, audit);
          ExternalChanges external =
              new ExternalChanges(
                  vertx,
                  vertx.createSharedWorkerExecutor("external-test", 1),
                  blip,
                  writer,
                  real.readPosition(),
                  100)) {
        try (Connection c = TestPostgis.connect();
            Statement st = c.createStatement()) {
          st.execute("SET search_path TO \"" + schema + "\", public");
          st.executeUpdate(
              "UPDATE forces SET geom = ST_SetSRID(ST_MakePoint(106.0177, 29.0177), 4326)"
                  + " WHERE fid = 1");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Point p = position(content);
        while (p.getX() != 106.0177 && System.nanoTime() < deadline) {
          Thread.sleep(50);
          p = position(content);
        }
        assertThat(refusals.get())
            .as("the first read failed, a later one succeeded")
            .isGreaterThan(1);
        assertThat(p.getX()).as("the other program's move, in memory").isEqualTo(106.0177);
        assertThat(p.getY()).isEqualTo(29.0177);
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static Point position(Content content) {
    return (Point) content.index().layer("forces").byId(1).orElseThrow().geometry();
  }
}
