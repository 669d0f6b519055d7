package io.gridmap.importer.read.shapefile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.gridmap.importer.generate.SmallCity;
import io.gridmap.importer.read.FeatureReader;
import io.gridmap.importer.read.ImportException;
import io.gridmap.importer.read.SourceFeature;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged and incomplete Shapefiles, made from ogr2ogr's exports, are refused with the file, the
 * record and the fix; the decisions a planner makes (--encoding) then read them.
 */
class ShapefileReaderBadInputTest {
  @TempDir Path dir;

  @Test
  void aShpCutMidRecordNamesTheRecordAfterReadingTheOnesBefore() throws IOException {
    Path shp = copy("grids");
    long record100 = shxOffset(dir.resolve("grids.shx"), 100);
    truncate(shp, record100 + 8 + 20);
    List<SourceFeature> read = new ArrayList<>();
    ImportException e =
        catchThrowableOfType(
            ImportException.class,
            () -> {
              try (FeatureReader r = new ShapefileReader(shp, Optional.empty())) {
                for (SourceFeature f = r.next(); f != null; f = r.next()) {
                  read.add(f);
                }
              }
            });
    assertThat(read).hasSize(99);
    assertThat(e.where()).isEqualTo("grids.shp record 100");
    assertThat(e.problem()).contains("cut short");
    assertThat(e.fix()).contains("export the Shapefile again");
  }

  @Test
  void aMissingDbfIsNamedWithTheFix() throws IOException {
    Path shp = copy("grids");
    Files.delete(dir.resolve("grids.dbf"));
    assertThatThrownBy(() -> new ShapefileReader(shp, Optional.empty()))
        .isInstanceOf(ImportException.class)
        .hasMessageContaining("grids.dbf (the attribute table) is missing")
        .hasMessageContaining("Fix: copy every file of the Shapefile");
  }

  @Test
  void aMissingShxIsNamedWithTheFix() throws IOException {
    Path shp = copy("grids");
    Files.delete(dir.resolve("grids.shx"));
    assertThatThrownBy(() -> new ShapefileReader(shp, Optional.empty()))
        .isInstanceOf(ImportException.class)
        .hasMessageContaining("grids.shx (the index of the shapes' positions) is missing");
  }

  @Test
  void upperCaseExtensionsAreFound() throws IOException {
    Path shp = copy("grids");
    Files.move(dir.resolve("grids.dbf"), dir.resolve("grids.DBF"));
    Files.move(dir.resolve("grids.shx"), dir.resolve("grids.SHX"));
    try (FeatureReader r = new ShapefileReader(shp, Optional.empty())) {
      assertThat(r.next().attributes()).containsKey("village_co");
    }
  }

  @Test
  void gbkTextReadAsUtf8IsRefusedSuggestingGbkAndReadsWithTheFlag() throws IOException {
    Path shp = copy("grids_gbk");
    Files.delete(dir.resolve("grids_gbk.cpg"));
    setByte(dir.resolve("grids_gbk.dbf"), 29, 0); // no language driver: nothing says GBK
    ImportException e =
        catchThrowableOfType(ImportException.class, () -> readAll(shp, Optional.empty()));
    assertThat(e.where()).isEqualTo("grids_gbk.shp record 1");
    assertThat(e.problem()).contains("field 'name'").contains("not valid UTF-8");
    assertThat(e.fix()).contains("--encoding GBK");

    Map<String, SourceFeature> read = readAll(shp, Optional.of("GBK"));
    ShapefileReaderRoundTripTest.assertSameAs(read, SmallCity.city().layer("grids"), 1e-9);
  }

  @Test
  void withoutACpgTheLanguageDriverByteSaysGbk() throws IOException {
    Path shp = copy("grids_gbk");
    Files.delete(dir.resolve("grids_gbk.cpg"));
    setByte(dir.resolve("grids_gbk.dbf"), 29, 0x4D); // what Chinese ArcGIS writes
    Map<String, SourceFeature> read = readAll(shp, Optional.empty());
    ShapefileReaderRoundTripTest.assertSameAs(read, SmallCity.city().layer("grids"), 1e-9);
  }

  @Test
  void anEncodingFlagNamingNoEncodingIsRefused() throws IOException {
    Path shp = copy("grids");
    assertThatThrownBy(() -> new ShapefileReader(shp, Optional.of("gbk2")))
        .isInstanceOf(ImportException.class)
        .hasMessageContaining("expected --encoding to name an encoding")
        .hasMessageContaining("but found 'gbk2'");
  }

  @Test
  void noPrjDeclaresNoCrs() throws IOException {
    Path shp = copy("grids");
    Files.delete(dir.resolve("grids.prj"));
    try (FeatureReader r = new ShapefileReader(shp, Optional.empty())) {
      assertThat(r.declaredCrs()).isEmpty();
    }
  }

  @Test
  void aPrjMatchingNoCrsWeConvertSaysHowToPassCrs() throws IOException {
    Path shp = copy("grids");
    Files.copy(
        Path.of("src/test/resources/io/gridmap/importer/crs/prj/esri-32648-utm48n.prj"),
        dir.resolve("grids.prj"),
        StandardCopyOption.REPLACE_EXISTING);
    try (FeatureReader r = new ShapefileReader(shp, Optional.empty())) {
      assertThatThrownBy(r::declaredCrs)
          .isInstanceOf(ImportException.class)
          .hasMessageStartingWith("grids.prj: the .prj declares PROJCS \"WGS_1984_UTM_Zone_48N\"")
          .hasMessageContaining("pass --crs");
    }
  }

