package io.gridmap.importer.load;

import io.gridmap.layers.model.FieldType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The type of each column, judged from every value the file holds, as values arrive: a column of
 * whole numbers is INTEGER, of numbers REAL, of true/false BOOLEAN, anything else STRING. A CSV's
 * values are all text and are judged by what they spell; a number with a leading zero ({@code
 * 0101}) or more than 15 digits is a code, kept as text, because a number would lose the zero or
 * the digits beyond a JavaScript double.
 */
final class FieldTypes {
  private static final int STRING = 1;
  private static final int LONG = 2;
  private static final int DOUBLE = 4;
  private static final int BOOL = 8;
  private static final int TEXT_NOT_LONG = 16;
  private static final int TEXT_NOT_DOUBLE = 32;
  private static final int TEXT_NOT_BOOL = 64;

  private final List<Integer> seen = new ArrayList<>();

  /** Notes the values of one feature, by slot. */
  void observe(Object[] values) {
    while (seen.size() < values.length) {
      seen.add(0);
    }
    for (int i = 0; i < values.length; i++) {
      Object v = values[i];
      if (v != null) {
        seen.set(i, seen.get(i) | flags(v));
      }
    }
  }

  private static int flags(Object v) {
    if (v instanceof Long || v instanceof Integer) {
      return LONG;
    }
    if (v instanceof Double || v instanceof Float) {
      return DOUBLE;
    }
    if (v instanceof Boolean) {
      return BOOL;
    }
    String s = v.toString().trim();
    if (s.isEmpty()) {
      return 0; // a blank cell says nothing of the column's type; it becomes null in a number
      // column
    }
    int f = STRING;
    if (!wholeNumber(s)) {
      f |= TEXT_NOT_LONG;
    }
    if (!number(s)) {
      f |= TEXT_NOT_DOUBLE;
    }
    if (bool(s) == null) {
      f |= TEXT_NOT_BOOL;
    }
    return f;
  }

  /** The type of the column in {@code slot}. */
  FieldType type(int slot) {
    int f = slot < seen.size() ? seen.get(slot) : 0;
    if (f == 0) {
      return FieldType.STRING; // never a value: text is the type that takes anything later
    }
    boolean text = (f & STRING) != 0;
    boolean bools = (f & BOOL) != 0;
    boolean numbers = (f & (LONG | DOUBLE)) != 0;
    if (bools && numbers) {
      return FieldType.STRING;
    }
    if (bools) {
      return text && (f & TEXT_NOT_BOOL) != 0 ? FieldType.STRING : FieldType.BOOLEAN;
    }
    if (text && (f & TEXT_NOT_BOOL) == 0 && !numbers) {
      return FieldType.BOOLEAN;
    }
    if (text && (f & TEXT_NOT_DOUBLE) != 0) {
      return FieldType.STRING;
    }
    boolean whole = (f & DOUBLE) == 0 && (!text || (f & TEXT_NOT_LONG) == 0);
    if (!text && !numbers) {
      return FieldType.STRING;
    }
    return whole ? FieldType.INTEGER : FieldType.REAL;
  }

  /** {@code v} as a value of {@code type}; {@link #type} guarantees it converts. */
  static Object convert(Object v, FieldType type) {
    if (v == null || (type != FieldType.STRING && v instanceof String s && s.isBlank())) {
      return null;
    }
    return switch (type) {
      case STRING -> v instanceof String s ? s : text(v);
      case INTEGER -> v instanceof Number n ? n.longValue() : Long.parseLong(v.toString().trim());
      case REAL ->
          v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString().trim());
      case BOOLEAN -> v instanceof Boolean b ? b : bool(v.toString().trim());
      case TIMESTAMP -> v instanceof Number n ? n.longValue() : Long.parseLong(v.toString());
    };
  }

  private static String text(Object v) {
    if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString(d.longValue());
    }
    return v.toString();
  }

  private static boolean wholeNumber(String s) {
    int start = s.startsWith("-") ? 1 : 0;
    int digits = s.length() - start;
    if (digits < 1 || digits > 15 || (digits > 1 && s.charAt(start) == '0')) {
      return false;
    }
    for (int i = start; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static final java.util.regex.Pattern DIGITS = java.util.regex.Pattern.compile("-?[0-9]+");

  /** A decimal as people and CSV exports write them: not NaN, Infinity, "+5", ".5" or hex. */
  private static final java.util.regex.Pattern DECIMAL =
      java.util.regex.Pattern.compile("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?");

  private static boolean number(String s) {
    if (s.isEmpty() || s.length() > 32) {
      return false;
    }
    if (DIGITS.matcher(s).matches()) {
      return wholeNumber(s); // a leading zero or 16+ digits: a code, text
    }
    return DECIMAL.matcher(s).matches();
  }

  private static Boolean bool(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      default -> null;
    };
  }
}
