package io.gridmap.importer.crs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The encoding of a Shapefile's attribute text, from the first of: the {@code .cpg} file, the DBF
 * header's language driver byte, {@code --encoding}, and UTF-8.
 *
 * <p>UTF-8 is the default because it fails loudly: GBK text read as UTF-8 is almost never valid
 * UTF-8, so a strict decoder reports it, while UTF-8 text read as GBK (or Latin-1, GDAL's default)
 * decodes silently into mojibake.
 */
public final class DbfEncoding {
  private DbfEncoding() {}

  /** The charset when nothing says which. */
  public static final Charset DEFAULT = StandardCharsets.UTF_8;

  /** Where the language driver ID sits in a DBF header (dBASE III+ and later, and ESRI's). */
  static final int LANGUAGE_DRIVER_OFFSET = 29;

  /** The size of a DBF header before its field descriptors. */
  static final int HEADER_SIZE = 32;

  /**
   * The charset of {@code dbf}'s text.
   *
   * @param cpg the content of the {@code .cpg} beside it, if there is one
   * @param flag the value of {@code --encoding}, if given; checked even when not needed, so a typo
   *     is reported rather than ignored
   * @throws IllegalArgumentException for a {@code .cpg} or {@code --encoding} that names no
   *     encoding we know, or a file too short to be a DBF
   * @throws IOException if the DBF cannot be read
   */
  public static Charset detect(Path dbf, Optional<String> cpg, Optional<String> flag)
      throws IOException {
    Optional<Charset> flagged =
        flag.map(
            f ->
                CodePages.forName(f)
                    .orElseThrow(
                        () ->
                            new IllegalArgumentException(
                                "expected --encoding to name an encoding, such as UTF-8, GBK,"
                                    + " GB18030, 936 or windows-1252, but found '"
                                    + f
                                    + "'")));
    if (cpg.isPresent()) {
      Optional<Charset> named = fromCpg(cpg.get());
      if (named.isPresent()) {
        return named.get();
      }
    }
    Optional<Charset> driver = LanguageDriver.charset(languageDriver(dbf));
    if (driver.isPresent()) {
      return driver.get();
    }
    return flagged.orElse(DEFAULT);
  }

  /**
   * What a {@code .cpg} says. Empty when it says nothing usable as a decision: a blank file, or
   * "SYSTEM"/"ANSI"/"OEM" without a number (the writer's own code page, unknown here).
   */
  static Optional<Charset> fromCpg(String content) {
    String s = content.replace("\uFEFF", "").strip();
    if (s.isEmpty()
        || s.equalsIgnoreCase("SYSTEM")
        || s.equalsIgnoreCase("ANSI")
        || s.equalsIgnoreCase("OEM")) {
      return Optional.empty();
    }
    return Optional.of(
        CodePages.forName(s)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "expected the .cpg to name an encoding, such as UTF-8, GBK, 936 or ANSI"
                            + " 936, but found '"
                            + s
                            + "'; correct the .cpg, or delete it and pass --encoding")));
  }

  /** Byte 29 of the DBF header, unsigned. */
  static int languageDriver(Path dbf) throws IOException {
    byte[] header = new byte[HEADER_SIZE];
    int n;
    try (InputStream in = Files.newInputStream(dbf)) {
      n = in.readNBytes(header, 0, HEADER_SIZE);
    }
    if (n < HEADER_SIZE) {
      throw new IllegalArgumentException(
          "expected a DBF header of " + HEADER_SIZE + " bytes but found " + n + " bytes in " + dbf);
    }
    return header[LANGUAGE_DRIVER_OFFSET] & 0xFF;
  }
}
