package io.gridmap.styles.glyphs;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One glyph PBF's range of code points, as MapLibre requests them: 256 code points of the Basic
 * Multilingual Plane starting at a multiple of 256, e.g. {@code 0-255} (digits and Latin) or {@code
 * 19968-20223} (the first CJK ideographs).
 */
public record GlyphRange(int start, int end) {
  public static final int SIZE = 256;
  public static final int MAX_CODE_POINT = 0xFFFF;

  static final String ACCEPTED =
      "{start}-{end} with start a multiple of 256 from 0 to 65280 and end = start + 255, e.g. 0-255 or 19968-20223";

  private static final Pattern FORM = Pattern.compile("(\\d{1,6})-(\\d{1,6})");

  public GlyphRange {
    String value = start + "-" + end;
    if (start < 0 || start > MAX_CODE_POINT) {
      throw invalid(value, "start " + start + " is outside 0..65535");
    }
    if (start % SIZE != 0) {
      throw invalid(value, "start " + start + " is not a multiple of 256");
    }
    if (end != start + SIZE - 1) {
      throw invalid(value, "end " + end + " is not start + 255 = " + (start + SIZE - 1));
    }
  }

  /** A range from its two numbers; throws {@link InvalidGlyphRequestException} when malformed. */
  public static GlyphRange of(int start, int end) {
    return new GlyphRange(start, end);
  }

  /** The range containing a code point of the BMP. */
  public static GlyphRange containing(int codePoint) {
    if (codePoint < 0 || codePoint > MAX_CODE_POINT) {
      throw invalid(String.valueOf(codePoint), "code point " + codePoint + " is outside 0..65535");
    }
    int start = codePoint & ~(SIZE - 1);
    return new GlyphRange(start, start + SIZE - 1);
  }

  /**
   * Parses the {@code {range}} of a glyph URL, {@code 0-255}; also accepts {@code 0-255.pbf} so a
   * router can pass the last path segment as it is.
   */
  public static GlyphRange parse(String text) {
    if (text == null) {
      throw invalid("null", "the range is missing");
    }
    String s = text.endsWith(".pbf") ? text.substring(0, text.length() - 4) : text;
    Matcher m = FORM.matcher(s);
    if (!m.matches()) {
      throw invalid(text, "it is not two numbers joined by '-'");
    }
    return new GlyphRange(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
  }

  public boolean contains(int codePoint) {
    return codePoint >= start && codePoint <= end;
  }

  /** {@code start-end}, as written in URLs and in the PBF's {@code range} field. */
  @Override
  public String toString() {
    return start + "-" + end;
  }

  private static InvalidGlyphRequestException invalid(String value, String problem) {
    return new InvalidGlyphRequestException("range", value, problem, ACCEPTED);
  }
}
