package io.gridmap.importer.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class ValueRowsTest {
  @Test
  void everyValueComesBackEqualAndOfItsType() {
    Object[] row = {
      null,
      "",
      "grid_worker",
      "café",
      "第3网格",
      "a\uD800b", // a lone surrogate: not valid UTF-8, kept all the same
      0L,
      -1L,
      Long.MIN_VALUE,
      Long.MAX_VALUE,
      13_812_345_678L,
      0.1,
      -0.0,
      Double.NaN,
      Double.MAX_VALUE,
      true,
      false,
      7,
      new BigDecimal("1.10")
    };
    ValueRows rows = new ValueRows();
    rows.add(row);
    rows.add(new Object[] {"x".repeat(300), "网".repeat(70_000)}); // across a page of bytes
    rows.add(new Object[0]);

    assertThat(rows.size()).isEqualTo(3);
    Object[] back = rows.get(0);
    assertThat(back).containsExactly(row);
    for (int i = 0; i < row.length; i++) {
      if (row[i] != null) {
        assertThat(back[i]).isInstanceOf(row[i].getClass());
      }
    }
    assertThat(Double.doubleToRawLongBits((Double) back[12]))
        .isEqualTo(Double.doubleToRawLongBits(-0.0));
    assertThat(rows.get(1)).containsExactly("x".repeat(300), "网".repeat(70_000));
    assertThat(rows.get(2)).isEmpty();
  }

  @Test
  void aSharingColumnGivesOneInstancePerValueUntilItIsMostlyDistinct() {
    ValueRows rows = ValueRows.sharing(2);
    for (int i = 0; i < ValueRows.MAX_SHARED + 10; i++) {
      rows.add(new Object[] {new String("police"), "name " + i});
    }
    assertThat(rows.get(0)[0]).isSameAs(rows.get(5)[0]).isEqualTo("police");
    assertThat(rows.get(0)[1]).isEqualTo("name 0").isNotSameAs(rows.get(0)[1]);
  }

  @Test
  void convertingMakesNewRowsRowByRowAndEmptiesTheOld() {
    ValueRows raw = new ValueRows();
    for (int i = 0; i < 100_000; i++) { // some 20 pages of bytes
      raw.add(new Object[] {"13800000000", "code-" + i});
    }
    ValueRows typed =
        raw.convert(2, v -> new Object[] {Long.parseLong((String) v[0]), ((String) v[1]).length()});
    assertThat(raw.size()).isZero();
    assertThat(typed.size()).isEqualTo(100_000);
    assertThat(typed.get(99_999)).containsExactly(13_800_000_000L, 10);
  }
}
