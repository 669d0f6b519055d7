package io.gridmap.importer.crs;

import java.nio.charset.Charset;
import java.util.Optional;

/**
 * The language driver ID of a DBF header (byte 29) as a charset, after ESRI's table (ESRI technical
 * article 000013192, "Language driver IDs and code pages"; the same table is in NetTopologySuite's
 * and other DBF readers). 0x00 says nothing and 0x57 says "ANSI", the writer's system code page,
 * which we cannot know: both give empty, so the caller falls through to {@code --encoding}. Chinese
 * ArcGIS writes 0x4D for GBK.
 */
final class LanguageDriver {
  private LanguageDriver() {}

  static Optional<Charset> charset(int ldid) {
    int page =
        switch (ldid) {
          case 0x01, 0x09, 0x0B, 0x0D, 0x0F, 0x11, 0x15, 0x18, 0x19, 0x1B -> 437;
          case 0x02, 0x0A, 0x0E, 0x10, 0x12, 0x14, 0x16, 0x1A, 0x1D, 0x25, 0x37 -> 850;
          case 0x03, 0x58, 0x59 -> 1252;
          case 0x08, 0x17, 0x66 -> 865;
          case 0x13, 0x7B -> 932;
          case 0x1C, 0x6C -> 863;
          case 0x1F, 0x22, 0x23, 0x40, 0x64, 0x87 -> 852;
          case 0x24 -> 860;
          case 0x26, 0x65 -> 866;
          case 0x4D, 0x7A -> 936;
          case 0x4E, 0x79 -> 949;
          case 0x4F, 0x78 -> 950;
          case 0x50, 0x7C -> 874;
          case 0x67 -> 861;
          case 0x6A, 0x86 -> 737;
          case 0x6B, 0x88 -> 857;
          case 0xC8 -> 1250;
          case 0xC9 -> 1251;
          case 0xCA -> 1254;
          case 0xCB -> 1253;
          case 0xCC -> 1257;
          default -> 0;
        };
    return page == 0 ? Optional.empty() : CodePages.forCodePage(page);
  }
}
