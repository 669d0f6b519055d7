package io.gridmap.server.incidents;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.Stores;
import io.gridmap.server.content.Content;
import io.gridmap.server.security.AuditLog;
import io.gridmap.server.security.Principal;
import io.gridmap.server.security.Role;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.web.Loaded;
import io.gridmap.server.write.Writer;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Point;

/**
 * Overdue steps escalate by themselves: on a clock the test moves, an incident left past its
 * deadline is marked overdue and pinned for its street's command centre, once; the next transition
 * clears it and sets the next deadline.
 */
class OverdueTest {
  private static final int OVERDUE = Catalogue.EVENTS.fieldIndex("overdue");
  private static final int PINNED = Catalogue.EVENTS.fieldIndex("pinned");
  private static final int NOTE = Catalogue.EVENTS.fieldIndex("note");
  private static final int DUE = Catalogue.EVENTS.fieldIndex("due_at");

  @TempDir static Path dir;
  private static final AtomicLong clock = new AtomicLong(System.currentTimeMillis());
  private static Writer writer;
  private static AuditLog audit;
  private static Incidents incidents;
  private static Vertx vertx;
  private static FeatureStore store;

  /** One store for both tests (writing the city takes seconds); each reports its own incident. */
  @BeforeAll
  static void start() throws Exception {
    Path file = dir.resolve("city.gpkg");
    try (FeatureStore s = Stores.open(file.toString())) {
      s.write(TestCity.small());
    }
    store = Stores.open(file.toString());
    Content content = Content.of(store.read(), 1 << 20, "test", store);
    audit = AuditLog.open(dir.resolve("audit.jsonl"));
    writer = new Writer(content, audit);
    Loaded<Content> c = new Loaded<>();
    c.complete(content);
    Loaded<Writer> w = new Loaded<>();
    w.complete(writer);
    incidents =
        new Incidents(
            c, w, Deadlines.all(Duration.ofSeconds(60)), ResponderRoles.defaults(), clock::get);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get();
    writer.close();
    store.close();
    audit.close();
  }

  private Feature reported(String category) throws Exception {
    Feature grid =
        TestCity.small().layer("grids").features().stream()
            .filter(g -> g.id() / 1_000_000_000L == 500153L)
            .findFirst()
            .orElseThrow();
    Point p = grid.geometry().getInteriorPoint();
    Report r =
        new Report(
            p.getX(),
            p.getY(),
            category,
            true,
            "",
            "",
            List.of(),
            clock.get(),
            "system",
            null,
            null,
            null);
    return incidents
        .report(new Principal("centre", Role.COMMANDER, "", "test"), r)
        .get()
        .incident();
  }

  @Test
  void anIncidentPastItsDeadlineIsMarkedOverdueAndPinnedOnceAndATransitionClearsIt()
      throws Exception {
    Feature f = reported("fire_hazard");
    assertThat(f.longValue(DUE)).isEqualTo(clock.get() + 60_000);
    Writer.Written none = incidents.markOverdue(Incidents.SYSTEM).get();
    assertThat(none.change().isEmpty()).as("nothing is due yet").isTrue();

    clock.addAndGet(61_000);
    Writer.Written marked = incidents.markOverdue(Incidents.SYSTEM).get();
    Feature now = incidents.find(f.id());
    assertThat(marked.change().replacements()).extracting(r -> r.id()).contains(f.id());
    assertThat(now.value(OVERDUE)).isEqualTo(true);
    assertThat(now.value(PINNED)).isEqualTo(true);
    assertThat((String) now.value(NOTE))
        .contains("overdue: reported")
        .contains(
            "command centre of street "
                + now.string(Catalogue.EVENTS.fieldIndex("grid_code")).substring(0, 9));
    assertThat(incidents.markOverdue(Incidents.SYSTEM).get().change().replacements())
        .as("marked once")
        .extracting(r -> r.id())
        .doesNotContain(f.id());

    Writer.Written dispatched =
        incidents
            .transition(
                new Principal("centre", Role.COMMANDER, "", "test"),
                f.id(),
                new Incidents.Transition(Action.DISPATCH, null, null, null, Incidents.etag(now)))
            .get();
    Feature after = dispatched.change().after().get(0);
    assertThat(after.value(OVERDUE)).isEqualTo(false);
    assertThat(after.longValue(DUE)).isEqualTo(clock.get() + 60_000);
  }

  @Test
  void theSweepFindsItWithoutBeingAsked() throws Exception {
    Feature f = reported("water_leak");
    clock.addAndGet(61_000);
    OverdueSweep sweep = new OverdueSweep(incidents, vertx, Duration.ofMillis(100));
    try {
      awaitOverdue(f);
    } finally {
      sweep.close();
    }
  }

  /** Waits up to 10 s for the sweep to mark {@code f} overdue. */
  private static void awaitOverdue(Feature f) throws InterruptedException {
    long end = System.currentTimeMillis() + 10_000;
    while (!Boolean.TRUE.equals(incidents.find(f.id()).value(OVERDUE))
        && System.currentTimeMillis() < end) {
      Thread.sleep(50);
    }
    assertThat(incidents.find(f.id()).value(OVERDUE)).isEqualTo(true);
  }

  @Test
  void theSweepFindsAnIncidentReportedAfterItStarted() throws Exception {
    OverdueSweep sweep = new OverdueSweep(incidents, vertx, Duration.ofMillis(100));
    try {
      Feature f = reported("noise_complaint");
      clock.addAndGet(61_000);
      awaitOverdue(f);
    } finally {
      sweep.close();
    }
  }

  @Test
  void dueStepsWatchOpenIncidentsUntilTheyAreOverdueAndReadASwappedLayerAgain() throws Exception {
    DueSteps steps = new DueSteps(() -> incidents.content().index(), writer::onVisible);
    Feature f = reported("road_damage");
    assertThat(steps.due(clock.get())).as("not due yet").doesNotContain(f.id());
    assertThat(steps.due(clock.get() + 60_000)).contains(f.id());
    assertThat(steps.anyDue(clock.get() + 60_000)).isTrue();

    clock.addAndGet(61_000);
    incidents.markOverdue(Incidents.SYSTEM, steps.due(clock.get())).get();
    assertThat(incidents.find(f.id()).value(OVERDUE)).isEqualTo(true);
    assertThat(steps.due(Long.MAX_VALUE)).as("overdue: no longer watched").doesNotContain(f.id());

    // a layer swapped in whole is read again: the same incidents are watched
    int watched = steps.size();
    steps.visible(io.gridmap.layers.edit.Change.of(Catalogue.EVENTS.name(), List.of()), 0);
    assertThat(steps.size()).isEqualTo(watched);
  }
}
