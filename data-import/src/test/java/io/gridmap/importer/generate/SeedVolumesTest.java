package io.gridmap.importer.generate;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.importer.clean.DistrictCleaner;
import io.gridmap.importer.generate.plan.CityPlan;
import io.gridmap.importer.generate.plan.DistrictPlan;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Department;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.ForceRole;
import io.gridmap.layers.model.IncidentState;
import io.gridmap.layers.model.LayerDef;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seed's volumes (issue 10, point 9) as rates per grid and per resident on the small test city,
 * and as the full city's expectation from its plan (counts fixed before any shape is drawn), so
 * that no test generates the full city for them. The seed's example community: 9 grids and 8,054
 * residents with 18 grid staff, 26 police and utility staff and 190 N forces.
 */
class SeedVolumesTest {
  private static Dataset city;
  private static Map<String, Feature> gridsByCode;

  @BeforeAll
  static void generate() {
    city = SmallCity.city();
    gridsByCode = new HashMap<>();
    for (Feature g : city.layer("grids").features()) {
      gridsByCode.put(g.string(0), g);
    }
  }

  private static long residents(Feature grid) {
    return grid.longValue(Catalogue.GRIDS.requireField("population"));
  }

  /** Within four standard deviations of a Poisson count's mean (and one for rounding). */
  private static void assertPoisson(String what, long observed, double expected) {
    assertThat((double) observed)
        .as(what + ": " + observed + " against an expected " + Math.round(expected))
        .isBetween(expected - 4 * Math.sqrt(expected) - 1, expected + 4 * Math.sqrt(expected) + 1);
  }

  @Test
  void theFullCityPlanExpectsOverAMillionForcesAndEvents() {
    CityPlan plan = CityPlan.of(DistrictCleaner.chongqing().districts(), 1.0);
    double forces = 0;
    double events = 0;
    long grids = 0;
    for (DistrictPlan d : plan.all().values()) {
      grids += d.grids();
      for (ForcePlan role : ForcePlan.values()) {
        // grid populations vary, but the per-resident roles are linear in them: the district's
        // residents give the same sum
        forces +=
            role.kind == ForcePlan.Kind.PER_RESIDENT
                ? role.rate * d.population()
                : role.rate * d.grids();
      }
      events += Math.round(d.population() * EventMaker.EVENTS_PER_RESIDENT);
    }
    assertThat(grids).isEqualTo(CityPlan.GRIDS);
    assertThat(forces).as("forces expected at scale 1").isBetween(1_030_000.0, 1_200_000.0);
    assertThat(events).as("events a year at scale 1").isBetween(1_050_000.0, 1_200_000.0);
  }

  @Test
  void everyGridHasOneFullTimeWorkerAndOnePartTimer() {
    int role = Catalogue.FORCES.requireField("role");
    int gridCode = Catalogue.FORCES.requireField("grid_code");
    Map<String, int[]> staff = new HashMap<>();
    for (Feature f : city.layer("forces").features()) {
      int[] s = staff.computeIfAbsent(f.string(gridCode), k -> new int[2]);
      s[0] += f.string(role).equals("grid_worker") ? 1 : 0;
      s[1] += f.string(role).equals("part_timer") ? 1 : 0;
    }
    assertThat(staff.keySet()).isEqualTo(gridsByCode.keySet());
    assertThat(staff.values()).allSatisfy(s -> assertThat(s).containsExactly(1, 1));
  }

  @Test
  void forcesFollowTheSeedsMixPerGridAndPerResident() {
    int role = Catalogue.FORCES.requireField("role");
    Map<ForceRole, Long> count = new EnumMap<>(ForceRole.class);
    for (Feature f : city.layer("forces").features()) {
      count.merge(ForceRole.ofCode(f.string(role)).orElseThrow(), 1L, Long::sum);
    }
    long grids = gridsByCode.size();
    long people = gridsByCode.values().stream().mapToLong(SeedVolumesTest::residents).sum();
    assertThat(count.keySet()).containsExactlyInAnyOrder(ForceRole.values());

    // the example community: 18 grid staff, 26 police and utility staff per 9 grids
    long staff = count.get(ForceRole.GRID_WORKER) + count.get(ForceRole.PART_TIMER);
    assertThat((double) staff / grids * 9).isEqualTo(18.0);
    long policeAndUtility = count.get(ForceRole.POLICE) + count.get(ForceRole.UTILITY);
    assertPoisson("police and utility", policeAndUtility, 26.0 / 9 * grids);
    assertThat((double) policeAndUtility / grids * 9).isBetween(24.0, 28.0);

    // 190 N forces per 8,054 residents: party members, volunteers, delivery riders
    long n =
        count.get(ForceRole.PARTY_MEMBER)
            + count.get(ForceRole.VOLUNTEER)
            + count.get(ForceRole.DELIVERY_RIDER);
    assertPoisson("N forces", n, 190.0 / 8_054 * people);
    assertThat((double) n / people * 8_054).isBetween(180.0, 200.0);
    assertThat(count.get(ForceRole.DELIVERY_RIDER)).isLessThan(count.get(ForceRole.PARTY_MEMBER));
    assertThat(count.get(ForceRole.PARTY_MEMBER)).isLessThan(count.get(ForceRole.VOLUNTEER));

    // a community doctor per 8,000 residents: a few per street
    assertPoisson("clinic doctors", count.get(ForceRole.CLINIC_DOCTOR), people / 8_000.0);
    double perStreet = (double) count.get(ForceRole.CLINIC_DOCTOR) / city.layer("streets").size();
    assertThat(perStreet).as("community doctors per street").isBetween(2.0, 8.0);

    for (ForcePlan p : ForcePlan.values()) {
      double expected =
          gridsByCode.values().stream().mapToDouble(g -> p.expected(residents(g))).sum();
      assertPoisson(p.code, count.get(p.role), expected);
    }
  }

