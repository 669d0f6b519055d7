package io.gridmap.bench.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LoadDriverTest {
  @Test
  void coordinatesAreWrittenWithSevenDecimalsAsFormatWritesThem() {
    assertEquals("106.5500000", LoadDriver.decimal7(106.55));
    assertEquals("29.0000001", LoadDriver.decimal7(29.00000005));
    assertEquals("-0.1234568", LoadDriver.decimal7(-0.12345675));
    assertEquals("0.0000000", LoadDriver.decimal7(0));
    // the city's range: the same text as String.format but, rarely, one unit in the seventh
    // decimal where the double lies a hair from the half
    SplittableRandom r = new SplittableRandom(7);
    int differ = 0;
    for (int i = 0; i < 100_000; i++) {
      double v = r.nextDouble(-180, 180);
      String ours = LoadDriver.decimal7(v);
      String format = String.format(Locale.ROOT, "%.7f", v);
      if (!ours.equals(format)) {
        differ++;
        assertEquals(Double.parseDouble(format), Double.parseDouble(ours), 1.01e-7, "at " + v);
      }
    }
    assertTrue(differ < 10, differ + " of 100,000 differ");
  }
}
