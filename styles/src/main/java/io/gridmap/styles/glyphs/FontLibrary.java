package io.gridmap.styles.glyphs;

import java.awt.Font;
import java.awt.FontFormatException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
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
 * <p>Fonts come from three places, in this order (the first to define a name wins it): font files
 * the server is given; the fonts shipped in this jar ({@link #SHIPPED_FONTS}: Noto Sans SC Regular
 * and Bold, which the build fetches from npm, so the styles' fontstacks never depend on the
 * machine); and, when present, the system files of {@link #DEFAULT_FONT_FILES} (Debian's {@code
 * fonts-noto-cjk} collections, which add the JP, KR, SC, TC and HK faces of Noto Sans CJK). Files
 * may be TrueType, OpenType or collections. Each face is known by its full name ("Noto Sans SC
 * Bold"), by its full name with "Regular" for plain faces that omit it ("Noto Sans CJK SC" is also
 * "Noto Sans CJK SC Regular"), and by its PostScript name ("NotoSansSC-Bold"), case and spacing
 * ignored.
 *
 * <p>A fontstack ("A, B") picks its first available name; then, for a name that is not loaded, a
 * face of the same design under its other name (Noto Sans SC and Noto Sans CJK SC, see {@code
 * SAME_DESIGN}). When none is available the library answers with Java's logical {@code SansSerif}
 * font (bold when the first name says "Bold"), so a server without Noto still draws digits and
 * Latin, and no glyph request ever fails for want of a font.
 */
public final class FontLibrary {

  /**
   * The fonts this jar ships, as classpath resources: the faces the styles name ({@link
   * io.gridmap.styles.Fonts}). styles/pom.xml copies them from npm ({@code
   * styles/fonts-npm/package-lock.json}, {@code @expo-google-fonts/noto-sans-sc}, SIL Open Font
   * License 1.1, licence text beside them in {@code LICENSE_FONT}); a jar built without them has
   * none, and {@link GlyphService#cjkProblem()} says so.
   */
  public static final List<String> SHIPPED_FONTS =
      List.of(
          "io/gridmap/styles/fonts/NotoSansSC_400Regular.ttf",
          "io/gridmap/styles/fonts/NotoSansSC_700Bold.ttf");

