package io.gridmap.layers.query.cql2;

/**
 * Splits cql2-text into tokens. Character literals use {@code ''} for a quote (the only escape CQL2
 * defines that round-trips); double-quoted identifiers may hold any printable character, so that a
 * name like {@code "name; DROP TABLE grids"} reaches the binder and is refused there by name, with
 * the list of valid names, rather than failing with a less useful syntax error.
 */
final class Cql2Lexer {

  enum Type {
    /** A bare word: keyword, function name or property name. */
    WORD,
    /** A double-quoted property name; {@link Token#value} is the name without quotes. */
    QUOTED_NAME,
    /** A character literal; {@link Token#value} is the decoded string. */
    STRING,
    NUMBER,
    LPAREN,
    RPAREN,
    COMMA,
    /** One of {@code = <> < <= > >=}. */
    OPERATOR,
    EOF
  }

  /**
   * @param text the source text of the token as written (for messages)
   * @param value decoded value: the string for STRING and QUOTED_NAME, the word for WORD
   * @param number the value of a NUMBER (Long or Double)
   * @param offset 0-based offset of the first character
   */
  record Token(Type type, String text, String value, Number number, int offset) {
    boolean isWord(String keyword) {
      return type == Type.WORD && value.equalsIgnoreCase(keyword);
    }

    /** How the token reads in "but found ...". */
    String describe() {
      return type == Type.EOF ? "end of input" : Cql2Exception.quote(text);
    }
  }

  private final String src;
  private int pos;

  Cql2Lexer(String src) {
    this.src = src;
  }

  /**
   * The next token; EOF for ever after the end. The parser pulls tokens as it goes, so that a
   * filter's first error is the one reported, whether the lexer or the parser finds it.
   */
  Token next() {
    skipWhitespace();
    if (pos >= src.length()) {
      return new Token(Type.EOF, "", "", null, pos);
    }
    int start = pos;
    char c = src.charAt(pos);
    switch (c) {
      case '(':
        pos++;
        return simple(Type.LPAREN, start);
      case ')':
        pos++;
        return simple(Type.RPAREN, start);
      case ',':
        pos++;
        return simple(Type.COMMA, start);
      case '=':
        pos++;
        return simple(Type.OPERATOR, start);
      case '<':
        pos++;
        if (pos < src.length() && (src.charAt(pos) == '=' || src.charAt(pos) == '>')) {
          pos++;
        }
        return simple(Type.OPERATOR, start);
      case '>':
        pos++;
        if (pos < src.length() && src.charAt(pos) == '=') {
          pos++;
        }
        return simple(Type.OPERATOR, start);
      case '\'':
        return string(start);
      case '"':
        return quotedName(start);
      default:
        break;
    }
    if (isDigit(c)
        || (c == '.' && startsNumber(pos))
        || ((c == '-' || c == '+') && startsNumber(pos + 1))) {
      return number(start);
    }
    if (isIdentifierStart(c)) {
      pos += Character.charCount(src.codePointAt(pos));
      while (pos < src.length() && isIdentifierPart(src.codePointAt(pos))) {
        pos += Character.charCount(src.codePointAt(pos));
      }
      String word = src.substring(start, pos);
      return new Token(Type.WORD, word, word, null, start);
    }
    int end = start + Character.charCount(src.codePointAt(start));
    throw Cql2Exception.atOffset(
        Cql2Exception.Kind.SYNTAX,
        src,
        start,
        "unexpected character "
            + Cql2Exception.quote(src.substring(start, end))
            + "; expected a property, a literal, an operator, a parenthesis or a comma");
  }

  private Token simple(Type type, int start) {
    String s = src.substring(start, pos);
    return new Token(type, s, s, null, start);
  }

