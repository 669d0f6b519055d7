package io.gridmap.server.devices;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.geo.ChinaCoordinates.Datum;
import io.gridmap.server.devices.DeviceMessage.Kind;
import io.gridmap.server.devices.DeviceSink.Outcome;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class DedupingSinkTest {
  private static DeviceMessage alarm(String device, String msgId) {
    Instant t = Instant.parse("2026-11-24T00:30:00Z");
    return new DeviceMessage(
        "gridmap/v1/devices/" + device + "/alarm",
        device,
        Kind.FALL,
        msgId,
        t,
        t,
        null,
        null,
        Datum.WGS84,
        null);
  }

  @Test
  void aMessageCommittedBeforeIsADuplicateWithoutAskingTheStore() throws Exception {
    RecordingSink store = new RecordingSink();
    DedupingSink sink = new DedupingSink(store, 10);
    assertThat(sink.accept(alarm("a", "1")).get()).isEqualTo(Outcome.APPLIED);
    assertThat(sink.accept(alarm("a", "1")).get()).isEqualTo(Outcome.DUPLICATE);
    assertThat(sink.accept(alarm("b", "1")).get()).isEqualTo(Outcome.APPLIED);
    assertThat(store.next().message().deviceId()).isEqualTo("a");
    assertThat(store.next().message().deviceId()).isEqualTo("b");
    assertThat(store.nextWithin(0)).isNull();
  }

  @Test
  void aCopyArrivingDuringTheWriteIsADuplicateOnceItCommits() throws Exception {
    RecordingSink store = new RecordingSink().holding();
    DedupingSink sink = new DedupingSink(store, 10);
    CompletableFuture<Outcome> first = sink.accept(alarm("a", "1"));
    CompletableFuture<Outcome> copy = sink.accept(alarm("a", "1"));
    CompletableFuture<Outcome> write = store.next().write();
    assertThat(store.nextWithin(0)).as("the copy is not written").isNull();
    assertThat(copy).isNotDone();
    write.complete(Outcome.APPLIED);
    assertThat(first.get()).isEqualTo(Outcome.APPLIED);
    assertThat(copy.get()).isEqualTo(Outcome.DUPLICATE);
  }

  @Test
  void aCopyArrivingDuringAWriteThatFailsFailsToo() throws Exception {
    RecordingSink store = new RecordingSink().holding();
    DedupingSink sink = new DedupingSink(store, 10);
    CompletableFuture<Outcome> first = sink.accept(alarm("a", "1"));
    CompletableFuture<Outcome> copy = sink.accept(alarm("a", "1"));
    store.next().write().completeExceptionally(new IllegalStateException("store down"));
    // acknowledging the copy would lose the alarm
    assertThat(first).isCompletedExceptionally();
    assertThat(copy).isCompletedExceptionally();
    // not remembered: the broker's redelivery is written
    store.behaving(m -> CompletableFuture.completedFuture(Outcome.APPLIED));
    assertThat(sink.accept(alarm("a", "1")).get()).isEqualTo(Outcome.APPLIED);
    assertThat(store.next().message().msgId()).isEqualTo("1");
  }

  @Test
  void theOldestKeysAreForgottenFirst() {
    MsgIds ids = new MsgIds(2);
    ids.add("a");
    ids.add("b");
    assertThat(ids.contains("a")).isTrue(); // a is now the most recent
    ids.add("c");
    assertThat(ids.contains("b")).isFalse();
    assertThat(ids.contains("a")).isTrue();
    assertThat(ids.contains("c")).isTrue();
    assertThat(ids.size()).isEqualTo(2);
  }
}
