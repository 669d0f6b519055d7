package io.gridmap.importer.read.shapefile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridmap.importer.read.ImportException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** DBF field bytes as the values an import takes, and the messages for values that are not. */
class DbfValuesTest {
  private final DbfValues utf8 = new DbfValues(Path.of("grids.dbf"), StandardCharsets.UTF_8);

  @Test
  void textIsTrimmedOnTheRightOnlyAndBlankIsNull() {
    assertThat(parse('C', 12, 0, "  解放碑街道 ")).isEqualTo("  解放碑街道");
    assertThat(parse('C', 8, 0, "        ")).isNull();
  }

  @Test
  void gbkTextDecodesWithItsCharset() {
    Charset gbk = Charset.forName("GBK");
    byte[] bytes = " 第3网格   ".getBytes(gbk);
    DbfField f = new DbfField("name", 'C', 1, bytes.length - 1, 0);
    assertThat(new DbfValues(Path.of("g.dbf"), gbk).parse(bytes, f, "g.shp record 1"))
        .isEqualTo("第3网格");
    assertThatThrownBy(() -> utf8.parse(bytes, f, "g.shp record 1"))
        .isInstanceOf(ImportException.class)
        .hasMessageContaining("g.shp record 1: field 'name' holds bytes that are not valid UTF-8")
        .hasMessageContaining("--encoding GBK");
  }

  @Test
  void numbersWithoutDecimalsThatFitALongAreLongsTheRestDoubles() {
    assertThat(parse('N', 10, 0, "     12345")).isEqualTo(12345L);
    assertThat(parse('N', 10, 0, "       -42")).isEqualTo(-42L);
    assertThat(parse('N', 20, 0, "  99999999999999999999")).isEqualTo(1e20);
    assertThat(parse('N', 10, 3, "    12.500")).isEqualTo(12.5);
    assertThat(parse('F', 19, 11, " 1.23400000000e+002")).isEqualTo(123.4);
    assertThat(parse('N', 10, 3, "     0.000")).isEqualTo(0.0);
  }

  @Test
  void blankAndOverflowedNumbersAreNull() {
    assertThat(parse('N', 10, 0, "          ")).isNull();
    assertThat(parse('N', 6, 2, "******")).isNull();
  }

  @Test
  void aNumberThatIsNotOneNamesTheFieldAndValue() {
    assertThatThrownBy(() -> parse('N', 6, 0, "  12ab"))
        .isInstanceOf(ImportException.class)
        .hasMessage(
            "grids.shp record 7: expected field 'f' (type N) to hold a number but found '12ab'."
                + " Fix: correct the value in the attribute table (QGIS, ArcGIS) and export again");
  }

  @Test
  void logicalsAsDbaseWritesThem() {
    for (String t : new String[] {"T", "t", "Y", "y"}) {
      assertThat(parse('L', 1, 0, t)).isEqualTo(true);
    }
    for (String f : new String[] {"F", "f", "N", "n"}) {
      assertThat(parse('L', 1, 0, f)).isEqualTo(false);
    }
    assertThat(parse('L', 1, 0, "?")).isNull();
    assertThat(parse('L', 1, 0, " ")).isNull();
    assertThatThrownBy(() -> parse('L', 1, 0, "X")).hasMessageContaining("a logical value");
  }

  @Test
  void datesAreIsoStringsAndBlankOrZeroDatesNull() {
    assertThat(parse('D', 8, 0, "20240501")).isEqualTo("2024-05-01");
    assertThat(parse('D', 8, 0, "        ")).isNull();
    assertThat(parse('D', 8, 0, "00000000")).isNull();
    assertThatThrownBy(() -> parse('D', 8, 0, "20240231"))
        .hasMessageContaining("a date written YYYYMMDD but found '20240231'");
  }

  @Test
  void foxProIntegersAreLittleEndianInt32() {
    byte[] record = {' ', (byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
    assertThat(utf8.parse(record, new DbfField("i", 'I', 1, 4, 0), "w")).isEqualTo(-2L);
  }

  private Object parse(char type, int length, int decimals, String value) {
    byte[] bytes = (" " + value).getBytes(StandardCharsets.UTF_8);
    return utf8.parse(
        bytes, new DbfField("f", type, 1, bytes.length - 1, decimals), "grids.shp record 7");
  }
}
