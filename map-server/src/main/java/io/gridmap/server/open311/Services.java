package io.gridmap.server.open311;

import io.gridmap.layers.model.EventCategory;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The GeoReport v2 services: the event categories the public may report, one service each, its
 * {@code service_code} the category's code and its {@code group} the category's board. A wristband
 * alarm is no service: only a registered device raises one.
 *
 * <p>Every service is {@code realtime} (the incident's id is the answer to the POST) and has no
 * attributes ({@code metadata false}): a report needs only where, what and, if the reporter wants,
 * a description and photos.
 */
final class Services {
  private Services() {}

  /**
   * When the list below last changed: the discovery document's changeset, which tells clients to
   * fetch the services again. Change it with the list.
   */
  static final String CHANGESET = "2026-12-03T00:00:00Z";

  /** What each category is, in words a resident reads when choosing one. */
  private static final Map<EventCategory, String> DESCRIPTIONS = new EnumMap<>(EventCategory.class);

  static {
    put(EventCategory.GARBAGE_PILEUP, "Rubbish piled up in a street, a yard or a public space");
    put(EventCategory.ROAD_DAMAGE, "A pothole, broken paving or a damaged road surface");
    put(
        EventCategory.ILLEGAL_PARKING,
        "A vehicle parked where it blocks a road, a pavement or a fire lane");
    put(
        EventCategory.NOISE_COMPLAINT,
        "Noise that disturbs residents: building work at night, loudspeakers");
    put(EventCategory.NEIGHBOUR_DISPUTE, "A dispute between neighbours that needs mediation");
    put(EventCategory.STREET_LIGHT_OUT, "A street light that is out or flickering");
    put(EventCategory.MANHOLE_COVER, "A missing, broken or loose manhole cover");
    put(EventCategory.WATER_LEAK, "Water leaking from a main, a pipe or a hydrant");
    put(
        EventCategory.ELDERLY_CARE_REQUEST,
        "Help for an elderly resident. Kept private: only the staff who help and you, through"
            + " the private link returned with your report, see it");
    put(EventCategory.UNLICENSED_VENDOR, "Street vending that takes over the road or pavement");
    put(
        EventCategory.FIRE_HAZARD,
        "A fire risk: blocked exits or fire lanes, stored fuel, faulty wiring");
    put(EventCategory.ILLEGAL_CONSTRUCTION, "Building work without a permit");
    put(EventCategory.BUSINESS_LICENCE, "Help with a business licence or permit");
    put(EventCategory.WAGE_ARREARS, "Wages an employer has not paid");
    put(
        EventCategory.PARTY_SERVICE_REQUEST,
        "A request to the community's party service centre (党群服务中心)");
    put(EventCategory.VOLUNTEER_ACTIVITY, "A volunteer activity to organise or to join");
  }

  private static void put(EventCategory c, String description) {
    DESCRIPTIONS.put(c, description);
  }

  /** The categories offered, in the enum's order. */
  static List<EventCategory> offered() {
    return new ArrayList<>(DESCRIPTIONS.keySet());
  }

  /** The service of a code, if the public may report it. */
  static Optional<EventCategory> byCode(String code) {
    return EventCategory.ofCode(code).filter(DESCRIPTIONS::containsKey);
  }

  /** The codes offered, for error messages. */
  static String codes() {
    return String.join(", ", offered().stream().map(EventCategory::code).toList());
  }

  /** One service of the list, its members in the spec's order. */
  static Map<String, Object> service(EventCategory c) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("service_code", c.code());
    s.put("service_name", c.label());
    s.put("description", DESCRIPTIONS.get(c));
    s.put("metadata", false);
    s.put("type", "realtime");
    s.put(
        "keywords",
        String.join(", ", c.code().split("_"))
            + ", "
            + c.label()
            + ", "
            + c.board().code()
            + ", "
            + c.board().chineseName());
    s.put("group", c.board().chineseName());
    return s;
  }
}
