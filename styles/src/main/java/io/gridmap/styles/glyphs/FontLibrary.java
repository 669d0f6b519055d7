package io.gridmap.styles.glyphs;

import java.awt.Font;
import java.awt.FontFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The fonts glyphs are drawn from, found by fontstack name.
 *
 * <p>Fonts come from font files (TrueType, OpenType, and collections such as Debian's {@code
 * NotoSansCJK-Regular.ttc}, which holds the JP, KR, SC, TC and HK faces). Each face is known by its
 * full name ("Noto Sans CJK SC Bold"), by its full name with "Regular" for plain faces that omit it
 * ("Noto Sans CJK SC Regular"), and by its PostScript name ("NotoSansCJKsc-Regular"), case and
 * spacing ignored.
 *
 * <p>A fontstack ("A, B") picks its first available name. When none is available the library
 * answers with Java's logical {@code SansSerif} font (bold when the first name says "Bold"), so a
 * server without Noto still draws digits and Latin, and no glyph request ever fails for want of a
 * font.
 */
public final class FontLibrary {

  /** Debian's fonts-noto-cjk, then the paths other distributions use for the same files. */
  public static final List<Path> DEFAULT_FONT_FILES =
      List.of(
          Path.of("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
          Path.of("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
          Path.of("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc"),
          Path.of("/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc"),
          Path.of("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc"),
          Path.of("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Bold.ttc"));

  /** Longest fontstack accepted; MapLibre's are a few names. */
  public static final int MAX_FONTSTACK_LENGTH = 256;

  private static final String FALLBACK = "SansSerif";

  /**
   * A face chosen for a fontstack.
   *
   * @param name the face's canonical name, e.g. "Noto Sans CJK SC Regular", however it was asked
   *     for
   * @param fallback true when no name of the stack was available and the fallback font stands in
   */
  public record ResolvedFont(String name, Font font, boolean fallback) {}

  private final Map<String, ResolvedFont> byKey;
  private final List<Path> files;

  private FontLibrary(Map<String, ResolvedFont> byKey, List<Path> files) {
    this.byKey = byKey;
    this.files = files;
  }

  /**
   * The fonts of the given files plus those of {@link #DEFAULT_FONT_FILES} that exist. Given files
   * come first, so they win a name both define.
   *
   * @throws IllegalArgumentException when a given file is missing or is not a font, naming it
   */
  public static FontLibrary load(List<Path> fontFiles) {
    List<Path> all = new ArrayList<>();
    for (Path p : fontFiles) {
      if (!Files.isRegularFile(p)) {
        throw new IllegalArgumentException(
            "font file " + p + " does not exist; expected a .ttf, .otf or .ttc file");
      }
      all.add(p);
    }
    for (Path p : DEFAULT_FONT_FILES) {
      if (Files.isRegularFile(p) && !all.contains(p)) {
        all.add(p);
      }
    }
    Map<String, ResolvedFont> byKey = new LinkedHashMap<>();
    for (Path p : all) {
      Font[] faces;
      try {
        faces = Font.createFonts(p.toFile());
      } catch (FontFormatException e) {
        throw new IllegalArgumentException(
            "font file " + p + " is not a font Java can read: " + e.getMessage(), e);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read font file " + p, e);
      }
      for (Font f : faces) {
        List<String> names = namesOf(f);
        ResolvedFont face = new ResolvedFont(names.get(0), f, false);
        for (String name : names) {
          byKey.putIfAbsent(key(name), face);
        }
      }
    }
    return new FontLibrary(byKey, List.copyOf(all));
  }

  /** Only the default font files that exist on this machine (maybe none: then all is fallback). */
  public static FontLibrary defaults() {
    return load(List.of());
  }

  /** Names a fontstack can use to reach a face of the loaded files. */
  public Set<String> names() {
    List<String> names = new ArrayList<>();
    for (ResolvedFont r : byKey.values()) {
      names.add(r.name());
    }
    return Collections.unmodifiableSet(new LinkedHashSet<>(names));
  }

  /** The font files loaded, in the order they were read. */
  public List<Path> files() {
    return files;
  }

  public boolean has(String fontName) {
    return byKey.containsKey(key(fontName));
  }

  /**
   * The face for a fontstack: its first available name, else the fallback font.
   *
   * @throws InvalidGlyphRequestException when the fontstack is blank or absurdly long
   */
  public ResolvedFont resolve(String fontstack) {
    if (fontstack == null || fontstack.isBlank() || fontstack.length() > MAX_FONTSTACK_LENGTH) {
      throw new InvalidGlyphRequestException(
          "fontstack",
          fontstack == null ? "null" : abbreviate(fontstack),
          fontstack == null || fontstack.isBlank()
              ? "it is empty"
              : "it is longer than " + MAX_FONTSTACK_LENGTH + " characters",
          "one or more comma-separated font names, e.g. 'Noto Sans CJK SC Regular'");
    }
    String[] names = fontstack.split(",");
    for (String name : names) {
      ResolvedFont r = byKey.get(key(name));
      if (r != null) {
        return r;
      }
    }
    boolean bold = names[0].toLowerCase(Locale.ROOT).contains("bold");
    return bold
        ? new ResolvedFont(FALLBACK + " Bold", new Font(Font.SANS_SERIF, Font.BOLD, 24), true)
        : new ResolvedFont(FALLBACK + " Regular", new Font(Font.SANS_SERIF, Font.PLAIN, 24), true);
  }

  /** A face's names, its canonical name first ("Noto Sans CJK SC Regular"). */
  private static List<String> namesOf(Font f) {
    List<String> names = new ArrayList<>();
    String full = f.getFontName(Locale.ROOT);
    String lower = full.toLowerCase(Locale.ROOT);
    boolean styleNamed = false;
    for (String style : STYLE_WORDS) {
      styleNamed |= lower.contains(style);
    }
    if (!styleNamed) {
      names.add(full + " Regular");
    }
    names.add(full);
    names.add(f.getPSName());
    return names;
  }

  private static final List<String> STYLE_WORDS =
      List.of(
          "regular", "bold", "italic", "oblique", "light", "thin", "medium", "black", "heavy",
          "demi");

  /** Case-insensitive, spacing-insensitive name key. */
  static String key(String name) {
    return name.trim().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
  }

  private static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 61) + "...";
  }
}