  @Test
  void deletedRecordsAreSkippedWithTheirShapes() throws IOException {
    Path shp = copy("grids");
    Path dbf = dir.resolve("grids.dbf");
    ByteBuffer header = ByteBuffer.wrap(Files.readAllBytes(dbf)).order(ByteOrder.LITTLE_ENDIAN);
    int headerLength = header.getShort(8);
    int recordLength = header.getShort(10);
    setByte(dbf, headerLength + recordLength, '*'); // record 2
    List<SourceFeature> read = new ArrayList<>();
    try (FeatureReader r = new ShapefileReader(shp, Optional.empty())) {
      for (SourceFeature f = r.next(); f != null; f = r.next()) {
        read.add(f);
      }
    }
    assertThat(read).hasSize(SmallCity.city().layer("grids").size() - 1);
    assertThat(read.get(1).where()).isEqualTo("grids.shp record 3");
    // record 3's attributes came with record 3's shape: the shapes did not shift
    Map<String, SourceFeature> all = readAll(copyTo("grids", "again"), Optional.empty());
    SourceFeature third = all.get((String) read.get(1).attributes().get("code"));
    assertThat(third.geometry().equalsExact(read.get(1).geometry())).isTrue();
  }

  @Test
  void aDbfShorterThanItsHeaderSaysNamesTheRecordItEndsIn() throws IOException {
    Path shp = copy("grids");
    Path dbf = dir.resolve("grids.dbf");
    ByteBuffer header = ByteBuffer.wrap(Files.readAllBytes(dbf)).order(ByteOrder.LITTLE_ENDIAN);
    int headerLength = header.getShort(8);
    int recordLength = header.getShort(10);
    truncate(dbf, headerLength + 40L * recordLength + 7);
    assertThatThrownBy(() -> new ShapefileReader(shp, Optional.empty()))
        .isInstanceOf(ImportException.class)
        .hasMessageStartingWith("grids.dbf record 41: expected 739 records")
        .hasMessageContaining("it ends inside record 41")
        .hasMessageContaining("Fix: the .dbf is cut short");
  }

  @Test
  void anShxListingMoreShapesThanTheDbfHasIsRefused() throws IOException {
    Path shp = copy("grids");
    Files.write(dir.resolve("grids.shx"), new byte[8], StandardOpenOption.APPEND);
    assertThatThrownBy(() -> new ShapefileReader(shp, Optional.empty()))
        .isInstanceOf(ImportException.class)
        .hasMessageContaining("grids.dbf has 739 records but grids.shx lists 740 shapes")
        .hasMessageContaining("export the Shapefile again");
  }

  @Test
  void aShpWithFewerRecordsThanItsShxSaysWhereItEnds() throws IOException {
    Path shp = copy("grids");
    truncate(shp, shxOffset(dir.resolve("grids.shx"), 739));
    assertThatThrownBy(() -> readAll(shp, Optional.empty()))
        .isInstanceOf(ImportException.class)
        .hasMessageContaining("grids.shp record 739: expected 739 records")
        .hasMessageContaining("grids.shp ends after 738 records");
  }

  @Test
  void anUnknownShapeTypeNamesTheRecord() throws IOException {
    Path shp = copy("grids");
    setByte(shp, shxOffset(dir.resolve("grids.shx"), 5) + 8, 77);
    assertThatThrownBy(() -> readAll(shp, Optional.empty()))
        .isInstanceOf(ImportException.class)
        .hasMessageStartingWith(
            "grids.shp record 5: expected a shape type of Null, Point, MultiPoint, PolyLine or"
                + " Polygon (plain, Z or M) but found unknown (77)");
  }

  @Test
  void aMemoFieldIsRefusedByName() throws IOException {
    Path shp = copy("grids");
    setByte(dir.resolve("grids.dbf"), 32 + 32 + 11, 'M'); // the second field, code
    assertThatThrownBy(() -> new ShapefileReader(shp, Optional.empty()))
        .isInstanceOf(ImportException.class)
        .hasMessageContaining("field 'code' is a memo (type M)");
  }

  private Map<String, SourceFeature> readAll(Path shp, Optional<String> encoding)
      throws IOException {
    Map<String, SourceFeature> byCode = new LinkedHashMap<>();
    try (FeatureReader r = new ShapefileReader(shp, encoding)) {
      for (SourceFeature f = r.next(); f != null; f = r.next()) {
        byCode.put((String) f.attributes().get("code"), f);
      }
    }
    return byCode;
  }

  /** Copies a Shapefile's files from the exports into this test's directory; its new .shp. */
  private Path copy(String base) throws IOException {
    return copyTo(base, ".");
  }

  private Path copyTo(String base, String sub) throws IOException {
    Path to = Files.createDirectories(dir.resolve(sub));
    try (var files = Files.list(CityExports.dir())) {
      for (Path f : files.filter(f -> f.getFileName().toString().startsWith(base + ".")).toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
    return to.resolve(base + ".shp");
  }

  /** Where record {@code n} (from 1) starts in the .shp, from its .shx entry (16-bit words). */
  private static long shxOffset(Path shx, int n) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(shx));
    return 2L * b.getInt(100 + 8 * (n - 1));
  }

  private static void truncate(Path file, long length) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(length);
    }
  }

  private static void setByte(Path file, long at, int value) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(at);
      f.write(value);
    }
  }
}
