package io.gridmap.server.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.gridmap.server.web.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Envelope;

/** Parsing and checking a posted batch, before the map is consulted. */
class PositionBatchTest {
  private static final Envelope CITY = new Envelope(105.0, 108.0, 29.0, 31.0);
  private static final long NOW = Instant.parse("2026-11-24T08:00:00Z").toEpochMilli();

  private static PositionBatch parse(String json) {
    return PositionBatch.parse(json.getBytes(StandardCharsets.UTF_8), CITY, NOW);
  }

  private static String collection(String... features) {
    return "{\"type\":\"FeatureCollection\",\"features\":[" + String.join(",", features) + "]}";
  }

  private static String point(String id, String coordinates, String properties) {
    return "{\"type\":\"Feature\""
        + (id == null ? "" : ",\"id\":" + id)
        + ",\"geometry\":{\"type\":\"Point\",\"coordinates\":"
        + coordinates
        + "}"
        + (properties == null ? "" : ",\"properties\":" + properties)
        + "}";
  }

  /** The 400 (or 413) a body is refused with, and its detail. */
  private static void refused(String json, int status, String... detail) {
    assertThatThrownBy(() -> parse(json))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).as(json).isEqualTo(status);
              assertThat(e.getMessage()).as(json).contains(detail);
            });
  }

  @Test
  void readsIdsCoordinatesDutyAndTimeWithTheirDefaults() {
    PositionBatch b =
        parse(
            collection(
                point(
                    "50010300100100100",
                    "[106.5712345, 29.5612345]",
                    "{\"on_duty\": true, \"time\": \"2026-11-24T15:59:00+08:00\", \"speed\": 3}"),
                point(null, "[106.6, 29.6, 310.5]", "{\"force_id\": \"50010300100100101\"}"),
                point("\"50010300100100102\"", "[106.7, 29.7]", null)));
    assertThat(b.positions()).hasSize(3);
    var a = b.positions().get(0);
    assertThat(a.forceId()).isEqualTo(50010300100100100L);
    assertThat(a.lon()).isEqualTo(106.5712345);
    assertThat(a.lat()).isEqualTo(29.5612345);
    assertThat(a.onDuty()).isTrue();
    assertThat(a.time()).isEqualTo(Instant.parse("2026-11-24T07:59:00Z").toEpochMilli());
    var c = b.positions().get(1);
    assertThat(c.forceId())
        .as("properties.force_id, as a string of digits")
        .isEqualTo(50010300100100101L);
    assertThat(c.onDuty()).as("absent: keep the force's").isNull();
    assertThat(c.time()).as("absent: now").isEqualTo(NOW);
    assertThat(b.positions().get(2).forceId()).isEqualTo(50010300100100102L);
    assertThat(b.positions().get(2).feature()).isEqualTo(2);
  }

  @Test
  void aTimeUpToFiveMinutesAheadIsAcceptedBeyondThatRefused() {
    assertThat(
            parse(collection(point("7", "[106, 30]", "{\"time\": \"2026-11-24T08:05:00Z\"}")))
                .positions())
        .hasSize(1);
    refused(
        collection(point("7", "[106, 30]", "{\"time\": \"2026-11-24T08:05:01Z\"}")),
        400,
        "features[0].properties.time",
        "future",
        "RFC 3339");
  }

  @Test
  void malformedBodiesNameTheFeatureTheValueAndTheForm() {
    String ok = point("7", "[106, 30]", null);
    refused("", 400, "empty");
    refused("not json", 400, "not JSON");
    refused("{\"type\":\"FeatureCollection\",\"features\":[" + ok + "]} trailing", 400, "not JSON");
    refused("[1,2]", 400, "not a JSON object");
    refused("{\"type\":\"Feature\"}", 400, "type=", "FeatureCollection");
    refused("{\"type\":\"FeatureCollection\"}", 400, "features=", "not an array");
    refused(collection(), 400, "features is empty");
    refused(collection(ok, "3"), 400, "features[1]='3'", "not a GeoJSON Feature");
    refused(
        collection(
            ok,
            "{\"type\":\"Feature\",\"id\":8,\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[106,30],[106.1,30]]}}"),
        400,
        "features[1].geometry=",
        "LineString",
        "Point");
    refused(
        collection(ok, point("8", "[106]", null)),
        400,
        "features[1].geometry.coordinates='[106]'",
        "[lon, lat]");
    refused(
        collection(ok, point("8", "[\"106\", 30]", null)), 400, "features[1].geometry.coordinates");
    refused(collection(ok, point("8", "[NaN, 30]", null)), 400, "not JSON");
    refused(
        collection(ok, point("8", "[1e400, 30]", null)),
        400,
        "features[1].geometry.coordinates='[Infinity,30]'",
        "outside the city",
        "within lon 105..108, lat 29..31");
    refused(
        collection(ok, point("8", "[200, 30]", null)),
        400,
        "features[1].geometry.coordinates='[200,30]'",
        "outside the city");
    refused(
        collection(ok, point("8", "[106, -95]", null)),
        400,
        "features[1].geometry.coordinates='[106,-95]'");
    refused(collection(ok, point(null, "[106, 30]", null)), 400, "features[1] has no force id");
    refused(
        collection(ok, point("1.5", "[106, 30]", null)),
        400,
        "features[1].id='1.5'",
        "positive integer");
    refused(collection(ok, point("-3", "[106, 30]", null)), 400, "features[1].id='-3'");
    refused(collection(ok, point("\"x1\"", "[106, 30]", null)), 400, "features[1].id='\"x1\"'");
    refused(
        collection(ok, point("8", "[106, 30]", "{\"force_id\": 9}")),
        400,
        "features[1].id=8 and properties.force_id=9 disagree");
    refused(collection(ok, point("8", "[106, 30]", "[]")), 400, "features[1].properties='[]'");
    refused(
        collection(ok, point("8", "[106, 30]", "{\"on_duty\": \"yes\"}")),
        400,
        "features[1].properties.on_duty='\"yes\"'",
        "true or false");
    refused(
        collection(ok, point("8", "[106, 30]", "{\"time\": \"yesterday\"}")),
        400,
        "features[1].properties.time='yesterday'",
        "RFC 3339");
    refused(
        collection(ok, point("8", "[106, 30]", "{\"time\": 1764000000000}")),
        400,
        "features[1].properties.time='1764000000000'");
  }

  @Test
  void moreThanTheBatchLimitIs413NamingTheLimit() {
    String[] many = new String[PositionBatch.MAX_POSITIONS + 1];
    java.util.Arrays.fill(many, point("7", "[106, 30]", null));
    refused(collection(many), 413, "5001", "5000");
    String[] limit = java.util.Arrays.copyOf(many, PositionBatch.MAX_POSITIONS);
    assertThat(parse(collection(limit)).positions()).hasSize(PositionBatch.MAX_POSITIONS);
  }

  @Test
  void positionsInGcj02AreTakenBackToWgs84AndThenHeldToTheCity() {
    var datum = io.gridmap.layers.geo.ChinaCoordinates.Datum.GCJ02;
    var mars = io.gridmap.layers.geo.ChinaCoordinates.fromWgs84(datum, 106.5712345, 29.5612345);
    PositionBatch b =
        PositionBatch.parse(
            collection(point("7", "[" + mars.lon() + ", " + mars.lat() + "]", null))
                .getBytes(StandardCharsets.UTF_8),
            CITY,
            NOW,
            datum);
    assertThat(b.positions().get(0).lon()).isCloseTo(106.5712345, within(1e-7));
    assertThat(b.positions().get(0).lat()).isCloseTo(29.5612345, within(1e-7));
    assertThatThrownBy(
            () ->
                PositionBatch.parse(
                    collection(point("7", "[120.0, 30.0]", null)).getBytes(StandardCharsets.UTF_8),
                    CITY,
                    NOW,
                    datum))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("once converted from GCJ02");
  }
}
