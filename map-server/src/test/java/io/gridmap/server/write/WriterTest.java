package io.gridmap.server.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridmap.layers.edit.Change;
import io.gridmap.layers.edit.FeatureVersion;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.Stores;
import io.gridmap.layers.testing.TestDatasets;
import io.gridmap.server.security.Principal;
import io.gridmap.server.security.Role;
import io.gridmap.server.testing.TestServer;
import io.gridmap.server.web.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Point;

/** The one write path, driven directly: plan, audit, store, swap, in that order, or nothing. */
class WriterTest {
  private static final long GRID = 500103001001001L;
  private static final Principal PLANNER =
      new Principal("planner-1", Role.PLANNER, "500103", "test");

  private static Change rename(io.gridmap.layers.index.CityIndex current, long id, String name) {
    Feature f = current.layer("grids").byId(id).orElseThrow();
    Object[] v = f.values().clone();
    v[1] = name;
    return Change.of(
        "grids",
        List.of(new Change.Replacement(f, new Feature(id, f.geometry(), v, f.personal()))));
  }

  private static List<JsonNode> audit(TestServer s) {
    return s.server().audit().query(n -> true, 100);
  }

  @Test
  void aWriteIsAuditedStoredAndVisibleWhenItsFutureCompletes() throws Exception {
    try (TestServer s = TestServer.startWithStore(TestDatasets.tiny(), Map.of())) {
      Writer.Written w =
          s.server()
              .writer()
              .submit(
                  new Writer.Write(
                      PLANNER,
                      "grid.update",
                      "grids/" + GRID,
                      current -> rename(current, GRID, "新网格")))
              .get(10, TimeUnit.SECONDS);

      assertThat(s.server().content().index().layer("grids").byId(GRID).orElseThrow().value(1))
          .isEqualTo("新网格");
      JsonNode entry = audit(s).get(0);
      assertThat(entry.path("action").asText()).isEqualTo("grid.update");
      assertThat(entry.path("actor").asText()).isEqualTo("planner-1");
      assertThat(entry.path("role").asText()).isEqualTo("planner");
      assertThat(
              entry
                  .path("changes")
                  .path("features")
                  .get(0)
                  .path("fields")
                  .path("name")
                  .get(1)
                  .asText())
          .isEqualTo("新网格");
      assertThat(w.audited()).containsEntry("layer", "grids");
      try (FeatureStore store = Stores.open(s.storeFile().toString())) {
        List<FeatureVersion> history = store.history("grids", GRID);
        assertThat(history).hasSize(2);
        assertThat(history.get(1).provenance().actor()).isEqualTo("planner-1");
        assertThat(history.get(1).provenance().action()).isEqualTo("grid.update");
      }
    }
  }

  @Test
  void aRefusedPlanWritesNothingAndLeavesNoAuditEntry() throws Exception {
    try (TestServer s = TestServer.startWithStore(TestDatasets.tiny(), Map.of())) {
      int before = audit(s).size();
      CompletableFuture<Writer.Written> f =
          s.server()
              .writer()
              .submit(
                  new Writer.Write(
                      PLANNER,
                      "grid.update",
                      "grids/" + GRID,
                      current -> {
                        throw new ApiException(403, "Forbidden", "not yours");
                      }));
      assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(ApiException.class);
      assertThat(audit(s)).hasSize(before);
      try (FeatureStore store = Stores.open(s.storeFile().toString())) {
        assertThat(store.history("grids", GRID)).isEmpty();
      }
    }
  }

  @Test
  void aChangeTheStoreRefusesIsAuditedAsFailedAndChangesNothingInMemory() throws Exception {
    try (TestServer s = TestServer.startWithStore(TestDatasets.tiny(), Map.of())) {
      var indexBefore = s.server().content().index();
      CompletableFuture<Writer.Written> f =
          s.server()
              .writer()
              .submit(
                  new Writer.Write(
                      PLANNER,
                      "grid.update",
                      "grids/1",
                      current -> {
                        Feature real = current.layer("grids").byId(GRID).orElseThrow();
                        Feature ghost = new Feature(1L, real.geometry(), real.values(), false);
                        return Change.of("grids", List.of(new Change.Replacement(ghost, ghost)));
                      }));
      assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasMessageContaining("no feature 1");
      List<JsonNode> log = audit(s);
      assertThat(log.get(0).path("action").asText()).isEqualTo("grid.update.failed");
      assertThat(log.get(0).path("target").asText()).isEqualTo("grids/1");
      assertThat(log.get(0).path("changes").path("error").asText()).contains("no feature 1");
      // the store keeps the log: the write's own entry was in its transaction, rolled back with it
      assertThat(log).extracting(e -> e.path("action").asText()).doesNotContain("grid.update");
      assertThat(s.server().content().index()).isSameAs(indexBefore);
    }
  }

