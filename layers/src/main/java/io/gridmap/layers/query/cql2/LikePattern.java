package io.gridmap.layers.query.cql2;

import java.util.ArrayList;
import java.util.List;

/**
 * A CQL2 LIKE pattern, parsed once: {@code %} matches any run of characters (also none), {@code _}
 * exactly one character (code point), and a backslash makes the next character literal.
 *
 * <p>Matching never uses regular expressions: a pattern such as {@code %a%a%a%a%b} against a long
 * string would make a backtracking regex engine take polynomial time per feature. Patterns with
 * only {@code %} are matched by a left-to-right scan of literal pieces (linear); patterns with
 * {@code _} by the classic two-pointer wildcard matcher, at worst O(pattern x value).
 */
final class LikePattern {
  private static final int LITERAL = 0;
  private static final int ANY = 1;
  private static final int ONE = 2;

  /** The escape character of the SQL this pattern is translated to: a constant, never user text. */
  static final char SQL_ESCAPE = '!';

  private final boolean caseInsensitive;
  private final int[] kinds;
  private final int[] codePoints;
  private final boolean hasOne;

  /** For %-only patterns: the literal pieces between the %s (first and last may be empty). */
  private final String[] pieces;

  private LikePattern(boolean caseInsensitive, int[] kinds, int[] codePoints) {
    this.caseInsensitive = caseInsensitive;
    this.kinds = kinds;
    this.codePoints = codePoints;
    boolean one = false;
    List<String> ps = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (int i = 0; i < kinds.length; i++) {
      if (kinds[i] == ONE) {
        one = true;
      } else if (kinds[i] == ANY) {
        ps.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.appendCodePoint(codePoints[i]);
      }
    }
    ps.add(cur.toString());
    this.hasOne = one;
    this.pieces = ps.toArray(new String[0]);
  }

  /** Parses a LIKE pattern operand: a string literal or CASEI of one. */
  static LikePattern parse(Operand pattern) {
    boolean ci = pattern instanceof Operand.CaseI;
    Operand p = ci ? ((Operand.CaseI) pattern).value() : pattern;
    if (!(p instanceof Operand.StringLiteral)) {
      throw Cql2Exception.of(
          Cql2Exception.Kind.TYPE,
          "a LIKE pattern must be a string literal, not " + Cql2Binder.describe(p));
    }
    String s = ((Operand.StringLiteral) p).value();
    int[] cps = s.codePoints().toArray();
    int[] kinds = new int[cps.length];
    int[] values = new int[cps.length];
    int n = 0;
    for (int i = 0; i < cps.length; i++) {
      int c = cps[i];
      if (c == '\\') {
        if (i + 1 == cps.length) {
          throw Cql2Exception.of(
              Cql2Exception.Kind.SYNTAX,
              "the LIKE pattern "
                  + Cql2Exception.quote(s)
                  + " ends with an escape character; write \\\\ for a literal backslash");
        }
        kinds[n] = LITERAL;
        values[n++] = fold(cps[++i], ci);
      } else if (c == '%') {
        if (n > 0 && kinds[n - 1] == ANY) {
          continue; // %% is %
        }
        kinds[n++] = ANY;
      } else if (c == '_') {
        kinds[n++] = ONE;
      } else {
        kinds[n] = LITERAL;
        values[n++] = fold(c, ci);
      }
    }
    return new LikePattern(
        ci, java.util.Arrays.copyOf(kinds, n), java.util.Arrays.copyOf(values, n));
  }

  boolean caseInsensitive() {
    return caseInsensitive;
  }

  boolean matches(String value) {
    String s = caseInsensitive ? fold(value) : value;
    return hasOne ? matchWildcards(s.codePoints().toArray()) : matchPieces(s);
  }

  private boolean matchPieces(String s) {
    if (pieces.length == 1) {
      return s.equals(pieces[0]);
    }
    String first = pieces[0];
    String last = pieces[pieces.length - 1];
    if (s.length() < first.length() + last.length() || !s.startsWith(first) || !s.endsWith(last)) {
      return false;
    }
    int from = first.length();
    int end = s.length() - last.length();
    for (int i = 1; i < pieces.length - 1; i++) {
      int at = s.indexOf(pieces[i], from);
      if (at < 0 || at + pieces[i].length() > end) {
        return false;
      }
      from = at + pieces[i].length();
    }
    return true;
  }

  private boolean matchWildcards(int[] t) {
    int p = 0;
    int i = 0;
    int star = -1;
    int mark = 0;
    int n = kinds.length;
    while (i < t.length) {
      if (p < n && (kinds[p] == ONE || (kinds[p] == LITERAL && codePoints[p] == t[i]))) {
        p++;
        i++;
      } else if (p < n && kinds[p] == ANY) {
        star = p++;
        mark = i;
      } else if (star >= 0) {
        p = star + 1;
        i = ++mark;
      } else {
        return false;
      }
    }
    while (p < n && kinds[p] == ANY) {
      p++;
    }
    return p == n;
  }

  /** The pattern for SQL {@code LIKE ? ESCAPE '!'}, already case-folded when case-insensitive. */
  String toSqlPattern() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < kinds.length; i++) {
      if (kinds[i] == ANY) {
        sb.append('%');
      } else if (kinds[i] == ONE) {
        sb.append('_');
      } else {
        int c = codePoints[i];
        if (c == '%' || c == '_' || c == SQL_ESCAPE) {
          sb.append(SQL_ESCAPE);
        }
        sb.appendCodePoint(c);
      }
    }
    return sb.toString();
  }

  /** Case folding shared by CASEI everywhere: per code point, locale-independent. */
  static String fold(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    s.codePoints().forEach(c -> sb.appendCodePoint(Character.toLowerCase(c)));
    return sb.toString();
  }

  private static int fold(int c, boolean ci) {
    return ci ? Character.toLowerCase(c) : c;
  }
}
