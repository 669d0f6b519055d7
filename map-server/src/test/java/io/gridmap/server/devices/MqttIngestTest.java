package io.gridmap.server.devices;

import static io.gridmap.server.devices.TestMqtt.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.server.config.MqttSettings;
import io.gridmap.server.devices.DeviceSink.Outcome;
import io.gridmap.server.devices.RecordingSink.Taken;
import io.gridmap.server.ops.ServerMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ingest against the real Mosquitto ({@link TestMqtt}): what the broker redelivers proves what
 * was acknowledged. Each test has its own client id and topics, and leaves no session behind.
 */
class MqttIngestTest {
  private static Vertx vertx;
  private static TestMqtt.Publisher devices;

  private MqttSettings settings;
  private DeviceTopics topics;
  private final List<MqttIngest> ingests = new ArrayList<>();

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
    devices = new TestMqtt.Publisher(vertx);
  }

  @AfterAll
  static void stopVertx() {
    devices.close();
    await(vertx.close());
  }

  @BeforeEach
  void freshSession() {
    settings = TestMqtt.freshSettings();
    topics = new DeviceTopics(settings.topicPrefix());
  }

  @AfterEach
  void forgetSession() {
    for (MqttIngest i : ingests) {
      await(i.close(Duration.ZERO));
    }
    TestMqtt.forgetSession(vertx, settings.clientId());
  }

  /** An ingest under this test's client id, started and subscribed. */
  private MqttIngest started(DeviceSink sink) {
    MqttIngest i = new MqttIngest(vertx, settings, sink);
    ingests.add(i);
    await(i.start());
    return i;
  }

  private static String alarm(String msgId, String kind) {
    return "{\"msg_id\":\"" + msgId + "\",\"kind\":\"" + kind + "\"}";
  }

  private static void eventually(String what, BooleanSupplier condition) throws Exception {
    long end = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within 10 s: " + what);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void anAlarmIsAcknowledgedOnlyOnceItsWriteHasCommitted() throws Exception {
    RecordingSink first = new RecordingSink().holding();
    MqttIngest a = started(first);
    devices.publish(topics.alarm("band-7"), alarm("m-1", "fall"));

    Taken t = first.next();
    assertThat(t.message().deviceId()).isEqualTo("band-7");
    assertThat(t.message().kind()).isEqualTo(DeviceMessage.Kind.FALL);
    assertThat(t.message().msgId()).isEqualTo("m-1");
    assertThat(a.stats().acked()).isZero();
    // the server stops before the write commits: nothing was acknowledged, so the broker must
    // deliver the alarm again to the next connection under the same client id
    await(a.close(Duration.ofMillis(100)));

    RecordingSink second = new RecordingSink().holding();
    MqttIngest b = started(second);
    Taken again = second.next();
    assertThat(again.message().msgId()).isEqualTo("m-1");
    assertThat(b.stats().redelivered()).isEqualTo(1);
    again.write().complete(Outcome.APPLIED);
    eventually("the PUBACK is sent once the write commits", () -> b.stats().acked() == 1);
    await(b.close());

    // acknowledged: a third connection gets only what is published next, not the alarm again
    RecordingSink third = new RecordingSink();
    started(third);
    devices.publish(topics.alarm("band-7"), alarm("m-2", "sos"));
    assertThat(third.next().message().msgId()).isEqualTo("m-2");
  }

  @Test
  void alarmsPublishedWhileTheServerIsDownArriveWhenItStartsAgain() throws Exception {
    MqttIngest a = started(new RecordingSink());
    await(a.close());

    devices.publish(topics.alarm("band-1"), alarm("d-1", "fall"));
    devices.publish(
        topics.alarm("smoke-3"), "{\"msg_id\":\"d-2\",\"kind\":\"smoke\",\"value\":12.5}");
    devices.publish(topics.position("band-1"), "{\"msg_id\":\"d-3\",\"lon\":106.55,\"lat\":29.56}");

    RecordingSink sink = new RecordingSink();
    MqttIngest b = started(sink);
    assertThat(List.of(sink.next(), sink.next(), sink.next()))
        .extracting(x -> x.message().deviceId() + "/" + x.message().msgId())
        .containsExactly("band-1/d-1", "smoke-3/d-2", "band-1/d-3");
    eventually("all three acknowledged", () -> b.stats().acked() == 3);
  }

  @Test
  void duplicatesByMsgIdAreDroppedBeforeTheStore() throws Exception {
    RecordingSink store = new RecordingSink();
    MqttIngest i = started(new DedupingSink(store));
    devices.publish(topics.alarm("band-2"), alarm("same", "fall"));
    devices.publish(topics.alarm("band-2"), alarm("same", "fall"));
    // the same msg_id from another device is another message
    devices.publish(topics.alarm("band-3"), alarm("same", "fall"));
    devices.publish(topics.alarm("band-2"), alarm("next", "fall"));

    assertThat(List.of(store.next(), store.next(), store.next()))
        .extracting(x -> x.message().requestKey())
        .containsExactly("device:band-2:same", "device:band-3:same", "device:band-2:next");
    eventually("all four acknowledged", () -> i.stats().acked() == 4);
    assertThat(i.stats().duplicates()).isEqualTo(1);
    assertThat(i.stats().applied()).isEqualTo(3);
  }

  @Test
  void malformedMessagesAreCountedLoggedWithTheirTopicAndSkipped() throws Exception {
    ServerMetrics metrics = new ServerMetrics();
    RecordingSink sink = new RecordingSink();
    MqttIngest i = started(sink);
    i.bindMetrics(metrics);

    PrintStream err = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    try {
      devices.publish(topics.alarm("band-4"), "not json");
      devices.publish(topics.alarm("band-4"), "{\"kind\":\"fall\"}");
      devices.publish(topics.alarm("bad id!"), alarm("x", "fall"));
      devices.publish(topics.alarm("band-4"), Buffer.buffer(new byte[] {(byte) 0xff, '{', '}'}));
      // past the parser's limit, and past the 8092 bytes Netty's MQTT decoder takes by default
      devices.publish(topics.alarm("band-4"), "{\"msg_id\":\"" + "x".repeat(20_000) + "\"}");
      devices.publish(topics.alarm("band-4"), alarm("ok", "fall"));
      assertThat(sink.next().message().msgId()).isEqualTo("ok");
      eventually("all six acknowledged", () -> i.stats().acked() == 6);
    } finally {
      System.setErr(err);
    }
    assertThat(i.stats().malformed()).isEqualTo(5);
    assertThat(metrics.registry().scrape())
        .contains("mqtt_messages_malformed_total 5.0", "mqtt_messages_acked_total 6.0");
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains("topic " + topics.alarm("band-4"))
        .contains("msg_id=(missing) is required")
        .contains("device_id='bad id!'")
        .contains("not UTF-8")
        .contains("the payload has 20013 bytes, more than the 16384 accepted");
  }

  @Test
  void itConnectsAgainWhenItsConnectionIsTakenAndMissesNothing() throws Exception {
    RecordingSink sink = new RecordingSink();
    MqttIngest i = started(sink);
    assertThat(i.stats().connections()).isEqualTo(1);

    // another connection under the same client id: Mosquitto closes the ingest's
    TestMqtt.takeOver(vertx, settings.clientId());
    devices.publish(topics.alarm("band-5"), alarm("after-drop", "sos"));

    assertThat(sink.next().message().msgId()).isEqualTo("after-drop");
    eventually("connected again", () -> i.stats().connections() == 2 && i.stats().connected());
  }

  @Test
  void aFailedWriteIsNotAcknowledgedAndTheBrokerDeliversItAgain() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    RecordingSink sink =
        new RecordingSink()
            .behaving(
                m ->
                    calls.incrementAndGet() == 1
                        ? CompletableFuture.failedFuture(new IllegalStateException("store down"))
                        : CompletableFuture.completedFuture(Outcome.APPLIED));
    MqttIngest i = started(sink);
    devices.publish(topics.alarm("band-6"), alarm("retry-me", "fall"));

    // the write fails: no PUBACK, the ingest reconnects and the broker sends the alarm again
    assertThat(sink.next().message().msgId()).isEqualTo("retry-me");
    assertThat(sink.next().message().msgId()).isEqualTo("retry-me");
    eventually("acknowledged after the retry", () -> i.stats().acked() == 1);
    assertThat(i.stats().sinkFailures()).isEqualTo(1);
    // the broker may send the queued alarm before the connect's own completion is counted
    eventually("counted as redelivered", () -> i.stats().redelivered() == 1);
    eventually("connected a second time", () -> i.stats().connections() == 2);
  }

  @Test
  void acknowledgementsGoOutInArrivalOrder() throws Exception {
    RecordingSink sink = new RecordingSink().holding();
    MqttIngest a = started(sink);
    devices.publish(topics.alarm("band-8"), alarm("first", "fall"));
    devices.publish(topics.alarm("band-8"), alarm("second", "fall"));
    Taken first = sink.next();
    Taken second = sink.next();
    // the second commits, the first never does: the second's PUBACK waits behind the first's
    second.write().complete(Outcome.APPLIED);
    await(a.close(Duration.ofMillis(100)));
    assertThat(a.stats().acked()).isZero();

    RecordingSink next = new RecordingSink();
    started(next);
    assertThat(List.of(next.next(), next.next()))
        .extracting(x -> x.message().msgId())
        .containsExactly("first", "second");
    assertThat(first.write()).isNotDone();
  }

  @Test
  void closingWaitsForWritesUnderWayAndAcknowledgesThem() throws Exception {
    RecordingSink sink = new RecordingSink().holding();
    MqttIngest a = started(sink);
    devices.publish(topics.alarm("band-9"), alarm("in-progress", "fall"));
    Taken t = sink.next();
    var closing = a.close(Duration.ofSeconds(10));
    assertThat(closing.isComplete()).isFalse();
    t.write().complete(Outcome.APPLIED);
    await(closing);
    assertThat(a.stats().acked()).isEqualTo(1);

    RecordingSink next = new RecordingSink();
    started(next);
    devices.publish(topics.alarm("band-9"), alarm("marker", "fall"));
    assertThat(next.next().message().msgId()).isEqualTo("marker");
  }

  @Test
  void theBackoffDoublesFromOneSecondToThirty() {
    assertThat(
            java.util.stream.IntStream.range(0, 9)
                .mapToObj(MqttIngest::backoff)
                .map(Duration::toSeconds))
        .containsExactly(1L, 1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L);
  }
}