  @Test
  void positionsSentTogetherAllArriveInTheStoreAndInMemory() throws Exception {
    try (TestServer s = TestServer.startWithStore(TestDatasets.tiny(), Map.of())) {
      Principal admin = new Principal("gateway", Role.ADMIN, "", "test");
      List<CompletableFuture<Writer.Written>> all = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        long id = 1 + i % 3;
        double lon = 106.01 + i * 0.001;
        all.add(
            s.server()
                .writer()
                .submit(
                    new Writer.Write(
                        admin,
                        "positions",
                        "forces",
                        current -> {
                          Feature f = current.layer("forces").byId(id).orElseThrow();
                          Point p =
                              f.geometry()
                                  .getFactory()
                                  .createPoint(
                                      new org.locationtech.jts.geom.Coordinate(lon, 29.05));
                          return Change.of(
                              "forces",
                              List.of(
                                  new Change.Replacement(
                                      f, new Feature(id, p, f.values(), false))));
                        })));
      }
      for (CompletableFuture<Writer.Written> f : all) {
        f.get(10, TimeUnit.SECONDS);
      }
      // the last write of each force wins, in memory and in the store
      for (long id = 1; id <= 3; id++) {
        int last = 57 + (int) id - 1;
        Point p =
            (Point) s.server().content().index().layer("forces").byId(id).orElseThrow().geometry();
        assertThat(p.getX()).isEqualTo(106.01 + last * 0.001);
        try (FeatureStore store = Stores.open(s.storeFile().toString())) {
          List<FeatureVersion> h = store.history("forces", id);
          assertThat(h).hasSize(21); // the original and 20 moves
          assertThat(((Point) h.get(20).feature().geometry()).getX())
              .isEqualTo(106.01 + last * 0.001);
        }
      }
      assertThat(
              audit(s).stream().filter(n -> n.path("action").asText().equals("positions")).count())
          .isEqualTo(60);
    }
  }

  @Test
  void aPlanSeesTheWritesOfItsGroupThatTheIndexLacksYet() throws Exception {
    try (TestServer s = TestServer.startWithStore(TestDatasets.tiny(), Map.of())) {
      Writer writer = s.server().writer();
      Principal admin = new Principal("gateway", Role.ADMIN, "", "test");
      // hold the writer in a plan so that the next two writes queue and are taken as one group
      Held hold = hold(writer);

      Feature[] moved = new Feature[1];
      CompletableFuture<Writer.Written> first =
          writer.submit(
              new Writer.Write(
                  admin,
                  "positions",
                  "forces",
                  current -> {
                    Feature f = current.layer("forces").byId(1).orElseThrow();
                    Point p =
                        f.geometry()
                            .getFactory()
                            .createPoint(new org.locationtech.jts.geom.Coordinate(106.02, 29.03));
                    moved[0] = new Feature(1, p, f.values(), false);
                    return Change.of("forces", List.of(new Change.Replacement(f, moved[0])));
                  }));
      Feature[] seenThroughLatest = new Feature[1];
      Feature[] seenInIndex = new Feature[1];
      CompletableFuture<Writer.Written> second =
          writer.submit(
              new Writer.Write(
                  admin,
                  "positions",
                  "forces",
                  current -> {
                    seenInIndex[0] = current.layer("forces").byId(1).orElseThrow();
                    seenThroughLatest[0] = writer.latest().feature(current, "forces", 1);
                    return Change.of("forces", List.of());
                  }));
      hold.release();
      first.get(10, TimeUnit.SECONDS);
      second.get(10, TimeUnit.SECONDS);

      assertThat(seenInIndex[0])
          .as("the two were planned in one group: the index did not have the first yet")
          .isNotSameAs(moved[0]);
      assertThat(seenThroughLatest[0]).as("the writer's view had it").isSameAs(moved[0]);
      assertThat(
              writer
                  .latest()
                  .feature(s.server().content().index(), "forces", 1)
                  .geometry()
                  .equalsExact(moved[0].geometry()))
          .as("after the swap the index has it")
          .isTrue();
    }
  }

  @Test
  void aFeatureRetiredInAGroupReadsAsAbsentToTheNextPlanAndOneAddedAndRetiredInItNeverShows()
      throws Exception {
    try (TestServer s = TestServer.startWithStore(TestDatasets.tiny(), Map.of())) {
      Writer writer = s.server().writer();
      Principal admin = new Principal("gateway", Role.ADMIN, "", "test");
      Held hold = hold(writer);

      long added = 900;
      List<CompletableFuture<Writer.Written>> writes = new ArrayList<>();
      writes.add(
          writer.submit(
              new Writer.Write(
                  admin,
                  "forces.add",
                  "forces",
                  current -> {
                    Feature one = current.layer("forces").byId(1).orElseThrow();
                    return Change.of(
                        "forces",
                        List.of(
                            Change.Replacement.added(
                                new Feature(added, one.geometry(), one.values(), false))));
                  })));
      for (long id : new long[] {added, 2}) {
        writes.add(
            writer.submit(
                new Writer.Write(
                    admin,
                    "forces.retire",
                    "forces",
                    current ->
                        Change.of(
                            "forces",
                            List.of(
                                Change.Replacement.retired(
                                    writer.latest().feature(current, "forces", id)))))));
      }
      Feature[] seen = new Feature[2];
      writes.add(
          writer.submit(
              new Writer.Write(
                  admin,
                  "positions",
                  "forces",
                  current -> {
                    seen[0] = writer.latest().feature(current, "forces", added);
                    seen[1] = writer.latest().feature(current, "forces", 2);
                    return Change.of("forces", List.of());
                  })));
      hold.release();
      for (CompletableFuture<Writer.Written> w : writes) {
        w.get(10, TimeUnit.SECONDS);
      }

      assertThat(seen).as("retired within the group: absent to the next plan").containsOnlyNulls();
      var forces = s.server().content().index().layer("forces");
      assertThat(forces.byId(added)).isEmpty();
      assertThat(forces.byId(2)).isEmpty();
      assertThat(forces.byId(1)).isPresent();
      FeatureStore store = s.server().content().store().orElseThrow();
      assertThat(store.history("forces", added))
          .extracting(FeatureVersion::retired)
          .containsExactly(false, true);
      assertThat(store.history("forces", 2))
          .extracting(FeatureVersion::retired)
          .containsExactly(false, true);
      assertThat(store.read().layer("forces").features())
          .extracting(Feature::id)
          .doesNotContain(added, 2L);
    }
  }

  /** Moves one of the first three forces east by {@code n} thousandths of a degree. */
  private static Writer.Write move(Writer writer, List<Feature> forces, int n) {
    return new Writer.Write(
        GATEWAY,
        "positions",
        "forces",
        current -> {
          long id = forces.get(n % 3).id();
          Feature f = writer.latest().feature(current, "forces", id);
          Point p =
              f.geometry()
                  .getFactory()
                  .createPoint(new org.locationtech.jts.geom.Coordinate(106.03 + n * 1e-3, 29.03));
          return Change.of(
              "forces",
              List.of(new Change.Replacement(f, new Feature(f.id(), p, f.values(), f.personal()))));
        });
  }

  private static final Principal GATEWAY = new Principal("gateway", Role.ADMIN, "", "test");

  /**
   * Holds the writer in a plan of its own until {@link Held#release}: the writes submitted
   * meanwhile queue, and are taken as one group when it lets go.
   */
  private static Held hold(Writer writer) throws InterruptedException {
    java.util.concurrent.CountDownLatch planning = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    CompletableFuture<Writer.Written> held =
        writer.submit(
            new Writer.Write(
                GATEWAY,
                "hold",
                "forces",
                current -> {
                  planning.countDown();
                  try {
                    release.await(10, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  throw new ApiException(409, "Conflict", "held only");
                }));
    assertThat(planning.await(10, TimeUnit.SECONDS)).isTrue();
    return new Held(held, release);
  }

  /** A writer held by {@link #hold}. */
  private record Held(
      CompletableFuture<Writer.Written> write, java.util.concurrent.CountDownLatch latch) {
    /** Lets the writer go on; the held write itself is refused. */
    void release() {
      latch.countDown();
      assertThatThrownBy(() -> write.get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(ApiException.class);
    }
  }

  /**
   * Two writes committed as one group, as writes from several clients at once are: the writer is
   * held by a third write's plan while they queue. The writer gathers from then on ({@link
   * Writer#CROWD}).
   */
  private static void crowd(Writer writer, Writer.Write a, Writer.Write b) throws Exception {
    Held hold = hold(writer);
    long groupsBefore = writer.groups();
    CompletableFuture<Writer.Written> first = writer.submit(a);
    CompletableFuture<Writer.Written> second = writer.submit(b);
    hold.release();
    first.get(10, TimeUnit.SECONDS);
    second.get(10, TimeUnit.SECONDS);
    assertThat(writer.groups() - groupsBefore).as("the two writes in one group").isEqualTo(1);
  }

  /**
   * A server whose pace is a second, brought to where its writer gathers: one group of one write
   * begun just now (the pace runs from it), {@code groups} (forces moved per swap) cleared after
   * it.
   */
  private record Gathering(
      TestServer server, Writer writer, List<Integer> groups, List<Feature> forces)
      implements AutoCloseable {
    static Gathering start() throws Exception {
      TestServer s =
          TestServer.startWithStore(TestDatasets.tiny(), Map.of("write_group_ms", "1000"));
      Writer writer = s.server().writer();
      List<Integer> groups = forcesPerSwap(writer);
      List<Feature> forces = s.server().content().index().layer("forces").features();
      assertThat(forces).hasSizeGreaterThanOrEqualTo(3);
      // the first writes of a server prepare its statements and run code not compiled yet: on a
      // loaded machine they may take most of the pace, so they go first, and the pace after them;
      // two of them meet in a group, as writes from several clients do, so the writer gathers
      crowd(writer, WriterTest.move(writer, forces, 0), WriterTest.move(writer, forces, 1));
      Thread.sleep(1200);
      groups.clear();
      writer.submit(WriterTest.move(writer, forces, 1)).get(10, TimeUnit.SECONDS);
      return new Gathering(s, writer, groups, forces);
    }

    /** Submits {@link #move} {@code n}. */
    CompletableFuture<Writer.Written> move(int n) {
      return writer.submit(WriterTest.move(writer, forces, n));
    }

    @Override
    public void close() throws Exception {
      server.close();
    }
  }

  /**
   * {@code write_group_ms}: writes that arrive within the pace of the last group's start wait for
   * it and are committed as one group, where the writer would otherwise commit each as it came.
   */
  @Test
  void writesArrivingWithinThePaceOfTheLastGroupAreCommittedAsOne() throws Exception {
    try (Gathering g = Gathering.start()) {
      // three more (of the three forces), 50 ms apart: each would find the writer idle and be
      // committed alone; they arrive within the second after the last group began, and are
      // swapped in as one change of the three forces
      List<CompletableFuture<Writer.Written>> later = new ArrayList<>();
      for (int i = 2; i <= 4; i++) {
        Thread.sleep(50);
        later.add(g.move(i));
      }
      for (CompletableFuture<Writer.Written> f : later) {
        f.get(10, TimeUnit.SECONDS);
      }
      assertThat(g.groups()).as("forces moved per swap").containsExactly(1, 3);
    }
  }

  /**
   * A gathering group does not wait out the pace once {@link Writer#ENOUGH} writes are in it: under
   * a heavy stream the wait would add latency and share nothing more. With a pace of a second, a
   * burst of that many writes is committed as one group long before the second has passed; the
   * metrics count it.
   */
  @Test
  void aGatheringGroupStartsAtOnceWhenEnoughWritesWait() throws Exception {
    try (Gathering g = Gathering.start()) {
      Writer writer = g.writer();
      long groupsBefore = writer.groups();
      long writesBefore = writer.groupedWrites();
      long start = System.nanoTime();
      List<CompletableFuture<Writer.Written>> burst = new ArrayList<>();
      for (int i = 2; i < 2 + Writer.ENOUGH; i++) {
        burst.add(g.move(i));
      }
      for (CompletableFuture<Writer.Written> f : burst) {
        f.get(10, TimeUnit.SECONDS);
      }
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      // without the early start the burst waits for the second after the last group began
      assertThat(ms).as("ms until the burst was visible").isLessThan(800);
      // one swap: the three forces, each at its newest position
      assertThat(g.groups()).as("forces moved per swap").containsExactly(1, 3);
      assertThat(writer.groups() - groupsBefore).isEqualTo(1);
      assertThat(writer.groupedWrites() - writesBefore).isEqualTo(Writer.ENOUGH);
      TestServer s = g.server();
      String metrics = s.getText("/metrics", "Authorization", s.bearer(Role.ADMIN, "")).body();
      assertThat(metrics).contains("writer_groups_total", "writer_group_writes_total");
    }
  }

  /**
   * A lone client that sends each write when the last is answered is never held for the pace: its
   * writes make groups of one, and nothing would join them ({@link Writer#CROWD}). With a pace of a
   * second, six such writes take well under the five seconds they would wait otherwise.
   */
  @Test
  void aLoneClientWaitingForEachAnswerIsNotHeldForThePace() throws Exception {
    try (TestServer s =
        TestServer.startWithStore(TestDatasets.tiny(), Map.of("write_group_ms", "1000"))) {
      Writer writer = s.server().writer();
      List<Feature> forces = s.server().content().index().layer("forces").features();
      writer.submit(move(writer, forces, 0)).get(10, TimeUnit.SECONDS); // compiled and prepared
      long start = System.nanoTime();
      for (int i = 1; i <= 6; i++) {
        writer.submit(move(writer, forces, i)).get(10, TimeUnit.SECONDS);
      }
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(ms).as("ms for six writes one after another").isLessThan(2500);
    }
  }

  /** The number of forces each swap of the forces layer moved, as the writer makes them visible. */
  private static List<Integer> forcesPerSwap(Writer writer) {
    List<Integer> groups = new java.util.concurrent.CopyOnWriteArrayList<>();
    writer.onVisible(
        (change, seq) -> {
          if (change.layer().equals("forces")) {
            groups.add(change.replacements().size());
          }
        });
    return groups;
  }

  @Test
  void aGroupIsCommittedTogetherAndAWriteTheStoreRefusesFailsAloneWithinIt() throws Exception {
    try (TestServer s = TestServer.startWithStore(TestDatasets.tiny(), Map.of())) {
      Writer writer = s.server().writer();
      Principal admin = new Principal("gateway", Role.ADMIN, "", "test");
      Held hold = hold(writer);
      long before = writer.logRange().last();
      // ten moves of force 1, then an incident "added" under an id the layer has (the store
      // refuses it), then ten more moves: one group
      List<CompletableFuture<Writer.Written>> moves = new java.util.ArrayList<>();
      for (int i = 0; i < 21; i++) {
        double lon = 106.02 + i * 0.0001;
        boolean bad = i == 10;
        moves.add(
            writer.submit(
                new Writer.Write(
                    admin,
                    bad ? "incident.report" : "positions",
                    bad ? "events" : "forces",
                    current -> {
                      if (bad) {
                        Feature taken = current.layer("events").features().get(0);
                        return Change.of("events", List.of(Change.Replacement.added(taken)));
                      }
                      Feature f = writer.latest().feature(current, "forces", 1);
                      Point p =
                          f.geometry()
                              .getFactory()
                              .createPoint(new org.locationtech.jts.geom.Coordinate(lon, 29.03));
                      return Change.of(
                          "forces",
                          List.of(new Change.Replacement(f, new Feature(1, p, f.values(), false))));
                    })));
      }
      hold.release();
      List<Long> seqs = new java.util.ArrayList<>();
      for (int i = 0; i < moves.size(); i++) {
        if (i == 10) {
          int n = i;
          assertThatThrownBy(() -> moves.get(n).get(10, TimeUnit.SECONDS))
              .hasMessageContaining("cannot add feature");
        } else {
          seqs.add(moves.get(i).get(10, TimeUnit.SECONDS).seq());
        }
      }
      assertThat(seqs)
          .as("each write its own position, in order")
          .isSorted()
          .doesNotHaveDuplicates();
      assertThat(seqs.get(0)).isGreaterThan(before);
      assertThat(
              s.server()
                  .content()
                  .index()
                  .layer("forces")
                  .byId(1)
                  .orElseThrow()
                  .geometry()
                  .getCoordinate()
                  .x)
          .isCloseTo(106.02 + 20 * 0.0001, org.assertj.core.data.Offset.offset(1e-9));
      try (FeatureStore store = Stores.open(s.storeFile().toString())) {
        assertThat(store.history("forces", 1))
            .as("every move a version: the original and 20 moves")
            .hasSize(21);
      }
      assertThat(
              audit(s).stream()
                  .filter(e -> e.path("action").asText().equals("incident.report.failed")))
          .hasSize(1);
    }
  }

  @Test
  void aServerWithoutAStoreRefusesWritesWith409() throws Exception {
    try (TestServer s = TestServer.start(TestDatasets.tiny())) {
      CompletableFuture<Writer.Written> f =
          s.server()
              .writer()
              .submit(
                  new Writer.Write(
                      PLANNER,
                      "grid.update",
                      "grids/" + GRID,
                      current -> rename(current, GRID, "x")));
      ExecutionException e =
          org.assertj.core.api.Assertions.catchThrowableOfType(
              () -> f.get(10, TimeUnit.SECONDS), ExecutionException.class);
      assertThat(e.getCause()).isInstanceOf(ApiException.class).hasMessageContaining("--store");
      assertThat(((ApiException) e.getCause()).status()).isEqualTo(409);
      assertThat(s.server().content().index().layer("grids").byId(GRID).orElseThrow().value(1))
          .isNotEqualTo("x");
    }
  }
}
