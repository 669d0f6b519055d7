package io.gridmap.importer.read.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridmap.importer.read.ImportException;
import io.gridmap.importer.read.SourceFeature;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.io.WKTReader;

/** Geometry columns found or named, string attributes, and every bad row named by its line. */
class CsvReaderTest {
  static final Charset GBK = Charset.forName("GBK");

  @TempDir Path dir;

  @Test
  void lonLatColumnsAreFoundByTheirUsualNamesInAnyCase() throws Exception {
    String[][] headers = {
      {"name,LON,Lat", "name"},
      {"经度,纬度,name", "name"},
      {"name,longitude,latitude", "name"},
      {"lng,name,lat", "name"},
      {"X,Y,name", "name"},
    };
    for (String[] h : headers) {
      String[] cols = h[0].split(",");
      StringBuilder row = new StringBuilder();
      for (String c : cols) {
        String v =
            switch (c.toLowerCase()) {
              case "name" -> "解放碑";
              case "lon", "经度", "longitude", "lng", "x" -> "106.5772";
              default -> "29.5587";
            };
        row.append(row.length() == 0 ? "" : ",").append(v);
      }
      List<SourceFeature> fs = readAll(h[0] + "\n" + row + "\n", CsvOptions.detect());
      assertThat(fs.get(0).geometry().toText()).as(h[0]).isEqualTo("POINT (106.5772 29.5587)");
      assertThat(fs.get(0).attributes()).as(h[0]).containsExactly(Map.entry("name", "解放碑"));
    }
  }

  @Test
  void aWktColumnGivesAnyGeometryAndEmptyCellsAreNull() throws Exception {
    List<SourceFeature> fs =
        readAll(
            "\uFEFFid;the_geom;note\n"
                + "1;POLYGON ((0 0, 1 0, 1 1, 0 0));\"a;b\"\n"
                + "2;;\"two\nlines\"\n"
                + "\n"
                + "3;LINESTRING (1 2, 3 4);x\n",
            CsvOptions.detect());
    assertThat(fs).hasSize(3);
    assertThat(
            fs.get(0)
                .geometry()
                .equalsExact(new WKTReader().read("POLYGON ((0 0, 1 0, 1 1, 0 0))")))
        .isTrue();
    Map<String, Object> first = new LinkedHashMap<>();
    first.put("id", "1");
    first.put("note", "a;b");
    assertThat(fs.get(0).attributes()).containsExactlyEntriesOf(first);
    assertThat(fs.get(1).geometry()).isNull();
    assertThat(fs.get(1).attributes()).containsEntry("note", "two\nlines");
    // the BOM did not stick to the first column's name; lines count physical lines
    assertThat(fs)
        .extracting(SourceFeature::where)
        .containsExactly("f.csv line 2", "f.csv line 3", "f.csv line 6");
  }

  @Test
  void namedColumnsWinOverDetectionAndTheirNamesAreCheckedRangeFree() throws Exception {
    List<SourceFeature> fs =
        readAll(
            "east,north,lon,lat\n3265627.5,36354541.9,1,2\n",
            new CsvOptions("east", "north", null, ',', StandardCharsets.UTF_8));
    // eastings and northings are not degrees: CrsTransform checks them once the CRS is known
    assertThat(fs.get(0).geometry().toText()).isEqualTo("POINT (3265627.5 36354541.9)");
    assertThat(fs.get(0).attributes()).containsOnlyKeys("lon", "lat");
  }

  @Test
  void aBadRowFortyThousandLinesInIsNamedByItsLine() throws Exception {
    Path f = dir.resolve("sites.csv");
    try (BufferedWriter w = Files.newBufferedWriter(f)) {
      w.write("name,lon,lat\n");
      for (int line = 2; line <= 40_005; line++) {
        String lon = line == 40_001 ? "abc" : "106.5";
        w.write("site " + line + "," + lon + ",29.5\n");
      }
    }
    try (CsvReader r = CsvReader.open(f, CsvOptions.detect())) {
      assertThatThrownBy(
              () -> {
                while (r.next() != null) {}
              })
          .isExactlyInstanceOf(ImportException.class)
          .hasMessageStartingWith("sites.csv line 40001: column lon is 'abc', not a number. Fix: ");
    }
  }

  @Test
  void coordinatesOutOfRangeOrNotPlainNumbersAreRefused() {
    String[][] cases = {
      {"106.5,95.2", "line 3: column lat is 95.2, outside -90 to 90"},
      {"NaN,29.5", "line 3: column lon is 'NaN', not a number"},
      {"106.5°,29.5", "line 3: column lon is '106.5°', not a number"},
      {"106.5,", "line 3: column lat is '', not a number"},
    };
    for (String[] c : cases) {
      assertThatThrownBy(() -> readAll("lon,lat\n106,29\n" + c[0] + "\n", CsvOptions.detect()))
          .as(c[0])
          .isExactlyInstanceOf(ImportException.class)
          .hasMessageStartingWith("f.csv " + c[1]);
    }
  }

