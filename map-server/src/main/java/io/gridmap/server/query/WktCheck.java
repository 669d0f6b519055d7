package io.gridmap.server.query;

import io.gridmap.server.web.Params;
import java.util.Locale;

/**
 * Says, in our words, where a WKT POLYGON or MULTIPOLYGON goes wrong: "at character 17: expected a
 * number but found 'x'". JTS's reader says it in its own terms (or not at all: it ignores text
 * after the geometry), so the polygon parameter is checked here first and read by JTS after.
 *
 * <pre>
 * text     = ("POLYGON" polygon | "MULTIPOLYGON" "(" polygon ("," polygon)* ")") | ... "EMPTY"
 * polygon  = "(" ring ("," ring)* ")"
 * ring     = "(" position ("," position)* ")"   at least 4 positions, the last equal to the first
 * position = number number [number]
 * </pre>
 */
final class WktCheck {
  private final String s;
  private int i;
  private int polygon;
  private int ring;

  private WktCheck(String s) {
    this.s = s;
  }

  /** What is wrong with the text, or null when it is a POLYGON or MULTIPOLYGON. */
  static String problem(String wkt) {
    try {
      new WktCheck(wkt).text();
      return null;
    } catch (Bad b) {
      return b.getMessage();
    }
  }

  private static final class Bad extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Bad(String message) {
      super(message, null, false, false);
    }
  }

  private void text() {
    String word = word();
    boolean multi = word.equals("MULTIPOLYGON");
    if (!multi && !word.equals("POLYGON")) {
      throw expected("POLYGON or MULTIPOLYGON", word.isEmpty() ? found() : quote(word));
    }
    int save = i;
    String dimension = word();
    if (dimension.equals("EMPTY")) {
      end();
      return;
    }
    if (!dimension.equals("Z")) {
      i = save;
    }
    if (multi) {
      expect('(');
      do {
        polygon++;
        polygon();
      } while (comma());
      expect(')');
    } else {
      polygon();
    }
    end();
  }

  private void polygon() {
    expect('(');
    ring = 0;
    do {
      ring++;
      ring();
    } while (comma());
    expect(')');
  }

  private void ring() {
    int start = i;
    expect('(');
    double[] first = position();
    double[] last = first;
    int n = 1;
    while (comma()) {
      last = position();
      n++;
    }
    expect(')');
    if (n < 4) {
      throw new Bad(
          "at character "
              + (start + 1)
              + ", "
              + which()
              + " has "
              + n
              + " positions; a ring needs at least 4, the last equal to the first");
    }
    if (first[0] != last[0] || first[1] != last[1]) {
      throw new Bad(
          "at character "
              + (start + 1)
              + ", "
              + which()
              + " is not closed: it ends at "
              + last[0]
              + " "
              + last[1]
              + ", not where it starts ("
              + first[0]
              + " "
              + first[1]
              + ")");
    }
  }

  private String which() {
    return (ring == 1 ? "the outer ring" : "hole " + (ring - 1))
        + (polygon == 0 ? "" : " of polygon " + polygon);
  }

  private double[] position() {
    double lon = number();
    double lat = number();
    skip();
    if (i < s.length() && number(s.charAt(i))) {
      number(); // a Z value, ignored as JTS does
    }
    return new double[] {lon, lat};
  }

  private double number() {
    skip();
    int start = i;
    while (i < s.length() && number(s.charAt(i))) {
      i++;
    }
    String n = s.substring(start, i);
    try {
      if (!n.isEmpty()) {
        return Double.parseDouble(n);
      }
    } catch (NumberFormatException e) {
      // reported below, with the place
    }
    i = start;
    throw expected("a number", n.isEmpty() ? found() : quote(n));
  }

  private static boolean number(char c) {
    return (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E';
  }

  private String word() {
    skip();
    int start = i;
    while (i < s.length() && Character.isLetter(s.charAt(i))) {
      i++;
    }
    return s.substring(start, i).toUpperCase(Locale.ROOT);
  }

  private boolean comma() {
    skip();
    if (i < s.length() && s.charAt(i) == ',') {
      i++;
      return true;
    }
    return false;
  }

  private void expect(char c) {
    skip();
    if (i >= s.length() || s.charAt(i) != c) {
      throw expected(c == ')' ? "',' or ')'" : "'" + c + "'", found());
    }
    i++;
  }

  private void end() {
    skip();
    if (i < s.length()) {
      throw expected("the end of the text", found());
    }
  }

  private void skip() {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
  }

  private String found() {
    if (i >= s.length()) {
      return "the end of the text";
    }
    int stop = i;
    while (stop < s.length() && stop - i < 12 && !separator(s.charAt(stop))) {
      stop++;
    }
    return quote(s.substring(i, Math.max(stop, i + 1)));
  }

  private static boolean separator(char c) {
    return Character.isWhitespace(c) || c == '(' || c == ')' || c == ',';
  }

  private static String quote(String t) {
    return Params.quote(t);
  }

  private Bad expected(String what, String found) {
    return new Bad("at character " + (i + 1) + ": expected " + what + " but found " + found);
  }
}
