package io.gridmap.server.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.gridmap.layers.geo.ChinaCoordinates;
import io.gridmap.layers.geo.ChinaCoordinates.Datum;
import io.gridmap.layers.geo.ChinaCoordinates.LonLat;
import io.gridmap.server.devices.DeviceMessage.Kind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeviceMessageParserTest {
  private static final Instant NOW = Instant.parse("2026-11-24T00:30:00Z");
  private static final DeviceTopics TOPICS = new DeviceTopics("gridmap/v1");
  private static final DeviceMessageParser PARSER = new DeviceMessageParser(TOPICS);

  private static DeviceMessage parse(String topic, String payload) throws Exception {
    return PARSER.parse(topic, payload.getBytes(StandardCharsets.UTF_8), NOW);
  }

  @Test
  void aWristbandsHeartRateAlarmWithEveryField() throws Exception {
    DeviceMessage m =
        parse(
            "gridmap/v1/devices/band-0042/alarm",
            """
            {"msg_id": "0042-000317", "time": "2026-11-24T08:29:41+08:00", "kind": "heart_rate",
             "value": 40, "lon": 106.5516, "lat": 29.5630, "battery": 63, "rssi": -71}
            """);
    assertThat(m.deviceId()).isEqualTo("band-0042");
    assertThat(m.kind()).isEqualTo(Kind.HEART_RATE);
    assertThat(m.isAlarm()).isTrue();
    assertThat(m.msgId()).isEqualTo("0042-000317");
    assertThat(m.time()).isEqualTo(Instant.parse("2026-11-24T00:29:41Z"));
    assertThat(m.received()).isEqualTo(NOW);
    assertThat(m.value()).isEqualTo(40.0);
    assertThat(m.position()).isEqualTo(new LonLat(106.5516, 29.5630));
    assertThat(m.crs()).isEqualTo(Datum.WGS84);
    assertThat(m.battery()).isEqualTo(63.0);
    assertThat(m.requestKey()).isEqualTo("device:band-0042:0042-000317");
  }

  @Test
  void anAlarmNeedsOnlyItsIdAndKindAndIsDatedWhenReceived() throws Exception {
    DeviceMessage m =
        parse("gridmap/v1/devices/smoke.7/alarm", "{\"msg_id\":\"1\",\"kind\":\"smoke\"}");
    assertThat(m.kind()).isEqualTo(Kind.SMOKE);
    assertThat(m.time()).isEqualTo(NOW);
    assertThat(m.position()).isNull();
    assertThat(m.value()).isNull();
    assertThat(m.battery()).isNull();
  }

  @Test
  void gcj02AndBd09CoordinatesAreConvertedToWgs84() throws Exception {
    // a phone's GCJ-02 fix in central Chongqing, about 480 m from its WGS84 place
    DeviceMessage gcj =
        parse(
            "gridmap/v1/devices/band-1/position",
            "{\"msg_id\":\"p1\",\"lon\":106.5552,\"lat\":29.5601,\"crs\":\"gcj02\"}");
    LonLat expected = ChinaCoordinates.toWgs84(Datum.GCJ02, 106.5552, 29.5601);
    assertThat(gcj.kind()).isEqualTo(Kind.POSITION);
    assertThat(gcj.crs()).isEqualTo(Datum.GCJ02);
    assertThat(gcj.position().lon()).isEqualTo(expected.lon());
    assertThat(gcj.position().lat()).isEqualTo(expected.lat());
    LonLat back =
        ChinaCoordinates.fromWgs84(Datum.GCJ02, gcj.position().lon(), gcj.position().lat());
    assertThat(back.lon()).isCloseTo(106.5552, within(1e-7));
    assertThat(back.lat()).isCloseTo(29.5601, within(1e-7));
    assertThat(Math.abs(gcj.position().lon() - 106.5552)).isGreaterThan(0.002);

    DeviceMessage bd =
        parse(
            "gridmap/v1/devices/band-1/alarm",
            "{\"msg_id\":\"a1\",\"kind\":\"fall\",\"lon\":106.5617,\"lat\":29.5660,\"crs\":\"BD-09\"}");
    assertThat(bd.crs()).isEqualTo(Datum.BD09);
    assertThat(bd.position()).isEqualTo(ChinaCoordinates.toWgs84(Datum.BD09, 106.5617, 29.5660));
  }

  @Test
  void analarmDatedInTheFutureIsTakenAtTheTimeReceivedButAPositionIsRefused() throws Exception {
    String late = "\"time\":\"2026-11-24T01:00:00Z\"";
    DeviceMessage alarm =
        parse("gridmap/v1/devices/b/alarm", "{\"msg_id\":\"1\",\"kind\":\"fall\"," + late + "}");
    assertThat(alarm.time()).isEqualTo(NOW);
    assertThatThrownBy(
            () ->
                parse(
                    "gridmap/v1/devices/b/position",
                    "{\"msg_id\":\"1\",\"lon\":106,\"lat\":29," + late + "}"))
        .hasMessageContaining("time='\"2026-11-24T01:00:00Z\"' is more than 5 minutes ahead");
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          gridmap/v1/devices/b/alarm    | not json                                          | payload   | line 1, column 1
          gridmap/v1/devices/b/alarm    | []                                                | payload   | is not a JSON object
          gridmap/v1/devices/b/alarm    | {"msg_id":"1","msg_id":"2","kind":"fall"}          | payload   | repeats the member "msg_id"
          gridmap/v1/devices/b/alarm    | {"kind":"fall"}                                   | msg_id    | msg_id=(missing) is required
          gridmap/v1/devices/b/alarm    | {"msg_id":17,"kind":"fall"}                       | msg_id    | msg_id='17' is invalid; expected a string of 1 to 64
          gridmap/v1/devices/b/alarm    | {"msg_id":"a b","kind":"fall"}                    | msg_id    | msg_id='"a b"' is invalid
          gridmap/v1/devices/b/alarm    | {"msg_id":"1"}                                    | kind      | kind=(missing) is required; expected one of heart_rate, fall, sos, smoke, low_battery
          gridmap/v1/devices/b/alarm    | {"msg_id":"1","kind":"flood"}                     | kind      | kind='"flood"' is invalid
          gridmap/v1/devices/b/alarm    | {"msg_id":"1","kind":"position"}                  | kind      | positions go to the position topic
          gridmap/v1/devices/b/alarm    | {"msg_id":"1","kind":"heart_rate"}                | value     | value=(missing) is required; expected the heart rate in beats per minute
          gridmap/v1/devices/b/alarm    | {"msg_id":"1","kind":"heart_rate","value":"40"}   | value     | value='"40"' is not a number
          gridmap/v1/devices/b/alarm    | {"msg_id":"1","kind":"heart_rate","value":400}    | value     | value='400' is out of range
          gridmap/v1/devices/b/alarm    | {"msg_id":"1","kind":"fall","lon":106}            | lat       | lat=(missing) is required; expected lon and lat together
          gridmap/v1/devices/b/alarm    | {"msg_id":"1","kind":"fall","lon":106,"lat":95}   | lat       | lat='95' is out of range; expected a number from -90 to 90
          gridmap/v1/devices/b/alarm    | {"msg_id":"1","kind":"fall","crs":"mars"}         | crs       | crs='"mars"' expected a coordinate reference system, one of wgs84
          gridmap/v1/devices/b/alarm    | {"msg_id":"1","kind":"fall","time":"yesterday"}   | time      | time='"yesterday"' is invalid; expected an RFC 3339 date-time
          gridmap/v1/devices/b/alarm    | {"msg_id":"1","kind":"fall","time":"2026-02-30T00:00:00Z"} | time | is no real date and time
          gridmap/v1/devices/b/alarm    | {"msg_id":"1","kind":"fall","battery":101}        | battery   | battery='101' is out of range; expected a number from 0 to 100
          gridmap/v1/devices/b/position | {"msg_id":"1"}                                    | lon       | lon=(missing) is required
          gridmap/v1/devices/b/position | {"msg_id":"1","kind":"fall","lon":1,"lat":1}      | kind      | kind='"fall"' is not a position's
          gridmap/v1/devices/b/battery  | {"msg_id":"1"}                                    | topic     | is not a device topic; expected gridmap/v1/devices/{device_id}/alarm or
          other/v1/devices/b/alarm      | {"msg_id":"1"}                                    | topic     | topic='other/v1/devices/b/alarm' is not a device topic
          gridmap/v1/devices/a b/alarm  | {"msg_id":"1","kind":"fall"}                      | device_id | device_id='a b' (in topic 'gridmap/v1/devices/a b/alarm') is invalid; expected 1 to 64 of
          """)
  void aMalformedMessageIsRefusedNamingTheField(
      String topic, String payload, String field, String message) {
    assertThatThrownBy(() -> parse(topic, payload))
        .isInstanceOfSatisfying(
            DeviceMessageException.class, e -> assertThat(e.field()).isEqualTo(field))
        .hasMessageContaining(message);
  }

  @Test
  void payloadsThatAreNotUtf8OrTooLongAreRefused() {
    assertThatThrownBy(
            () ->
                PARSER.parse("gridmap/v1/devices/b/alarm", new byte[] {'{', (byte) 0xC3, '}'}, NOW))
        .isInstanceOfSatisfying(
            DeviceMessageException.class, e -> assertThat(e.field()).isEqualTo("payload"))
        .hasMessageContaining("the payload is not UTF-8: byte 1 (0xC3)");
    byte[] big = new byte[DeviceMessageParser.MAX_PAYLOAD_BYTES + 1];
    assertThatThrownBy(() -> PARSER.parse("gridmap/v1/devices/b/alarm", big, NOW))
        .hasMessageContaining("the payload has 16385 bytes, more than the 16384 accepted");
    assertThatThrownBy(() -> PARSER.parse("gridmap/v1/devices/b/alarm", new byte[0], NOW))
        .hasMessageContaining("the payload is empty");
  }

  @Test
  void topicsFollowTheScheme() throws Exception {
    DeviceTopics t = new DeviceTopics("city/v1");
    assertThat(t.filters())
        .containsExactly("city/v1/devices/+/alarm", "city/v1/devices/+/position");
    assertThat(t.alarm("band-1")).isEqualTo("city/v1/devices/band-1/alarm");
    assertThat(t.parse(t.position("band-1"))).isEqualTo(new DeviceTopics.Parsed("band-1", false));
  }
}