  @Test
  void badWktNamesTheLineAndJtssReason() {
    assertThatThrownBy(
            () ->
                readAll(
                    "WKT,name\n\"POINT (1 2)\",a\n\"POLYGON ((1 2, 3 4)\",b\n",
                    CsvOptions.detect()))
        .isExactlyInstanceOf(ImportException.class)
        .hasMessageStartingWith("f.csv line 3: column WKT is not valid WKT (")
        .hasMessageContaining("'POLYGON ((1 2, 3 4)'");
  }

  @Test
  void aRowWithADifferentNumberOfCellsIsRefused() {
    assertThatThrownBy(() -> readAll("lon,lat,name\n106,29,a\n106,29,a,b\n", CsvOptions.detect()))
        .isExactlyInstanceOf(ImportException.class)
        .hasMessageStartingWith("f.csv line 3: the row has 4 cells but the header has 3")
        .hasMessageContaining("quote cells that hold the delimiter ','");
  }

  @Test
  void anUnterminatedQuoteAtTheEndOfTheFileNamesTheRowItStarts() {
    assertThatThrownBy(
            () -> readAll("lon,lat,name\n106,29,a\n106,29,\"b\n\nc\n", CsvOptions.detect()))
        .isExactlyInstanceOf(ImportException.class)
        .hasMessageStartingWith(
            "f.csv line 3: a quoted cell that starts in this row is never closed");
  }

  @Test
  void withoutGeometryColumnsTheMessageListsTheHeader() throws IOException {
    Path f = dir.resolve("people.csv");
    Files.writeString(f, "姓名,地址,电话\n张三,解放碑,123\n");
    assertThatThrownBy(() -> CsvReader.open(f, CsvOptions.detect()))
        .isExactlyInstanceOf(ImportException.class)
        .hasMessageStartingWith("people.csv line 1: found no geometry columns")
        .hasMessageContaining("but the header has: 姓名, 地址, 电话")
        .hasMessageContaining("Fix: pass --lon and --lat, or --wkt");
    assertThatThrownBy(
            () -> CsvReader.open(f, new CsvOptions(null, null, "geom", CsvOptions.DETECT, null)))
        .isExactlyInstanceOf(ImportException.class)
        .hasMessageContaining("--wkt names the column 'geom', but the header has: 姓名, 地址, 电话");
  }

  @Test
  void aGbkFileReadAsUtf8NamesTheLineAndSuggestsGbk() throws Exception {
    Path f = dir.resolve("sites.csv");
    StringBuilder text = new StringBuilder("name,lon,lat\n");
    for (int line = 2; line < 500; line++) {
      text.append("site ").append(line).append(",106.5,29.5\n"); // ASCII: the same in both
    }
    text.append("解放碑,106.5772,29.5587\n"); // line 500
    Files.write(f, text.toString().getBytes(GBK));
    try (CsvReader r = CsvReader.open(f, CsvOptions.detect())) {
      assertThatThrownBy(
              () -> {
                while (r.next() != null) {}
              })
          .isExactlyInstanceOf(ImportException.class)
          .hasMessageStartingWith("sites.csv line 500: the text is not valid UTF-8 (bytes ")
          .hasMessageContaining("pass --encoding GBK");
    }
    // and read as GBK it is what was written
    try (CsvReader r = CsvReader.open(f, new CsvOptions(null, null, null, ',', GBK))) {
      SourceFeature last = null;
      for (SourceFeature s = r.next(); s != null; s = r.next()) {
        last = s;
      }
      assertThat(last.attributes()).containsEntry("name", "解放碑");
      assertThat(last.where()).isEqualTo("sites.csv line 500");
    }
  }

  @Test
  void emptyFilesAndRepeatedColumnNamesAreRefused() {
    assertThatThrownBy(() -> readAll("", CsvOptions.detect()))
        .isExactlyInstanceOf(ImportException.class)
        .hasMessageStartingWith("f.csv: the file is empty: expected a header row");
    assertThatThrownBy(() -> readAll("lon,lat,a,a\n", CsvOptions.detect()))
        .isExactlyInstanceOf(ImportException.class)
        .hasMessageStartingWith("f.csv line 1: the header names the column 'a' twice");
  }

  @Test
  void optionsNeedLonWithLatAndNotWithWkt() {
    assertThatThrownBy(() -> new CsvOptions("x", null, null, ',', null))
        .hasMessage("expected both --lon and --lat, but found only --lon x");
    assertThatThrownBy(() -> new CsvOptions("x", "y", "wkt", ',', null))
        .hasMessageContaining("but found all three");
  }

  private List<SourceFeature> readAll(String text, CsvOptions options) throws IOException {
    Path f = dir.resolve("f.csv");
    Files.writeString(f, text, StandardCharsets.UTF_8);
    try (CsvReader r = CsvReader.open(f, options)) {
      List<SourceFeature> out = new ArrayList<>();
      for (SourceFeature s = r.next(); s != null; s = r.next()) {
        out.add(s);
      }
      assertThat(r.bytesRead()).isEqualTo(r.size());
      return out;
    }
  }
}