  @Test
  void nForcesFollowEachGridsResidents() {
    // the per-resident roles scale with the grid: a busy core grid has more than a country one
    int role = Catalogue.FORCES.requireField("role");
    int gridCode = Catalogue.FORCES.requireField("grid_code");
    Set<String> nRoles = Set.of("party_member", "volunteer", "delivery_rider");
    Map<String, Long> perDistrictForces = new HashMap<>();
    Map<String, Long> perDistrictPeople = new HashMap<>();
    for (Feature f : city.layer("forces").features()) {
      if (nRoles.contains(f.string(role))) {
        perDistrictForces.merge(f.string(gridCode).substring(0, 6), 1L, Long::sum);
      }
    }
    for (Feature g : gridsByCode.values()) {
      perDistrictPeople.merge(g.string(0).substring(0, 6), residents(g), Long::sum);
    }
    double[] perGrid = new double[2]; // 渝中 (dense), 城口 (rural)
    for (int i = 0; i < 2; i++) {
      String d = i == 0 ? "500103" : "500229";
      long grids = gridsByCode.keySet().stream().filter(c -> c.startsWith(d)).count();
      perGrid[i] = (double) perDistrictForces.get(d) / grids;
    }
    assertThat(perGrid[0]).as("N forces a grid in 渝中 over 城口").isGreaterThan(2 * perGrid[1]);
    perDistrictPeople.forEach(
        (d, people) ->
            assertPoisson("N forces of " + d, perDistrictForces.get(d), 190.0 / 8_054 * people));
  }

  @Test
  void gridStaffAreMostlyOnDutyAndVolunteersMostlyNot() {
    int role = Catalogue.FORCES.requireField("role");
    int onDuty = Catalogue.FORCES.requireField("on_duty");
    Map<String, long[]> duty = new HashMap<>();
    for (Feature f : city.layer("forces").features()) {
      long[] d = duty.computeIfAbsent(f.string(role), k -> new long[2]);
      d[0] += (Boolean) f.value(onDuty) ? 1 : 0;
      d[1]++;
    }
    for (ForcePlan p : ForcePlan.values()) {
      long[] d = duty.get(p.code);
      // four standard deviations of a binomial share: the few doctors vary more than the many
      double sd = Math.sqrt(p.onDutyShare * (1 - p.onDutyShare) / d[1]);
      assertThat((double) d[0] / d[1])
          .as(p.code + " on duty, of " + d[1])
          .isCloseTo(p.onDutyShare, org.assertj.core.data.Offset.offset(4 * sd + 0.01));
    }
    assertThat((double) duty.get("grid_worker")[0] / duty.get("grid_worker")[1]).isGreaterThan(0.8);
    assertThat((double) duty.get("volunteer")[0] / duty.get("volunteer")[1]).isLessThan(0.4);
  }

  @Test
  void eventsPerResidentAreTheSeedsYearAndFewAreOpenAtTheEnd() {
    LayerDef def = Catalogue.EVENTS;
    int status = def.requireField("status");
    long people = gridsByCode.values().stream().mapToLong(SeedVolumesTest::residents).sum();
    long planted = city.metadata().hotspots().stream().mapToLong(h -> h.count()).sum();
    long ordinary = city.layer("events").size() - planted;
    assertThat((double) ordinary / people)
        .as("events per resident a year")
        .isCloseTo(EventMaker.EVENTS_PER_RESIDENT, org.assertj.core.data.Offset.offset(0.0005));
    long open = 0;
    long rejected = 0;
    for (Feature e : city.layer("events").features()) {
      IncidentState s = IncidentState.ofCode(e.string(status)).orElseThrow();
      open += s.terminal() ? 0 : 1;
      rejected += s == IncidentState.REJECTED ? 1 : 0;
    }
    double openShare = (double) open / city.layer("events").size();
    // 0.05% to 0.4% open at the year's end: 550 to 4,400 of the full city's 1.1 million
    assertThat(openShare).as("open at the end (" + open + ")").isBetween(0.0005, 0.004);
    assertThat((double) rejected / city.layer("events").size()).isBetween(0.02, 0.04);
  }

