package io.gridmap.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.Stores;
import io.gridmap.layers.testing.TestDatasets;
import io.gridmap.layers.testing.TestPostgis;
import io.gridmap.server.config.MqttSettings;
import io.gridmap.server.devices.TestMqtt;
import io.gridmap.server.testing.ServerProcess;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MQTT ingest on two nodes configured alike (one broker, one client id): only the node whose turn
 * it is to write holds the broker's session; when it dies, the next writer connects with that
 * session and takes what the devices published meanwhile. Separate processes and the real Mosquitto
 * ({@link TestMqtt}).
 */
@Tag("slow")
class ClusterMqttTest {
  private static final int TURN_S = 4;
  private static final Pattern CONNECTED =
      Pattern.compile("(?m)^\\S*mqtt_connected(?:\\{[^}]*\\})? ([0-9.]+)");

  @TempDir Path dir;
  private final String schema = TestPostgis.newSchema();
  private final List<ServerProcess> nodes = new ArrayList<>();
  private final Vertx vertx = Vertx.vertx();
  private final MqttSettings mqtt = TestMqtt.freshSettings();

  @AfterEach
  void stop() throws Exception {
    nodes.forEach(ServerProcess::close);
    TestPostgis.drop(schema);
    TestMqtt.forgetSession(vertx, mqtt.clientId());
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void onlyTheWriterTakesDeviceMessagesAndTheNextWriterGetsWhatCameMeanwhile() throws Exception {
    String url = TestPostgis.storeUrl(schema);
    try (FeatureStore s = Stores.open(url)) {
      s.write(TestDatasets.tiny());
    }
    List<Integer> ports = ServerProcess.freePorts(2);
    for (int i = 0; i < 2; i++) {
      Path config = ServerProcess.clusterConfig(dir, i, ports, TURN_S);
      Files.writeString(
          config,
          String.join(
              "\n",
              "mqtt_url = " + mqtt.url(),
              "mqtt_client_id = " + mqtt.clientId(),
              "mqtt_topic_prefix = " + mqtt.topicPrefix(),
              ""),
          StandardOpenOption.APPEND);
      nodes.add(ServerProcess.start(url, config, List.of("-Xmx512m")));
    }
    ServerProcess a = nodes.get(0);
    ServerProcess b = nodes.get(1);
    b.awaitLog("Members {size:2");
    awaitConnected(a, 1);
    Thread.sleep(3_000); // a node that also connected would take the session within this
    assertThat(connected(b)).as("the node that does not write holds no MQTT connection").isZero();
    assertThat(connected(a)).as("the writer keeps the session").isEqualTo(1);

    try (TestMqtt.Publisher devices = new TestMqtt.Publisher(vertx)) {
      devices.publish(position(1), "{\"msg_id\":\"p-1\",\"lon\":106.0141,\"lat\":29.0141}");
      awaitPosition(a, 1, "106.0141,29.0141");
      awaitPosition(b, 1, "106.0141,29.0141");

      a.kill();
      // published while no node writes: the broker keeps them in the session
      for (int i = 0; i < 10; i++) {
        double lon = 106.02 + i * 1e-4;
        devices.publish(
            position(2), "{\"msg_id\":\"q-" + i + "\",\"lon\":" + lon + ",\"lat\":29.03}");
      }
    }
    awaitConnected(b, 10 + TURN_S);
    awaitPosition(b, 2, "106.0209,29.03");
  }

  private String position(long force) {
    return mqtt.topicPrefix() + "/devices/force-" + force + "/position";
  }

  private static double connected(ServerProcess node) throws Exception {
    String metrics = node.get("/metrics").body();
    Matcher m = CONNECTED.matcher(metrics);
    assertThat(m.find()).as("mqtt_connected in /metrics").isTrue();
    return Double.parseDouble(m.group(1));
  }

  private static void awaitConnected(ServerProcess node, int seconds) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (connected(node) != 1 && System.nanoTime() < end) {
      Thread.sleep(100);
    }
    assertThat(connected(node)).as("connected to the broker within " + seconds + " s").isEqualTo(1);
  }

  private static void awaitPosition(ServerProcess node, long force, String expected)
      throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    String seen = "";
    while (!seen.equals(expected) && System.nanoTime() < end) {
      seen = node.position(force);
      if (!seen.equals(expected)) {
        Thread.sleep(100);
      }
    }
    assertThat(seen).as("force " + force + " on " + node.base).isEqualTo(expected);
  }
}
