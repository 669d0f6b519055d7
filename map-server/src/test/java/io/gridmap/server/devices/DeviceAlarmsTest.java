package io.gridmap.server.devices;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridmap.layers.edit.Change;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Feature;
import io.gridmap.server.config.MqttSettings;
import io.gridmap.server.security.Principal;
import io.gridmap.server.security.Role;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import io.gridmap.server.write.Writer;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A wristband's alarm published to the real Mosquitto becomes an urgent, personal incident at the
 * home it is registered to; the same msg_id again writes nothing; a forces tracker's position moves
 * its force; a malformed message is counted and does not stop the next one.
 */
class DeviceAlarmsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestServer server;
  private static Vertx vertx;
  private static MqttSettings mqtt;
  private static Feature home;
  private static final String DEVICE = TestMqtt.unique("wb");

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    mqtt = TestMqtt.freshSettings();
    Map<String, String> settings = new HashMap<>();
    settings.put("rate_limit_per_s", "100000");
    settings.put("rate_limit_burst", "100000");
    settings.put("mqtt_url", mqtt.url());
    settings.put("mqtt_client_id", mqtt.clientId());
    settings.put("mqtt_topic_prefix", mqtt.topicPrefix());
    server = TestServer.startWithStore(TestCity.small(), settings);
    // a new session: the broker keeps messages for it only once it has subscribed
    long end = System.currentTimeMillis() + 10_000;
    while (!server
            .getText("/metrics", "Authorization", server.bearer(Role.ADMIN, ""))
            .body()
            .matches("(?s).*mqtt_connected(\\{[^}]*\\})? 1(\\.0)?\\b.*")
        && System.currentTimeMillis() < end) {
      Thread.sleep(100);
    }
    // register the wristband at a home: an edit of the key site's devices, as an operator's would
    // be
    home =
        TestCity.small().layer("key_sites").features().stream()
            .filter(Feature::personal)
            .findFirst()
            .orElseThrow();
    int devices = Catalogue.KEY_SITES.fieldIndex("devices");
    server
        .server()
        .writer()
        .submit(
            new Writer.Write(
                new Principal("operator", Role.ADMIN, "", "test"),
                "device.register",
                "key_sites",
                current -> {
                  Feature f = current.layer("key_sites").byId(home.id()).orElseThrow();
                  Object[] v = f.values().clone();
                  v[devices] = DEVICE;
                  return Change.of(
                      "key_sites",
                      List.of(
                          new Change.Replacement(
                              f, new Feature(f.id(), f.geometry(), v, f.personal()))));
                }))
        .get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    TestMqtt.forgetSession(vertx, mqtt.clientId());
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  private static String topic(String device, String kind) {
    return mqtt.topicPrefix() + "/devices/" + device + "/" + kind;
  }

  private static String siteGrid() {
    return home.string(Catalogue.KEY_SITES.fieldIndex("grid_code"));
  }

  /** The staff panel's alarms of the home's grid from this device. */
  private static List<JsonNode> alarms() throws Exception {
    JsonNode panel =
        JSON.readTree(
            server
                .getText(
                    "/incidents/panel?unit=" + siteGrid(),
                    "Authorization",
                    server.bearer(Role.COMMANDER, ""))
                .body());
    List<JsonNode> out = new java.util.ArrayList<>();
    panel
        .get("items")
        .forEach(
            i -> {
              if ("wristband_alarm".equals(i.get("category").asText())) {
                out.add(i);
              }
            });
    return out;
  }

  private static List<JsonNode> waitForAlarms(int n) throws Exception {
    long end = System.currentTimeMillis() + 10_000;
    List<JsonNode> a = alarms();
    while (a.size() < n && System.currentTimeMillis() < end) {
      Thread.sleep(100);
      a = alarms();
    }
    return a;
  }

  @Test
  void anAlarmBecomesAnUrgentPersonalIncidentAtTheHomeOnceHoweverOftenItComes() throws Exception {
    try (TestMqtt.Publisher pub = new TestMqtt.Publisher(vertx)) {
      pub.publish(
          topic(DEVICE, "alarm"),
          "{\"msg_id\":\"m-1\",\"kind\":\"heart_rate\",\"value\":38,\"time\":\""
              + java.time.Instant.now()
              + "\"}");
      List<JsonNode> first = waitForAlarms(1);
      assertThat(first).hasSize(1);
      JsonNode a = first.get(0);
      assertThat(a.get("urgency").asText()).isEqualTo("urgent");
      assertThat(a.get("key_person").asBoolean()).isTrue();
      assertThat(a.get("description").asText()).contains("心率 38");
      long id = a.get("id").asLong();
      JsonNode item =
          JSON.readTree(
              server
                  .getText(
                      "/collections/events/items/" + id,
                      "Authorization",
                      server.bearer(Role.COMMANDER, ""))
                  .body());
      assertThat(item.at("/properties/site_id").asLong()).isEqualTo(home.id());
      assertThat(item.at("/properties/source").asText()).isEqualTo("device");
      assertThat(item.at("/properties/device_id").asText()).isEqualTo(DEVICE);
      assertThat(server.getText("/collections/events/items/" + id).statusCode())
          .as("a person at home: not public")
          .isEqualTo(404);

      // the same msg_id again (a device's retry, a redelivery), garbage, then a new alarm
      pub.publish(
          topic(DEVICE, "alarm"), "{\"msg_id\":\"m-1\",\"kind\":\"heart_rate\",\"value\":38}");
      pub.publish(topic(DEVICE, "alarm"), "{\"kind\":\"fall\"}");
      pub.publish(topic(DEVICE, "alarm"), "{\"msg_id\":\"m-2\",\"kind\":\"fall\"}");
      List<JsonNode> after = waitForAlarms(2);
      assertThat(after).hasSize(2);
      assertThat(after).extracting(j -> j.get("description").asText()).contains("手环告警：跌倒");
      String metrics =
          server.getText("/metrics", "Authorization", server.bearer(Role.ADMIN, "")).body();
      assertThat(metrics).containsPattern("mqtt_messages_malformed_total(\\{[^}]*\\})? [1-9]");
      assertThat(metrics).containsPattern("mqtt_messages_duplicate_total(\\{[^}]*\\})? [1-9]");
    }
  }

  @Test
  void aForceTrackersPositionMovesItsForce() throws Exception {
    Feature force =
        TestCity.small().layer("forces").features().stream()
            .filter(f -> f.string(Catalogue.FORCES.fieldIndex("grid_code")).startsWith("500153"))
            .findFirst()
            .orElseThrow();
    double lon = force.geometry().getCoordinate().x + 0.0005;
    double lat = force.geometry().getCoordinate().y + 0.0005;
    try (TestMqtt.Publisher pub = new TestMqtt.Publisher(vertx)) {
      pub.publish(
          topic("force-" + force.id(), "position"),
          "{\"msg_id\":\"p-1\",\"lon\":" + lon + ",\"lat\":" + lat + "}");
    }
    long end = System.currentTimeMillis() + 10_000;
    JsonNode c = null;
    while (System.currentTimeMillis() < end) {
      c =
          JSON.readTree(server.getText("/collections/forces/items/" + force.id()).body())
              .at("/geometry/coordinates");
      if (Math.abs(c.get(0).asDouble() - lon) < 1e-6) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(c.get(0).asDouble()).isCloseTo(lon, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(c.get(1).asDouble()).isCloseTo(lat, org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void undatedTrackerPositionsReadWithinOneMillisecondAreAllTakenInOrder() throws Exception {
    Feature force =
        TestCity.small().layer("forces").features().stream()
            .filter(f -> f.string(Catalogue.FORCES.fieldIndex("grid_code")).startsWith("500153"))
            .skip(1)
            .findFirst()
            .orElseThrow();
    io.gridmap.server.web.Loaded<Writer> writer = new io.gridmap.server.web.Loaded<>();
    writer.complete(server.server().writer());
    DeviceWrites writes = new DeviceWrites(null, writer);
    DeviceMessageParser parser = new DeviceMessageParser(new DeviceTopics(mqtt.topicPrefix()));
    // a burst the broker kept for the device, read in one millisecond: no time of their own
    java.time.Instant read = java.time.Instant.now();
    double lon = force.geometry().getCoordinate().x;
    double lat = force.geometry().getCoordinate().y;
    for (int i = 1; i <= 5; i++) {
      DeviceMessage m =
          parser.parse(
              topic("force-" + force.id(), "position"),
              ("{\"msg_id\":\"b-" + i + "\",\"lon\":" + (lon + i * 1e-4) + ",\"lat\":" + lat + "}")
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8),
              read);
      assertThat(writes.accept(m).get(10, TimeUnit.SECONDS))
          .as("position " + i + " of the burst")
          .isEqualTo(DeviceSink.Outcome.APPLIED);
    }
    JsonNode c =
        JSON.readTree(server.getText("/collections/forces/items/" + force.id()).body())
            .at("/geometry/coordinates");
    assertThat(c.get(0).asDouble())
        .isCloseTo(lon + 5e-4, org.assertj.core.data.Offset.offset(1e-7));
  }
}
