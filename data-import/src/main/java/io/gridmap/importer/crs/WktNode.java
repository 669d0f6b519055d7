package io.gridmap.importer.crs;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One keyword of WKT1 with what its brackets hold: quoted text as {@link String}, numbers as {@link
 * Double}, nested keywords as {@code WktNode}, bare words (AXIS["Easting",EAST]) as {@link Word}.
 */
record WktNode(String keyword, List<Object> values) {
  WktNode {
    values = List.copyOf(values);
  }

  /** A bare word in a WKT list. */
  record Word(String text) {}

  /** Whether the keyword is {@code keyword}, ignoring case. */
  boolean is(String keyword) {
    return this.keyword.equalsIgnoreCase(keyword);
  }

  /** The first quoted text, the name of most keywords; empty text if there is none. */
  String name() {
    return values.stream()
        .filter(String.class::isInstance)
        .map(String.class::cast)
        .findFirst()
        .orElse("");
  }

  /** The i-th number among the values. */
  OptionalDouble number(int i) {
    return values.stream()
        .filter(Double.class::isInstance)
        .mapToDouble(Double.class::cast)
        .skip(i)
        .findFirst();
  }

  /** The first nested keyword of that name, ignoring case. */
  Optional<WktNode> child(String keyword) {
    return children(keyword).stream().findFirst();
  }

  /** The nested keywords of that name, ignoring case. */
  List<WktNode> children(String keyword) {
    return values.stream()
        .filter(WktNode.class::isInstance)
        .map(WktNode.class::cast)
        .filter(n -> n.is(keyword))
        .toList();
  }

  /**
   * A name reduced to letters and digits in lower case, so that ESRI's "Central_Meridian", OGC's
   * "central_meridian" and "Central Meridian" compare equal.
   */
  static String squash(String name) {
    return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
  }
}
