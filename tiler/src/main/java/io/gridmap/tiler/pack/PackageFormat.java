package io.gridmap.tiler.pack;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/** The two package formats, by their usual file extension. */
public enum PackageFormat {
  PMTILES("pmtiles"),
  MBTILES("mbtiles");

  public final String extension;

  PackageFormat(String extension) {
    this.extension = extension;
  }

  /** A new, empty package at {@code file}. */
  public TileArchive open(Path file) throws IOException {
    return this == PMTILES
        ? new PmtilesWriter(file, PmtilesHeader.Compression.GZIP)
        : new MbtilesWriter(file);
  }

  /** The format a file name's extension names, or null. */
  public static PackageFormat ofFileName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (PackageFormat f : values()) {
      if (lower.endsWith("." + f.extension)) {
        return f;
      }
    }
    return null;
  }
}