  /**
   * Debian's fonts-noto-cjk, then the paths other distributions use for the same files: loaded when
   * present, for their extra faces (Japanese, Korean, Traditional Chinese); the styles do not need
   * them.
   */
  public static final List<Path> DEFAULT_FONT_FILES =
      List.of(
          Path.of("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
          Path.of("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
          Path.of("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc"),
          Path.of("/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc"),
          Path.of("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc"),
          Path.of("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Bold.ttc"));

  /**
   * One design under two names, both ways: Noto Sans SC is the Simplified Chinese subset of Noto
   * Sans CJK SC (both Adobe's Source Han Sans), with the same glyphs for every character it has. A
   * stack naming one is drawn from the other when only the other is loaded, so styles and URLs that
   * still say "Noto Sans CJK SC Regular" get the shipped face, and Debian's files stand in for a
   * jar built without its fonts.
   */
  static final Map<String, String> SAME_DESIGN =
      Map.of(
          "noto sans sc regular", "noto sans cjk sc regular",
          "noto sans cjk sc regular", "noto sans sc regular",
          "noto sans sc bold", "noto sans cjk sc bold",
          "noto sans cjk sc bold", "noto sans sc bold");

  /** Longest fontstack accepted; MapLibre's are a few names. */
  public static final int MAX_FONTSTACK_LENGTH = 256;

  private static final String FALLBACK = "SansSerif";

  /**
   * A face chosen for a fontstack.
   *
   * @param name the face's canonical name, e.g. "Noto Sans SC Regular", however it was asked for
   * @param fallback true when no name of the stack was available and the fallback font stands in
   */
  public record ResolvedFont(String name, Font font, boolean fallback) {}

  private final Map<String, ResolvedFont> byKey;
  private final List<Path> files;
  private final List<String> resources;

  private FontLibrary(Map<String, ResolvedFont> byKey, List<Path> files, List<String> resources) {
    this.byKey = byKey;
    this.files = files;
    this.resources = resources;
  }

  /**
   * The fonts of the given files, then the {@link #SHIPPED_FONTS} this jar has, then those of
   * {@link #DEFAULT_FONT_FILES} that exist. Given files come first, so they win a name both define.
   *
   * <p>Takes 0.2-0.4 s and ~21 MB of temporary files: java.awt copies a font read from the
   * classpath to a file it deletes when the JVM exits.
   *
   * @throws IllegalArgumentException when a given file is missing or is not a font, naming it
   */
  public static FontLibrary load(List<Path> fontFiles) {
    return load(fontFiles, SHIPPED_FONTS, DEFAULT_FONT_FILES);
  }

  /** The shipped fonts and the default files that exist: what the server draws from. */
  public static FontLibrary defaults() {
    return load(List.of());
  }

  /**
   * The fonts of the given files, then of the classpath resources that exist, then of the optional
   * files that exist: what {@link #load(List)} does with the lists chosen, for tests that must not
   * see the machine's fonts.
   */
  static FontLibrary load(List<Path> fontFiles, List<String> resources, List<Path> optionalFiles) {
    Map<String, ResolvedFont> byKey = new LinkedHashMap<>();
    List<Path> files = new ArrayList<>();
    for (Path p : fontFiles) {
      if (!Files.isRegularFile(p)) {
        throw new IllegalArgumentException(
            "font file " + p + " does not exist; expected a .ttf, .otf or .ttc file");
      }
      addFile(p, files, byKey);
    }
    List<String> loaded = new ArrayList<>();
    ClassLoader loader = FontLibrary.class.getClassLoader();
    for (String resource : resources) {
      try (InputStream in = loader.getResourceAsStream(resource)) {
        if (in == null) {
          continue; // a jar built without its fonts: GlyphService.cjkProblem() reports it
        }
        add(Font.createFonts(new BufferedInputStream(in)), byKey);
        loaded.add(resource);
      } catch (FontFormatException e) {
        throw new IllegalStateException(
            "shipped font " + resource + " is not a font Java can read: " + e.getMessage(), e);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read shipped font " + resource, e);
      }
    }
    for (Path p : optionalFiles) {
      if (Files.isRegularFile(p) && !files.contains(p)) {
        addFile(p, files, byKey);
      }
    }
    return new FontLibrary(byKey, List.copyOf(files), List.copyOf(loaded));
  }

  private static void addFile(Path p, List<Path> files, Map<String, ResolvedFont> byKey) {
    try {
      add(Font.createFonts(p.toFile()), byKey);
    } catch (FontFormatException e) {
      throw new IllegalArgumentException(
          "font file " + p + " is not a font Java can read: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read font file " + p, e);
    }
    files.add(p);
  }

  private static void add(Font[] faces, Map<String, ResolvedFont> byKey) {
    for (Font f : faces) {
      List<String> names = namesOf(f);
      ResolvedFont face = new ResolvedFont(names.get(0), f, false);
      for (String name : names) {
        byKey.putIfAbsent(key(name), face);
      }
    }
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

  /** The {@link #SHIPPED_FONTS} found on the classpath and loaded; empty in a jar built without. */
  public List<String> resources() {
    return resources;
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
          "one or more comma-separated font names, e.g. 'Noto Sans SC Regular'");
    }
    String[] names = fontstack.split(",");
    for (String name : names) {
      ResolvedFont r = byKey.get(key(name));
      if (r != null) {
        return r;
      }
    }
    for (String name : names) {
      String same = SAME_DESIGN.get(key(name));
      if (same != null && byKey.containsKey(same)) {
        return byKey.get(same);
      }
    }
    boolean bold = names[0].toLowerCase(Locale.ROOT).contains("bold");
    return bold
        ? new ResolvedFont(FALLBACK + " Bold", new Font(Font.SANS_SERIF, Font.BOLD, 24), true)
        : new ResolvedFont(FALLBACK + " Regular", new Font(Font.SANS_SERIF, Font.PLAIN, 24), true);
  }

  /** A face's names, its canonical name first ("Noto Sans SC Regular"). */
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
