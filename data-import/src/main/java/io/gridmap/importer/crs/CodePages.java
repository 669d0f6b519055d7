package io.gridmap.importer.crs;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Encoding names as {@code .cpg} files and {@code --encoding} write them: Java charset names
 * ("UTF-8", "GBK", "GB18030"), Windows code page numbers ("936", "CP936", "ANSI 936", "65001"), and
 * ESRI's ISO 8859 numbers ("88591").
 */
public final class CodePages {
  private CodePages() {}

  /** A code page number, with the prefixes tools put before it. */
  private static final Pattern NUMBERED =
      Pattern.compile("(?:ANSI|CP|OEM|WINDOWS|MS|IBM)?[\\s_-]*([0-9]{3,5})");

  /**
   * The charset a name stands for; empty if it names none.
   *
   * <p>GB2312 and code page 936 both read as GBK: GBK is their superset, and files labelled GB2312
   * routinely hold GBK-only characters (镕, 喆 in personal names), which strict GB2312 would reject.
   */
  public static Optional<Charset> forName(String name) {
    String s = name.replace("\uFEFF", "").strip().toUpperCase(Locale.ROOT);
    if (s.isEmpty()) {
      return Optional.empty();
    }
    Matcher m = NUMBERED.matcher(s);
    if (m.matches()) {
      return forCodePage(Integer.parseInt(m.group(1)));
    }
    return switch (s) {
      case "UTF-8", "UTF8" -> Optional.of(StandardCharsets.UTF_8);
      case "GB2312", "GBK", "EUC-CN" -> charset("GBK");
      default -> {
        try {
          yield Optional.of(Charset.forName(s));
        } catch (IllegalArgumentException e) {
          yield Optional.empty();
        }
      }
    };
  }

  /** A Windows or ISO code page by number. */
  static Optional<Charset> forCodePage(int page) {
    if (page >= 1250 && page <= 1258) {
      return charset("windows-" + page);
    }
    if (page >= 28591 && page <= 28599) {
      return charset("ISO-8859-" + (page - 28590));
    }
    if (page >= 88591 && page <= 88599) {
      return charset("ISO-8859-" + (page - 88590));
    }
    return switch (page) {
      case 65001 -> Optional.of(StandardCharsets.UTF_8);
      case 936, 20936 -> charset("GBK");
      case 54936 -> charset("GB18030");
      case 950 -> charset("x-windows-950");
      case 932 -> charset("windows-31j");
      case 949 -> charset("x-windows-949");
      case 874 -> charset("x-windows-874");
      case 437, 737, 775, 850, 852, 855, 857, 860, 861, 862, 863, 864, 865, 866, 869 ->
          charset("IBM" + page);
      default -> Optional.empty();
    };
  }

  private static Optional<Charset> charset(String name) {
    try {
      return Optional.of(Charset.forName(name));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
