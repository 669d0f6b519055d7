package io.gridmap.server.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.edit.Change;
import io.gridmap.layers.edit.Provenance;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Point;

/**
 * How a node takes in what others wrote into the store: a change another program made is taken into
 * memory even when the store could not be read the first time the change was seen in the log (the
 * pass that failed leaves it for the next), and a node that takes the turn to write reads the last
 * writer's changes first.
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

  @Test
  void aNodeThatTakesTheTurnReadsTheLastWritersChangesBeforeItWrites() throws Exception {
    String url = TestPostgis.storeUrl(schema);
    Vertx vertx = Vertx.vertx();
    try (FeatureStore a = Stores.open(url);
        FeatureStore b = Stores.open(url)) {
      a.write(TestDatasets.tiny());
      assertThat(a.takeTurn(Duration.ofSeconds(1))).isTrue();
      Dataset city = b.read(); // node b loads before a's last write
      Content content = Content.of(city, 0, "test", b);
      try (AuditLog audit = AuditLog.open(dir.resolve("audit.jsonl"));
          Writer writer = new Writer(content, audit);
          ExternalChanges external =
              new ExternalChanges( // polls on its own only after an hour: the catch-up must read
                  vertx,
                  vertx.createSharedWorkerExecutor("external-test", 1),
                  b,
                  writer,
                  b.readPosition(),
                  3_600_000)) {
        Feature force =
            city.layer("forces").features().stream().filter(f -> f.id() == 1).findFirst().get();
        Feature moved =
            new Feature(1, TestDatasets.point(106.0188, 29.0188), force.values(), false);
        a.apply(
            Change.of("forces", List.of(new Change.Replacement(force, moved))),
            new Provenance("a", "admin", "force.move", Instant.now()));
        Thread.sleep(1_200); // a's turn ends unrenewed: a is paused or gone

        AtomicInteger asked = new AtomicInteger();
        Runnable failingOnce =
            () -> {
              if (asked.getAndIncrement() == 0) {
                throw new StoreUnavailableException("the test cut the connection", null);
              }
              external.catchUp();
            };
        assertThat(b.takeTurn(Duration.ofSeconds(10), failingOnce))
            .as("no write with a turn whose catch-up failed")
            .isFalse();
        assertThat(position(content).getX()).isNotEqualTo(106.0188);
        long epoch = epoch();
        assertThat(b.takeTurn(Duration.ofSeconds(10), failingOnce)).isTrue();
        assertThat(epoch()).as("the same turn, caught up on the second ask").isEqualTo(epoch);
        assertThat(position(content).getX())
            .as("a's last write is in b's memory before b writes")
            .isEqualTo(106.0188);
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void anotherNodesImportIsSwappedInWholeWithItsGeneralisedPolygonsAndItsPosition()
      throws Exception {
    String url = TestPostgis.storeUrl(schema);
    Vertx vertx = Vertx.vertx();
    try (FeatureStore a = Stores.open(url);
        FeatureStore b = Stores.open(url)) {
      a.write(TestDatasets.tiny());
      Content content = Content.of(b.read(), 0, "test", b);
      try (AuditLog audit = AuditLog.open(dir.resolve("audit.jsonl"));
          Writer writer = new Writer(content, audit);
          ExternalChanges external =
              new ExternalChanges(
                  vertx,
                  vertx.createSharedWorkerExecutor("external-test", 1),
                  b,
                  writer,
                  b.readPosition(),
                  100)) {
        java.util.concurrent.LinkedBlockingQueue<String> heard =
            new java.util.concurrent.LinkedBlockingQueue<>();
        writer.onVisible((change, seq) -> heard.add(change.layer() + "@" + seq));
        long first = a.replaceLayer(io.gridmap.layers.testing.TestImports.parks());
        assertThat(heard.poll(10, TimeUnit.SECONDS))
            .as("listeners (the live stream, the cluster's notices) get the import's position")
            .isEqualTo("parks@" + first);
        assertThat(writer.newestVisible()).isEqualTo(first);
        assertParks(content, io.gridmap.layers.testing.TestImports.parks());

        // a re-import replaces it whole, at its own later position
        long second = a.replaceLayer(io.gridmap.layers.testing.TestImports.parksAgain());
        assertThat(heard.poll(10, TimeUnit.SECONDS)).isEqualTo("parks@" + second);
        assertParks(content, io.gridmap.layers.testing.TestImports.parksAgain());
        assertThat(external.reached(second, 1_000).toCompletionStage().toCompletableFuture())
            .succeedsWithin(Duration.ofSeconds(5));
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** The layer in memory is {@code imported}: its features and its polygons at each zoom. */
  private static void assertParks(Content content, io.gridmap.layers.store.LayerImport imported) {
    var parks = content.index().findLayer("parks").orElseThrow();
    assertThat(parks.features())
        .extracting(Feature::id)
        .containsExactlyInAnyOrderElementsOf(
            imported.features().stream().map(Feature::id).toList());
    for (Feature f : imported.features()) {
      io.gridmap.layers.testing.DatasetAssertions.assertSameGeometry(
          "parks " + f.id(), f.geometry(), parks.byId(f.id()).orElseThrow().geometry());
    }
    imported
        .generalised()
        .forEach(
            (zoom, byId) -> {
              var g = content.index().generalised("parks", zoom).orElseThrow();
              // as the importing node made them
              byId.forEach(
                  (id, geometry) ->
                      io.gridmap.layers.testing.DatasetAssertions.assertSameGeometry(
                          "parks z" + zoom + " " + id, geometry, g.geometry(g.ordinalOf(id))));
            });
  }

  private long epoch() throws Exception {
    try (Connection c = TestPostgis.connect();
        Statement st = c.createStatement();
        java.sql.ResultSet rs =
            st.executeQuery("SELECT epoch FROM \"" + schema + "\".writer_turn")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Point position(Content content) {
    return (Point) content.index().layer("forces").byId(1).orElseThrow().geometry();
  }
}
