package io.gridmap.importer.crs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridmap.layers.testing.GdalTool;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Shapefile's attribute encoding from its .cpg, else its DBF language driver byte, else
 * --encoding, else UTF-8; checked on DBF headers written here and on Shapefiles ogr2ogr writes.
 */
class DbfEncodingTest {
  static final Charset GBK = Charset.forName("GBK");

  @TempDir Path dir;

  @Test
  void cpgContentAsToolsWriteIt() {
    String[][] cases = {
      {"UTF-8", "UTF-8"},
      {"utf8", "UTF-8"},
      {"\uFEFFUTF-8\r\n", "UTF-8"},
      {"65001", "UTF-8"},
      {"GBK", "GBK"},
      {"936", "GBK"},
      {"CP936", "GBK"},
      {"cp936", "GBK"},
      {"ANSI 936", "GBK"},
      {"GB2312", "GBK"},
      {"GB18030", "GB18030"},
      {"950", "x-windows-950"},
      {"88591", "ISO-8859-1"},
      {"ISO-8859-1", "ISO-8859-1"},
      {"1252", "windows-1252"},
      {"ANSI 1251", "windows-1251"},
    };
    for (String[] c : cases) {
      assertThat(DbfEncoding.fromCpg(c[0])).as(c[0]).contains(Charset.forName(c[1]));
    }
    // the writer's own code page, unknown here: no decision
    for (String s : new String[] {"", "  \n", "SYSTEM", "ANSI", "OEM"}) {
      assertThat(DbfEncoding.fromCpg(s)).as("'%s'", s).isEmpty();
    }
  }

  @Test
  void theCpgComesFirstThenTheLanguageDriverThenTheFlagThenUtf8() throws IOException {
    Path gbkDriver = dbf("gbk.dbf", 0x4D);
    Path noDriver = dbf("none.dbf", 0x00);
    Path ansiDriver = dbf("ansi.dbf", 0x57);
    assertThat(detect(gbkDriver, "UTF-8", "GB18030")).isEqualTo(StandardCharsets.UTF_8);
    assertThat(detect(gbkDriver, null, "GB18030")).isEqualTo(GBK);
    assertThat(detect(gbkDriver, "SYSTEM", null)).isEqualTo(GBK);
    assertThat(detect(noDriver, null, "GB18030")).isEqualTo(Charset.forName("GB18030"));
    assertThat(detect(ansiDriver, null, "936")).isEqualTo(GBK);
    assertThat(detect(ansiDriver, null, null)).isEqualTo(DbfEncoding.DEFAULT);
    assertThat(DbfEncoding.DEFAULT).isEqualTo(StandardCharsets.UTF_8);
  }

  @Test
  void languageDriverBytesAfterEsrisTable() throws IOException {
    int[][] cases = {{0x4D, 0}, {0x7A, 0}, {0x4F, 1}, {0x78, 1}, {0x03, 2}, {0xC9, 3}, {0x01, 4}};
    String[] names = {"GBK", "x-windows-950", "windows-1252", "windows-1251", "IBM437"};
    for (int[] c : cases) {
      Path f = dbf("ldid" + c[0] + ".dbf", c[0]);
      assertThat(detect(f, null, null))
          .as("LDID 0x%02X", c[0])
          .isEqualTo(Charset.forName(names[c[1]]));
    }
  }

  @Test
  @Tag("slow") // runs GDAL: fails, never skips, without it; -Pfast leaves it out
  void gdalWritesGbkWithLanguageDriver77OrACpgAndWeReadThemAsGbk() throws IOException {
    Path csv = dir.resolve("sites.csv");
    Files.writeString(csv, "WKT,name\n\"POINT (106.5772 29.5587)\",解放碑\n", StandardCharsets.UTF_8);
    byte[] name = "解放碑".getBytes(GBK);

    Path ldid = dir.resolve("ldid.shp");
    ogr2ogr(ldid, csv, "LDID/77");
    Path ldidDbf = dir.resolve("ldid.dbf");
    assertThat(dir.resolve("ldid.cpg")).doesNotExist();
    assertThat(DbfEncoding.languageDriver(ldidDbf)).isEqualTo(0x4D);
    assertThat(detect(ldidDbf, null, null)).isEqualTo(GBK);
    assertThat(indexOf(Files.readAllBytes(ldidDbf), name)).isPositive();

    Path cpg = dir.resolve("cpg.shp");
    ogr2ogr(cpg, csv, "CP936");
    String cpgText = Files.readString(dir.resolve("cpg.cpg"));
    assertThat(cpgText.strip()).isEqualTo("CP936");
    assertThat(detect(dir.resolve("cpg.dbf"), cpgText, null)).isEqualTo(GBK);
    assertThat(indexOf(Files.readAllBytes(dir.resolve("cpg.dbf")), name)).isPositive();
  }

  @Test
  void unknownNamesAndShortFilesAreRefused() throws IOException {
    Path f = dbf("a.dbf", 0);
    assertThatThrownBy(() -> detect(f, "KOI-9", null))
        .hasMessage(
            "expected the .cpg to name an encoding, such as UTF-8, GBK, 936 or ANSI 936, but found"
                + " 'KOI-9'; correct the .cpg, or delete it and pass --encoding");
    // checked even though the .cpg decides
    assertThatThrownBy(() -> detect(f, "UTF-8", "gbk2"))
        .hasMessage(
            "expected --encoding to name an encoding, such as UTF-8, GBK, GB18030, 936 or"
                + " windows-1252, but found 'gbk2'");
    Path shortFile = dir.resolve("short.dbf");
    Files.write(shortFile, new byte[10]);
    assertThatThrownBy(() -> detect(shortFile, null, null))
        .hasMessage("expected a DBF header of 32 bytes but found 10 bytes in " + shortFile);
  }

  private static Charset detect(Path dbf, String cpg, String flag) throws IOException {
    return DbfEncoding.detect(dbf, Optional.ofNullable(cpg), Optional.ofNullable(flag));
  }

  /** A DBF with no fields and no records: the 32-byte header and the terminator. */
  private Path dbf(String name, int languageDriver) throws IOException {
    byte[] b = new byte[33];
    b[0] = 0x03; // dBASE III without memo
    b[1] = 126; // last update 2026-12-04, years since 1900
    b[2] = 12;
    b[3] = 4;
    b[8] = 33; // header length, little-endian
    b[10] = 1; // record length: the deletion flag
    b[DbfEncoding.LANGUAGE_DRIVER_OFFSET] = (byte) languageDriver;
    b[32] = 0x0D; // end of field descriptors
    Path f = dir.resolve(name);
    Files.write(f, b);
    return f;
  }

  private static void ogr2ogr(Path shp, Path csv, String encoding) {
    GdalTool.run(
        "ogr2ogr",
        "",
        "-q",
        "-f",
        "ESRI Shapefile",
        shp.toString(),
        csv.toString(),
        "-oo",
        "GEOM_POSSIBLE_NAMES=WKT",
        "-lco",
        "ENCODING=" + encoding);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
