package io.gridmap.styles.glyphs;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import io.gridmap.styles.Fonts;
import io.gridmap.styles.glyphs.FontLibrary.ResolvedFont;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers {@code /fonts/{fontstack}/{start}-{end}.pbf}: SDF glyphs drawn on demand from the fonts
 * shipped in this jar (and any others the server has, see {@link FontLibrary}) and kept in a
 * bounded in-memory LRU cache.
 *
 * <p>Every well-formed request gets a PBF: a fontstack nobody has is drawn from the fallback font,
 * and a range the font has no glyphs in is a valid PBF with no glyphs. Only malformed parameters
 * fail, with an {@link InvalidGlyphRequestException}.
 *
 * <p>Cost, measured on this project's 2-core machine (styles/README.md has the numbers): tens of
 * milliseconds for the Latin range, a few hundred for a full CJK range, so call it off the event
 * loop. Each (font, range) is drawn once; concurrent requests for the same one wait for that one
 * drawing. A cached CJK range is ~170 KB, so the default 64 MiB holds a few hundred ranges, more
 * than a Chinese map view asks for.
 *
 * <p>{@link #cjkProblem()} says, in one line for the start log and {@code /health}, when the
 * styles' Chinese labels cannot be drawn (a jar built without its fonts).
 */
public final class GlyphService {
  /** Default cache size in bytes of uncompressed PBF. */
  public static final long DEFAULT_CACHE_BYTES = 64L * 1024 * 1024;

  /**
   * What a face must draw to count as Chinese: 中 (U+4E2D, in the first CJK range 19968-20223) and 渝
   * (U+6E1D, Chongqing's short name, in 28160-28415).
   */
  static final String CJK_SAMPLE = "中渝";

  private record Key(String fontName, int start) {}

  private final FontLibrary fonts;
  private final Cache<Key, byte[]> cache;
  private final Map<String, GlyphRasteriser> rasterisers = new ConcurrentHashMap<>();
  private final Optional<String> cjkProblem;

  public GlyphService(FontLibrary fonts, long maxCacheBytes) {
    if (maxCacheBytes < 0) {
      throw new IllegalArgumentException("cache size must be >= 0 bytes, got " + maxCacheBytes);
    }
    this.fonts = fonts;
    this.cache =
        Caffeine.newBuilder()
            .maximumWeight(maxCacheBytes)
            .weigher((Key k, byte[] v) -> v.length + 64)
            .recordStats()
            .build();
    this.cjkProblem = cjkProblem(fonts, Fonts.ALL);
  }

  /** The shipped fonts plus Debian's Noto CJK files when present, 64 MiB cache. */
  public static GlyphService withDefaults() {
    return new GlyphService(FontLibrary.defaults(), DEFAULT_CACHE_BYTES);
  }

  /** Fonts from the given files first, then the shipped fonts and Debian's. */
  public static GlyphService withFontFiles(List<Path> fontFiles, long maxCacheBytes) {
    return new GlyphService(FontLibrary.load(fontFiles), maxCacheBytes);
  }

  public FontLibrary fonts() {
    return fonts;
  }

  /**
   * The uncompressed glyph PBF of a fontstack and range.
   *
   * @param fontstack comma-separated font names, URL-decoded
   * @throws InvalidGlyphRequestException when the range or fontstack is malformed
   */
  public byte[] range(String fontstack, int start, int end) {
    return range(fontstack, GlyphRange.of(start, end));
  }

  /** As {@link #range(String, int, int)}, with the range as in the URL: {@code 0-255}. */
  public byte[] range(String fontstack, String range) {
    return range(fontstack, GlyphRange.parse(range));
  }

  public byte[] range(String fontstack, GlyphRange range) {
    ResolvedFont font = fonts.resolve(fontstack);
    return cache.get(new Key(font.name(), range.start()), k -> draw(font, range));
  }

  /** Which face a fontstack is drawn with: for logs and for tests. */
  public ResolvedFont resolve(String fontstack) {
    return fonts.resolve(fontstack);
  }

  /**
   * Why the styles' Chinese labels cannot be drawn, as one log line that names the fix; empty when
   * every fontstack the styles name ({@link Fonts#ALL}) resolves to a loaded face that draws
   * Chinese ({@link #CJK_SAMPLE}). For the server's start log and {@code /health}; decided once,
   * when the service is made, so it costs nothing to ask. A jar built without its shipped fonts (no
   * npm at build time) gives e.g.:
   *
   * <pre>
   * no CJK font for the map's labels: Noto Sans SC Regular -&gt; SansSerif Regular (fallback), Noto Sans SC Bold -&gt; SansSerif Bold (fallback);
   * this jar was built without its fonts (io/gridmap/styles/fonts/*.ttf): rebuild it with `./mapserver build` (needs npm) or `apt-get install fonts-noto-cjk`
   * </pre>
   *
   * (one line; wrapped here).
   */
  public Optional<String> cjkProblem() {
    return cjkProblem;
  }

  static Optional<String> cjkProblem(FontLibrary fonts, List<String> fontstacks) {
    List<String> lacking = new ArrayList<>();
    for (String stack : fontstacks) {
      ResolvedFont r = fonts.resolve(stack);
      if (r.fallback()) {
        lacking.add(stack + " -> " + r.name() + " (fallback)");
      } else if (r.font().canDisplayUpTo(CJK_SAMPLE) != -1) {
        lacking.add(stack + " -> " + r.name() + " (cannot draw " + CJK_SAMPLE + ")");
      }
    }
    if (lacking.isEmpty()) {
      return Optional.empty();
    }
    String why =
        fonts.resources().size() < FontLibrary.SHIPPED_FONTS.size()
            ? "this jar was built without its fonts (io/gridmap/styles/fonts/*.ttf): rebuild it"
                + " with `./mapserver build` (needs npm) or `apt-get install fonts-noto-cjk`"
            : "the fonts loaded have no Chinese face under these names: "
                + fonts.resources()
                + " "
                + fonts.files();
    return Optional.of(
        "no CJK font for the map's labels: " + String.join(", ", lacking) + "; " + why);
  }

  /** Cache hits, misses and size, for /metrics. */
  public CacheStats cacheStats() {
    return cache.stats();
  }

  public long cachedRanges() {
    // evictions run on Caffeine's executor, after the write that caused them: settle them first, or
    // a busy machine counts ranges already chosen to go
    cache.cleanUp();
    return cache.estimatedSize();
  }

  private byte[] draw(ResolvedFont font, GlyphRange range) {
    GlyphRasteriser r =
        rasterisers.computeIfAbsent(font.name(), n -> new GlyphRasteriser(font.font()));
    return GlyphPbf.encode(font.name(), range, r.render(range));
  }
}
