package io.gridmap.server.incidents;

import io.gridmap.layers.model.EventCategory;
import io.gridmap.layers.model.ForceRole;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which roles of forces an urgent incident of each category needs: the k nearest on-duty forces of
 * these roles are sent ({@code responders}). A wristband alarm needs the grid worker and the
 * community doctor (the seed's story: "the grid worker, the community doctor and an ambulance"); a
 * dispute the police; a leak the utilities. Set per category by the {@code responder_roles} setting
 * ({@link #parse}).
 *
 * @param byCategory roles per category code; categories not listed take {@link #fallback}
 * @param fallback the roles of any other category
 * @param k how many forces to send at most
 */
public record ResponderRoles(Map<String, List<String>> byCategory, List<String> fallback, int k) {
  public ResponderRoles {
    byCategory = Map.copyOf(byCategory);
    fallback = List.copyOf(fallback);
  }

  /** The roles of a category. */
  public List<String> roles(String category) {
    return byCategory.getOrDefault(category, fallback);
  }

  /** The documented defaults (docs/incidents.md), over the roles that exist. */
  public static ResponderRoles defaults() {
    Map<EventCategory, List<String>> m = new EnumMap<>(EventCategory.class);
    List<String> care = existing("grid_worker", "clinic_doctor", "volunteer");
    m.put(EventCategory.WRISTBAND_ALARM, care);
    m.put(EventCategory.ELDERLY_CARE_REQUEST, care);
    m.put(EventCategory.FIRE_HAZARD, existing("grid_worker", "utility", "police"));
    m.put(EventCategory.NEIGHBOUR_DISPUTE, existing("police", "grid_worker"));
    m.put(EventCategory.ILLEGAL_CONSTRUCTION, existing("police", "grid_worker"));
    m.put(EventCategory.WAGE_ARREARS, existing("police", "grid_worker"));
    m.put(EventCategory.ILLEGAL_PARKING, existing("police", "part_timer"));
    List<String> works = existing("utility", "grid_worker");
    m.put(EventCategory.WATER_LEAK, works);
    m.put(EventCategory.STREET_LIGHT_OUT, works);
    m.put(EventCategory.MANHOLE_COVER, works);
    m.put(EventCategory.ROAD_DAMAGE, works);
    Map<String, List<String>> byCode = new LinkedHashMap<>();
    m.forEach((c, roles) -> byCode.put(c.code(), roles));
    return new ResponderRoles(byCode, existing("grid_worker", "part_timer"), 5);
  }

  private static List<String> existing(String... roles) {
    return java.util.Arrays.stream(roles).filter(r -> ForceRole.ofCode(r).isPresent()).toList();
  }

  /**
   * The defaults with the categories of a setting replaced: {@code
   * category=role+role;category=role}, e.g. {@code wristband_alarm=grid_worker+clinic_doctor}.
   *
   * @throws IllegalArgumentException naming the part that is not a known category or role
   */
  public static ResponderRoles parse(String setting) {
    ResponderRoles d = defaults();
    if (setting == null || setting.isBlank()) {
      return d;
    }
    Map<String, List<String>> m = new LinkedHashMap<>(d.byCategory());
    for (String part : setting.split(";")) {
      if (part.isBlank()) {
        continue;
      }
      String[] kv = part.split("=", 2);
      String category = kv[0].strip();
      if (kv.length != 2 || EventCategory.ofCode(category).isEmpty()) {
        throw new IllegalArgumentException(
            "responder_roles: '"
                + part
                + "' is not category=role+role with a known category; categories: "
                + java.util.Arrays.stream(EventCategory.values())
                    .map(EventCategory::code)
                    .toList());
      }
      List<String> roles = new java.util.ArrayList<>();
      for (String r : kv[1].split("\\+")) {
        if (ForceRole.ofCode(r.strip()).isEmpty()) {
          throw new IllegalArgumentException(
              "responder_roles: role '"
                  + r.strip()
                  + "' of "
                  + category
                  + " is not a force role; roles: "
                  + java.util.Arrays.stream(ForceRole.values()).map(ForceRole::code).toList());
        }
        roles.add(r.strip());
      }
      m.put(category, roles);
    }
    return new ResponderRoles(m, d.fallback(), d.k());
  }
}
