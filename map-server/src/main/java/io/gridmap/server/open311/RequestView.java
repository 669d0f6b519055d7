package io.gridmap.server.open311;

import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Department;
import io.gridmap.layers.model.EventCategory;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.IncidentState;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.layers.query.count.GroupCounter;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.locationtech.jts.geom.Coordinate;

/**
 * An incident as a GeoReport v2 service request: public and redacted. It carries what the public
 * items of {@code /collections/events} carry (the category, the state, the description, the place,
 * the photos) and never a personal field: no reporter, no note, no device, no request key, no
 * responders. Which incidents may be shown at all is {@link #isPublic}'s decision, or the private
 * link's.
 */
final class RequestView {
  private RequestView() {}

  private static final LayerDef EVENTS = Catalogue.EVENTS;
  private static final int CATEGORY = EVENTS.requireField("category");
  private static final int STATUS = EVENTS.requireField("status");
  private static final int REPORTED = EVENTS.requireField("reported_at");
  private static final int UPDATED = EVENTS.requireField("updated_at");
  private static final int CLOSED = EVENTS.requireField("closed_at");
  private static final int GRID = EVENTS.requireField("grid_code");
  private static final int DESCRIPTION = EVENTS.requireField("description");
  private static final int PHOTOS = EVENTS.requireField("photos");
  private static final int DEPARTMENT = EVENTS.requireField("department");
  private static final int DUPLICATE = EVENTS.requireField("duplicate_of");
  private static final int OVERDUE = EVENTS.requireField("overdue");

  /** W3C date-times (the spec's "w3 format") in the city's time, to the second. */
  private static final DateTimeFormatter W3C = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

  /**
   * True for an incident the public may see through Open311: not personal (a device alarm, anything
   * at a personal site), of a category the public may report, and not an elderly care request,
   * which concerns a person at home however it came in (the generated history marks none of them
   * personal, so the category is checked as well as the flag).
   */
  static boolean isPublic(Feature incident) {
    if (incident.personal()) {
      return false;
    }
    return incident.value(CATEGORY) instanceof String c
        && !c.equals(EventCategory.ELDERLY_CARE_REQUEST.code())
        && Services.byCode(c).isPresent();
  }

  static long reportedAt(Feature incident) {
    return incident.longValue(REPORTED);
  }

  static String category(Feature incident) {
    return (String) incident.value(CATEGORY);
  }

  /** The Open311 status, {@code open} or {@code closed}, of an incident. */
  static String status(Feature incident) {
    return state(incident).open311();
  }

  private static IncidentState state(Feature incident) {
    return IncidentState.ofCode((String) incident.value(STATUS)).orElse(IncidentState.REPORTED);
  }

  /** One {@code request} element, its members in the spec's order. */
  static Map<String, Object> request(Feature f, CityIndex index) {
    Map<String, Object> r = new LinkedHashMap<>();
    IncidentState state = state(f);
    String code = category(f);
    r.put("service_request_id", Long.toString(f.id()));
    r.put("status", state.open311());
    r.put("status_notes", notes(f, state));
    r.put("service_name", EventCategory.ofCode(code).map(EventCategory::label).orElse(code));
    r.put("service_code", code);
    r.put("description", f.value(DESCRIPTION));
    String grid = (String) f.value(GRID);
    r.put("agency_responsible", agency(f, grid, index));
    r.put("requested_datetime", w3c(f.longValue(REPORTED)));
    Object updated =
        state.terminal() && f.value(CLOSED) != null ? f.value(CLOSED) : f.value(UPDATED);
    r.put("updated_datetime", w3c(updated instanceof Long u ? u : f.longValue(REPORTED)));
    r.put("address", address(grid, index));
    r.put("address_id", grid);
    Coordinate c = f.geometry().getCoordinate();
    r.put("lat", c.y);
    r.put("long", c.x);
    if (f.value(PHOTOS) instanceof String p && !p.isBlank()) {
      r.put("media_url", p.strip().split(" ")[0]);
    }
    return r;
  }

  /**
   * Our finer state, which {@code status} (open or closed) cannot carry: its code and name, the
   * department it went to, whether its next step is overdue, and the first report of the same thing
   * when it is a duplicate.
   */
  private static String notes(Feature f, IncidentState state) {
    StringBuilder sb =
        new StringBuilder(state.code()).append(" (").append(state.label()).append(')');
    if (f.value(DEPARTMENT) instanceof String d) {
      Department.ofCode(d)
          .ifPresent(
              dep ->
                  sb.append("; with ")
                      .append(dep.code())
                      .append(" (")
                      .append(dep.label())
                      .append(')'));
    }
    if (Boolean.TRUE.equals(f.value(OVERDUE)) && !state.terminal()) {
      sb.append("; overdue");
    }
    if (f.value(DUPLICATE) instanceof Long d) {
      sb.append("; a duplicate of service request ").append(d);
    }
    return sb.toString();
  }

  /** The department it is escalated to, else the command centre of its street. */
  private static String agency(Feature f, String grid, CityIndex index) {
    if (f.value(DEPARTMENT) instanceof String d) {
      var dep = Department.ofCode(d);
      if (dep.isPresent()) {
        return dep.get().label() + " (" + dep.get().code() + ")";
      }
    }
    String street = name(index, Catalogue.STREETS, grid, 9);
    return street == null ? null : street + "指挥中心";
  }

  /** The incident's grid chain by name, most specific first as the spec asks: grid, village, ... */
  private static String address(String grid, CityIndex index) {
    List<String> parts = new ArrayList<>();
    int[] lengths = {15, 12, 9, 6};
    LayerDef[] levels = {
      Catalogue.GRIDS, Catalogue.VILLAGES, Catalogue.STREETS, Catalogue.DISTRICTS
    };
    for (int i = 0; i < levels.length; i++) {
      String n = name(index, levels[i], grid, lengths[i]);
      if (n != null) {
        parts.add(n);
      }
    }
    return parts.isEmpty() ? null : String.join(", ", parts);
  }

  /** The name of the admin unit whose code starts {@code grid} (its id is its code). */
  private static String name(CityIndex index, LayerDef level, String grid, int digits) {
    if (grid == null || grid.length() < digits || !grid.matches("\\d+")) {
      return null;
    }
    long id = Long.parseLong(grid.substring(0, digits));
    return index
        .findLayer(level.name())
        .flatMap(l -> l.byId(id))
        .map(u -> u.value(level.requireField("name")))
        .map(String::valueOf)
        .orElse(null);
  }

  /**
   * An epoch millisecond instant as a W3C date-time in the city's time, e.g. ...T08:30:00+08:00.
   */
  static String w3c(long millis) {
    return Instant.ofEpochMilli(millis)
        .truncatedTo(ChronoUnit.SECONDS)
        .atZone(GroupCounter.CITY_TIME)
        .toOffsetDateTime()
        .format(W3C);
  }
}
