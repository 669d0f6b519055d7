package io.gridmap.server.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridmap.layers.edit.Change;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Feature;
import io.gridmap.server.live.PositionBatch.Position;
import io.gridmap.server.security.Principal;
import io.gridmap.server.security.Role;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.web.ApiException;
import io.gridmap.server.write.Writer;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Point;

/** Who may move which force, and which positions win, decided against an index. */
class PositionPlanTest {
  private static final int ON_DUTY = Catalogue.FORCES.fieldIndex("on_duty");
  private static final int GRID_CODE = Catalogue.FORCES.fieldIndex("grid_code");
  private static final int UPDATED_AT = Catalogue.FORCES.fieldIndex("updated_at");
  private static CityIndex index;
  private static Feature a;
  private static Feature b;

  @BeforeAll
  static void build() {
    index = CityIndex.build(TestCity.small());
    List<Feature> forces = index.layer("forces").features();
    a =
        forces.stream()
            .filter(f -> f.string(GRID_CODE).startsWith("500103"))
            .findFirst()
            .orElseThrow();
    b =
        forces.stream()
            .filter(f -> f.string(GRID_CODE).startsWith("500105"))
            .findFirst()
            .orElseThrow();
  }

  private static long updated(Feature f) {
    return f.longValue(UPDATED_AT);
  }

  private static Position at(int i, Feature f, long time, Boolean onDuty) {
    Point p = (Point) f.geometry();
    return new Position(i, f.id(), p.getX() + 0.001, p.getY() + 0.001, onDuty, time);
  }

  /** The index alone: no other write of the group is pending. */
  private static final Writer.Latest INDEX =
      (current, layer, id) -> current.layer(layer).byId(id).orElse(null);

  /**
   * A group in which {@code earlier} was planned and not yet swapped in, as the writer presents it.
   */
  private static Writer.Latest pending(Change earlier) {
    return (current, layer, id) ->
        earlier.replacements().stream()
            .filter(r -> r.id() == id)
            .map(Change.Replacement::after)
            .findFirst()
            .orElseGet(() -> INDEX.feature(current, layer, id));
  }

  private static Change plan(Principal who, Writer.Latest latest, Position... positions) {
    return new PositionPlan(who, new PositionBatch(List.of(positions)), latest).plan(index);
  }

