package io.gridmap.importer.crs;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads WKT1 (OGC 01-009 and ESRI's flavour, the text of a {@code .prj}) into {@link WktNode}s. It
 * knows the syntax only, not what the keywords mean: that is {@link PrjMatcher}'s job. Square
 * brackets and parentheses are both accepted, as OGC 01-009 allows.
 */
final class WktReader {
  private final String text;
  private int pos;

  private WktReader(String text) {
    this.text = text;
  }

  /**
   * The keywords the text holds: one, or more separated by commas, as ArcGIS writes a vertical CS
   * after the horizontal one ({@code PROJCS[…],VERTCS[…]}).
   *
   * @throws IllegalArgumentException "expected X but found Y at position N"
   */
  static List<WktNode> read(String text) {
    WktReader r = new WktReader(text);
    // a byte order mark, which some Windows tools write
    if (text.startsWith("\uFEFF")) {
      r.pos = 1;
    }
    List<WktNode> nodes = new ArrayList<>();
    nodes.add(r.node(r.word()));
    r.skipBlanks();
    while (r.pos < text.length() && text.charAt(r.pos) == ',') {
      r.pos++;
      nodes.add(r.node(r.word()));
      r.skipBlanks();
    }
    if (r.pos < text.length()) {
      throw r.expected("',' or the end of the text");
    }
    return nodes;
  }

  private WktNode node(String keyword) {
    skipBlanks();
    char open = pos < text.length() ? text.charAt(pos) : 0;
    if (open != '[' && open != '(') {
      throw expected("'[' after " + keyword);
    }
    char close = open == '[' ? ']' : ')';
    pos++;
    List<Object> values = new ArrayList<>();
    while (true) {
      values.add(value());
      skipBlanks();
      char c = pos < text.length() ? text.charAt(pos) : 0;
      pos++;
      if (c == close) {
        return new WktNode(keyword, values);
      }
      if (c != ',') {
        pos--;
        throw expected("',' or '" + close + "' in " + keyword);
      }
    }
  }

  private Object value() {
    skipBlanks();
    if (pos >= text.length()) {
      throw expected("a value");
    }
    char c = text.charAt(pos);
    if (c == '"') {
      return quoted();
    }
    if (c == '-' || c == '+' || c == '.' || Character.isDigit(c)) {
      return number();
    }
    String word = word();
    skipBlanks();
    if (pos < text.length() && (text.charAt(pos) == '[' || text.charAt(pos) == '(')) {
      return node(word);
    }
    return new WktNode.Word(word);
  }

  private String quoted() {
    StringBuilder s = new StringBuilder();
    pos++;
    while (pos < text.length()) {
      char c = text.charAt(pos++);
      if (c == '"') {
        // WKT escapes a quote by doubling it
        if (pos < text.length() && text.charAt(pos) == '"') {
          s.append('"');
          pos++;
          continue;
        }
        return s.toString();
      }
      s.append(c);
    }
    throw expected("a closing '\"'");
  }

  private Double number() {
    int start = pos;
    while (pos < text.length() && "+-.0123456789eE".indexOf(text.charAt(pos)) >= 0) {
      pos++;
    }
    try {
      return Double.valueOf(text.substring(start, pos));
    } catch (NumberFormatException e) {
      pos = start;
      throw expected("a number");
    }
  }

  private String word() {
    skipBlanks();
    int start = pos;
    while (pos < text.length()
        && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
      pos++;
    }
    if (pos == start) {
      throw expected("a keyword");
    }
    return text.substring(start, pos);
  }

  private void skipBlanks() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private IllegalArgumentException expected(String what) {
    String found =
        pos >= text.length()
            ? "the end of the text"
            : "'" + text.substring(pos, Math.min(text.length(), pos + 20)) + "'";
    return new IllegalArgumentException(
        "expected " + what + " but found " + found + " at position " + pos);
  }
}
