package io.gridmap.layers.query.cql2;

import java.util.List;
import java.util.Locale;

/** Units of the distance argument of {@code S_DWITHIN}; every distance is converted to metres. */
public enum DistanceUnit {
  METERS(1.0, List.of("meters", "metres", "meter", "metre", "m")),
  KILOMETERS(1000.0, List.of("kilometers", "kilometres", "kilometer", "kilometre", "km")),
  FEET(0.3048, List.of("feet", "foot", "ft")),
  MILES(1609.344, List.of("miles", "mile", "mi"));

  private final double metres;
  private final List<String> names;

  DistanceUnit(double metres, List<String> names) {
    this.metres = metres;
    this.names = names;
  }

  /** The canonical name written by the text and JSON writers, e.g. {@code meters}. */
  public String canonicalName() {
    return names.get(0);
  }

  public double toMetres(double distance) {
    return distance * metres;
  }

  /** The unit for any of its names (case-insensitive), or null. */
  public static DistanceUnit ofName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    for (DistanceUnit u : values()) {
      if (u.names.contains(n)) {
        return u;
      }
    }
    return null;
  }

  /** Every accepted name, for error messages. */
  public static String acceptedNames() {
    StringBuilder sb = new StringBuilder();
    for (DistanceUnit u : values()) {
      for (String n : u.names) {
        sb.append(sb.length() == 0 ? "" : ", ").append(n);
      }
    }
    return sb.toString();
  }
}