  @Test
  void theLoopsFieldsAreThoseOfGeneratedHistory() {
    LayerDef def = Catalogue.EVENTS;
    int status = def.requireField("status");
    int reported = def.requireField("reported_at");
    int closed = def.requireField("closed_at");
    int updated = def.requireField("updated_at");
    int gridCode = def.requireField("grid_code");
    int assignee = def.requireField("assignee_id");
    int department = def.requireField("department");
    int workerId = Catalogue.GRIDS.requireField("worker_id");
    Map<IncidentState, Long> states = new EnumMap<>(IncidentState.class);
    long closedByDepartment = 0;
    for (Feature e : city.layer("events").features()) {
      IncidentState s = IncidentState.ofCode(e.string(status)).orElseThrow();
      states.merge(s, 1L, Long::sum);
      long r = e.longValue(reported);
      String at = "event " + e.id() + " " + s;
      assertThat(e.value(def.requireField("source"))).as(at).isEqualTo("generated");
      assertThat(e.value(def.requireField("revision"))).as(at).isEqualTo(1L);
      assertThat(e.value(def.requireField("pinned"))).as(at).isEqualTo(false);
      assertThat(e.value(def.requireField("overdue"))).as(at).isEqualTo(false);
      long u = e.longValue(updated);
      assertThat(u).as(at).isBetween(r, Timeline.END);
      if (s.terminal()) {
        assertThat((Long) e.value(closed)).as(at).isGreaterThan(r).isLessThan(Timeline.END);
        assertThat(u).as(at).isEqualTo(e.longValue(closed));
      } else {
        assertThat(e.value(closed)).as(at).isNull();
      }
      if (s == IncidentState.REJECTED) {
        assertThat(e.longValue(closed) - r).as(at).isLessThanOrEqualTo(5 * Timeline.HOUR);
      }
      boolean dispatched = s != IncidentState.REPORTED && s != IncidentState.REJECTED;
      if (dispatched) {
        long worker = gridsByCode.get(e.string(gridCode)).longValue(workerId);
        assertThat(e.value(assignee)).as(at).isEqualTo(worker);
      } else {
        assertThat(e.value(assignee)).as(at).isNull();
      }
      if (s == IncidentState.ESCALATED) {
        assertThat(Department.ofCode(e.string(department))).as(at).isPresent();
      } else if (s == IncidentState.REPORTED
          || s == IncidentState.DISPATCHED
          || s == IncidentState.ACCEPTED
          || s == IncidentState.REJECTED) {
        assertThat(e.value(department)).as(at).isNull();
      } else if (e.value(department) != null) {
        assertThat(Department.ofCode(e.string(department))).as(at).isPresent();
        closedByDepartment += s == IncidentState.CLOSED ? 1 : 0;
      }
    }
    assertThat(states.keySet())
        .contains(IncidentState.CLOSED, IncidentState.REJECTED, IncidentState.REPORTED);
    assertThat(closedByDepartment).as("closed after a department took them").isPositive();
  }

  @Test
  void everyHomeOfTheElderlyHasAWristbandAndASmokeDetectorAndNoOtherSiteHasDevices() {
    int category = Catalogue.KEY_SITES.requireField("category");
    int devices = Catalogue.KEY_SITES.requireField("devices");
    long homes = 0;
    for (Feature s : city.layer("key_sites").features()) {
      if (s.string(category).equals("elderly_alone_home")) {
        homes++;
        assertThat(s.string(devices)).isEqualTo("wb-" + s.id() + " smoke-" + s.id());
        assertThat(s.personal()).isTrue();
      } else {
        assertThat(s.value(devices)).as("site " + s.id()).isNull();
      }
    }
    assertThat(homes).isPositive();
  }

  @Test
  void wristbandAlarmsHappenAtHomesAndTheyAndCareRequestsArePersonal() {
    Map<Long, Feature> homes = new HashMap<>();
    int category = Catalogue.KEY_SITES.requireField("category");
    for (Feature s : city.layer("key_sites").features()) {
      if (s.string(category).equals("elderly_alone_home")) {
        homes.put(s.id(), s);
      }
    }
    LayerDef def = Catalogue.EVENTS;
    int eventCategory = def.requireField("category");
    int site = def.requireField("site_id");
    int device = def.requireField("device_id");
    int gridCode = def.requireField("grid_code");
    long alarms = 0;
    for (Feature e : city.layer("events").features()) {
      if (e.string(eventCategory).equals("wristband_alarm")) {
        alarms++;
        Feature home = homes.get(e.longValue(site));
        assertThat(home).as("event " + e.id()).isNotNull();
        assertThat(e.string(device)).isEqualTo("wb-" + home.id());
        assertThat(home.string(Catalogue.KEY_SITES.requireField("devices")))
            .contains(e.string(device));
        assertThat(e.geometry().getCoordinate()).isEqualTo(home.geometry().getCoordinate());
        assertThat(e.string(gridCode))
            .isEqualTo(home.string(Catalogue.KEY_SITES.requireField("grid_code")));
        assertThat(e.personal()).isTrue();
      } else {
        assertThat(e.personal())
            .as("event " + e.id() + ": personal exactly when it is an elderly resident's care")
            .isEqualTo(e.string(eventCategory).equals("elderly_care_request"));
        assertThat(e.value(site)).isNull();
        assertThat(e.value(device)).isNull();
      }
    }
    assertThat(alarms).isPositive();
  }
}
