package io.gridmap.layers.query.cql2;

/**
 * A CQL2 filter that cannot be used: malformed, too large, naming a property or function that is
 * not allowed, or mixing types. Unchecked, so that an HTTP handler can map every one of them to a
 * 400 problem+json whose {@code detail} is {@link #getMessage()}.
 *
 * <p>Messages say where ("at column 14", or a JSON pointer like "at /args/1"), what was found and
 * what was expected, in the manner of JTS's {@code WKTReader}. Offending text is quoted and cut to
 * {@value #MAX_ECHO} characters so that a hostile filter cannot blow up logs or responses.
 */
public final class Cql2Exception extends RuntimeException {
  private static final long serialVersionUID = 1L;
  static final int MAX_ECHO = 40;

  /** What went wrong, so callers can count or map errors without parsing messages. */
  public enum Kind {
    /** Malformed cql2-text or cql2-json. */
    SYNTAX,
    /** A configured limit ({@link Cql2Limits}) was exceeded. */
    LIMIT,
    /** A property that is not among the queryables. */
    UNKNOWN_PROPERTY,
    /** A function or operator that is not on the allow-list. */
    UNKNOWN_FUNCTION,
    /** Operands of the wrong type for their operator. */
    TYPE
  }

  private final Kind kind;
  private final int offset;
  private final String pointer;

  private Cql2Exception(Kind kind, String message, int offset, String pointer) {
    super(message);
    this.kind = kind;
    this.offset = offset;
    this.pointer = pointer;
  }

  /** An error at a character offset (0-based) of a cql2-text filter. */
  static Cql2Exception atOffset(Kind kind, String text, int offset, String message) {
    return new Cql2Exception(
        kind, "at " + describePosition(text, offset) + ": " + message, offset, null);
  }

  /** An error at a JSON pointer (e.g. {@code /args/1}) of a cql2-json filter. */
  static Cql2Exception atPointer(Kind kind, String pointer, String message) {
    String where = pointer.isEmpty() ? "/" : pointer;
    return new Cql2Exception(kind, "at " + where + ": " + message, -1, where);
  }

  /** An error with no position: binding and type errors name the property or operator instead. */
  static Cql2Exception of(Kind kind, String message) {
    return new Cql2Exception(kind, message, -1, null);
  }

  public Kind kind() {
    return kind;
  }

  /** 0-based character offset in a cql2-text filter, or -1. */
  public int offset() {
    return offset;
  }

  /** JSON pointer into a cql2-json filter, or null. */
  public String pointer() {
    return pointer;
  }

  /** "column 14" on one line; "line 2, column 5" in multi-line text. Columns are 1-based. */
  static String describePosition(String text, int offset) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < offset && i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    int column = offset - lineStart + 1;
    return line == 1 ? "column " + column : "line " + line + ", column " + column;
  }

  /** Quotes user text for a message, cut to a safe length, control characters escaped. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder("'");
    int n = Math.min(s.length(), MAX_ECHO);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    if (s.length() > MAX_ECHO) {
      sb.append("...");
    }
    return sb.append('\'').toString();
  }
}