  private void skipWhitespace() {
    while (pos < src.length()) {
      char c = src.charAt(pos);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        pos++;
      } else {
        return;
      }
    }
  }

  private Token string(int start) {
    StringBuilder sb = new StringBuilder();
    pos++; // opening quote
    while (true) {
      if (pos >= src.length()) {
        throw Cql2Exception.atOffset(
            Cql2Exception.Kind.SYNTAX,
            src,
            start,
            "unterminated string; expected a closing ' (write '' for a quote inside a string)");
      }
      char c = src.charAt(pos);
      if (c == '\'') {
        if (pos + 1 < src.length() && src.charAt(pos + 1) == '\'') {
          sb.append('\'');
          pos += 2;
          continue;
        }
        pos++;
        return new Token(Type.STRING, src.substring(start, pos), sb.toString(), null, start);
      }
      sb.append(c);
      pos++;
    }
  }

  private Token quotedName(int start) {
    pos++;
    int from = pos;
    while (pos < src.length() && src.charAt(pos) != '"') {
      char c = src.charAt(pos);
      if (c < 0x20 || c == 0x7f) {
        throw Cql2Exception.atOffset(
            Cql2Exception.Kind.SYNTAX, src, pos, "control character in a quoted property name");
      }
      pos++;
    }
    if (pos >= src.length()) {
      throw Cql2Exception.atOffset(
          Cql2Exception.Kind.SYNTAX,
          src,
          start,
          "unterminated property name; expected a closing \"");
    }
    String name = src.substring(from, pos);
    pos++;
    if (name.isEmpty()) {
      throw Cql2Exception.atOffset(
          Cql2Exception.Kind.SYNTAX, src, start, "empty property name \"\"");
    }
    return new Token(Type.QUOTED_NAME, src.substring(start, pos), name, null, start);
  }

  private boolean startsNumber(int i) {
    return i < src.length()
        && (isDigit(src.charAt(i))
            || (src.charAt(i) == '.' && i + 1 < src.length() && isDigit(src.charAt(i + 1))));
  }

  /** [sign] digits [. digits] [E [sign] digits], or [sign] . digits [E ...]. */
  private Token number(int start) {
    boolean integral = true;
    if (src.charAt(pos) == '-' || src.charAt(pos) == '+') {
      pos++;
    }
    int digits = skipDigits();
    if (pos < src.length() && src.charAt(pos) == '.') {
      integral = false;
      pos++;
      digits += skipDigits();
    }
    if (digits == 0) {
      throw Cql2Exception.atOffset(
          Cql2Exception.Kind.SYNTAX,
          src,
          start,
          "malformed number "
              + Cql2Exception.quote(src.substring(start, pos))
              + "; expected digits");
    }
    if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
      integral = false;
      pos++;
      if (pos < src.length() && (src.charAt(pos) == '-' || src.charAt(pos) == '+')) {
        pos++;
      }
      if (skipDigits() == 0) {
        throw Cql2Exception.atOffset(
            Cql2Exception.Kind.SYNTAX,
            src,
            start,
            "malformed number "
                + Cql2Exception.quote(src.substring(start, pos))
                + "; expected digits after the exponent");
      }
    }
    if (pos < src.length() && isIdentifierPart(src.codePointAt(pos)) && src.charAt(pos) != '.') {
      throw Cql2Exception.atOffset(
          Cql2Exception.Kind.SYNTAX,
          src,
          start,
          "malformed number "
              + Cql2Exception.quote(src.substring(start, pos + 1))
              + "; expected a space, operator or punctuation after a number");
    }
    String text = src.substring(start, pos);
    Number value = null;
    if (integral) {
      try {
        value = Long.parseLong(text.startsWith("+") ? text.substring(1) : text);
      } catch (NumberFormatException tooBig) {
        value = null;
      }
    }
    if (value == null) {
      double d = Double.parseDouble(text);
      if (!Double.isFinite(d)) {
        throw Cql2Exception.atOffset(
            Cql2Exception.Kind.SYNTAX,
            src,
            start,
            "number " + Cql2Exception.quote(text) + " is out of range");
      }
      value = d;
    }
    return new Token(Type.NUMBER, text, text, value, start);
  }

  private int skipDigits() {
    int n = 0;
    while (pos < src.length() && isDigit(src.charAt(pos))) {
      pos++;
      n++;
    }
    return n;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** CQL2's identifierStart: letters (any script), underscore and colon. */
  static boolean isIdentifierStart(int cp) {
    return cp == '_' || cp == ':' || Character.isLetter(cp);
  }

  /** CQL2's identifierPart: a start character, a digit, a period or a combining mark. */
  static boolean isIdentifierPart(int cp) {
    return isIdentifierStart(cp)
        || cp == '.'
        || (cp >= '0' && cp <= '9')
        || (cp >= 0x0300 && cp <= 0x036F)
        || cp == 0x203F
        || cp == 0x2040
        || Character.getType(cp) == Character.NON_SPACING_MARK
        || Character.getType(cp) == Character.COMBINING_SPACING_MARK;
  }
}