  private static void forbidden(Principal who, Position p, String... detail) {
    assertThatThrownBy(() -> plan(who, INDEX, p))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(403);
              assertThat(e.getMessage()).contains(detail);
            });
  }

  @Test
  void aMovedForceRead2dFromAStoreStaysACompactPoint() {
    org.locationtech.jts.geom.GeometryFactory readers =
        new org.locationtech.jts.geom.GeometryFactory(
            new org.locationtech.jts.geom.PrecisionModel(),
            4326,
            io.gridmap.layers.geo.CompactPoints.INSTANCE);
    Point p = (Point) a.geometry();
    Feature stored =
        new Feature(
            a.id(),
            readers.createPoint(new org.locationtech.jts.geom.CoordinateXY(p.getX(), p.getY())),
            a.values(),
            a.personal());
    Writer.Latest fromStore = (current, layer, id) -> id == a.id() ? stored : null;
    Principal admin = new Principal("root", Role.ADMIN, "", "jwt");
    Point moved =
        (Point)
            plan(admin, fromStore, at(0, a, updated(a) + 1, null))
                .replacements()
                .get(0)
                .after()
                .geometry();
    assertThat(moved.getCoordinateSequence()).isInstanceOf(io.gridmap.layers.geo.PointXY.class);
    assertThat(moved.getX()).isEqualTo(Math.round((p.getX() + 0.001) * 1e7) / 1e7);
  }

  @Test
  void aGridWorkerMovesOnlyThemself() {
    Principal worker =
        new Principal(Long.toString(a.id()), Role.GRID_WORKER, a.string(GRID_CODE), "jwt");
    Change own = plan(worker, INDEX, at(0, a, updated(a) + 1000, true));
    assertThat(own.replacements())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.before()).isSameAs(a);
              assertThat(r.after().value(ON_DUTY)).isEqualTo(true);
              assertThat(r.after().value(UPDATED_AT)).isEqualTo(updated(a) + 1000);
              assertThat(r.after().values()[GRID_CODE]).isEqualTo(a.value(GRID_CODE));
              assertThat(((Point) r.after().geometry()).getX())
                  .isEqualTo(
                      ((Point) a.geometry()).getX() + 0.001,
                      org.assertj.core.data.Offset.offset(1e-7));
            });
    forbidden(worker, at(0, b, updated(b) + 1000, null), "force " + b.id(), "own position");
    Principal stranger = new Principal("someone", Role.GRID_WORKER, "", "jwt");
    forbidden(stranger, at(0, a, updated(a) + 1000, null), "force " + a.id());
  }

  @Test
  void commandersAndAdminsMoveForcesTheirScopeCovers() {
    Principal district = new Principal("cc", Role.COMMANDER, "500103", "jwt");
    assertThat(plan(district, INDEX, at(0, a, updated(a) + 1, null)).replacements()).hasSize(1);
    forbidden(
        district,
        at(0, b, updated(b) + 1, null),
        "force " + b.id(),
        b.string(GRID_CODE),
        "outside the scope 500103");
    Principal admin = new Principal("root", Role.ADMIN, "", "jwt");
    assertThat(
            plan(admin, INDEX, at(0, a, updated(a) + 1, null), at(1, b, updated(b) + 1, null))
                .replacements())
        .hasSize(2);
    forbidden(
        new Principal("p", Role.PLANNER, "", "jwt"),
        at(0, a, updated(a) + 1, null),
        "role planner may not post positions");
  }

  @Test
  void anUnknownForceRefusesTheWholeBatch() {
    Principal admin = new Principal("root", Role.ADMIN, "", "jwt");
    assertThatThrownBy(
            () ->
                plan(
                    admin,
                    INDEX,
                    at(0, a, updated(a) + 1, null),
                    new Position(1, 12345, 106.5, 29.5, null, updated(a) + 1)))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.getMessage()).contains("features[1].id=12345", "not a known force");
            });
  }

  @Test
  void positionsNotNewerThanTheForcesAreLeftOutAndTheNewestOfABatchWins() {
    Principal admin = new Principal("root", Role.ADMIN, "", "jwt");
    long t = updated(a);
    PositionPlan plan =
        new PositionPlan(
            admin,
            new PositionBatch(
                List.of(
                    at(0, a, t, true), // the same instant as the force's: a replay
                    at(1, a, t + 2000, null),
                    at(2, a, t + 5000, false),
                    at(3, a, t + 3000, true),
                    at(4, b, updated(b) - 1, null))),
            INDEX);
    Change c = plan.plan(index);
    assertThat(c.replacements())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.after().value(UPDATED_AT)).isEqualTo(t + 5000);
              assertThat(r.after().value(ON_DUTY)).isEqualTo(false);
            });
    assertThat(plan.ignored())
        .extracting(PositionPlan.Ignored::feature)
        .containsExactly(0, 1, 3, 4);
    assertThat(plan.ignored().get(0).reason()).contains("not newer");
    assertThat(plan.ignored().get(1).reason()).contains("superseded by the newer features[2]");
    assertThat(plan.ignored().get(2).reason()).contains("superseded by features[2]");
    assertThat(plan.ignored().get(3).reason()).contains("not newer");
  }

  /**
   * The writer swaps point writes into memory a group at a time: a plan made before the swap reads
   * forces through the writer's view, which has the version planned just before it, so an on-duty
   * flag set by the first is kept and an older position cannot overwrite a newer one. (That the
   * writer's view has them: WriterTest.aPlanSeesTheWritesOfItsGroupThatTheIndexLacksYet.)
   */
  @Test
  void aPlanStartsFromTheVersionPlannedBeforeItThatTheIndexLacksYet() {
    Principal admin = new Principal("root", Role.ADMIN, "", "jwt");
    long t = updated(a);
    boolean duty = !(Boolean) a.value(ON_DUTY);
    Change first = plan(admin, INDEX, at(0, a, t + 10_000, duty));
    PositionPlan second =
        new PositionPlan(
            admin, new PositionBatch(List.of(at(0, a, t + 20_000, null))), pending(first));
    Change next = second.plan(index); // the same index: the first is not swapped in yet
    assertThat(next.replacements().get(0).before()).isSameAs(first.replacements().get(0).after());
    assertThat(next.replacements().get(0).after().value(ON_DUTY))
        .as("the first write's flag is kept")
        .isEqualTo(duty);
    PositionPlan older =
        new PositionPlan(
            admin, new PositionBatch(List.of(at(0, a, t + 15_000, !duty))), pending(next));
    assertThat(older.plan(index).replacements()).as("older than the planned one").isEmpty();
    assertThat(older.ignored())
        .singleElement()
        .extracting(PositionPlan.Ignored::reason)
        .asString()
        .contains("not newer");
  }
}
