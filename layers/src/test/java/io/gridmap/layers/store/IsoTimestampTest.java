package io.gridmap.layers.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IsoTimestampTest {
  @ParameterizedTest
  @CsvSource({
    "0, 1970-01-01T00:00:00.000Z",
    "1714552200123, 2024-05-01T08:30:00.123Z",
    "-1, 1969-12-31T23:59:59.999Z",
    "-31536000000, 1969-01-01T00:00:00.000Z",
    "951782400000, 2000-02-29T00:00:00.000Z"
  })
  void formatsTheGeoPackageDateTimeForm(long millis, String text) {
    assertThat(IsoTimestamp.format(millis)).isEqualTo(text);
    assertThat(IsoTimestamp.parse(text)).isEqualTo(millis);
  }

  @Test
  void agreesWithJavaTimeOnRandomInstantsFromYear0To9999() {
    DateTimeFormatter iso =
        DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    long min = Instant.parse("0000-01-01T00:00:00Z").toEpochMilli();
    long max = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();
    SplittableRandom r = new SplittableRandom(7);
    for (int i = 0; i < 100_000; i++) {
      long t = r.nextLong(min, max + 1);
      String text = IsoTimestamp.format(t);
      assertThat(text).isEqualTo(iso.format(Instant.ofEpochMilli(t)));
      assertThat(IsoTimestamp.parse(text)).isEqualTo(t);
    }
  }

  @ParameterizedTest
  @CsvSource({
    "2024-05-01T08:30:00Z, 1714552200000",
    "2024-05-01T16:30:00.123+08:00, 1714552200123",
    "2024-05-01T08:30:00, 1714552200000",
    "2024-05-01 08:30:00, 1714552200000",
    "2024-05-01, 1714521600000"
  })
  void readsOtherIsoFormsThatEditorsLeave(String text, long millis) {
    assertThat(IsoTimestamp.parse(text)).isEqualTo(millis);
  }

  @Test
  void rejectsTextThatIsNoDateTimeNamingIt() {
    assertThatThrownBy(() -> IsoTimestamp.parse("yesterday"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "expected an ISO-8601 date-time such as 2024-05-01T08:30:00.000Z but found 'yesterday'");
    assertThatThrownBy(() -> IsoTimestamp.parse("2024-02-30T08:30:00.000Z"))
        .hasMessageContaining("2024-02-30");
    assertThatThrownBy(() -> IsoTimestamp.parse("2024-05-01T24:30:00.000Z"))
        .hasMessageContaining("2024-05-01T24");
  }

  @ParameterizedTest
  @CsvSource({
    "2024-05-01T08:30:00.123Z",
    "2024-05-01T16:30:00.123+08:00",
    "2024-05-01 08:30:00",
    "2024-05-01",
    // 24 characters, not the fixed form: a digit beyond ASCII, a letter for the zone
    "2024-05-01T08:30:00.12٣Z",
    "2024-05-01T08:30:00.123X"
  })
  void readsAStoresBytesAsItReadsTheText(String text) {
    byte[] utf8 = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Object fromText;
    Object fromBytes;
    try {
      fromText = IsoTimestamp.parse(text);
    } catch (IllegalArgumentException e) {
      fromText = e.getMessage();
    }
    try {
      fromBytes = IsoTimestamp.parse(utf8);
    } catch (IllegalArgumentException e) {
      fromBytes = e.getMessage();
    }
    assertThat(fromBytes).isEqualTo(fromText);
  }
}
