package io.gridmap.bench.live;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every change the server accepted, by what identifies it on the live stream: the feature's id and
 * the time the load put into it (a position's {@code time}, which comes back as the force's {@code
 * updated_at}; the epoch milliseconds in a transition's {@code note}). A change counts once the
 * server answered 200 (HTTP) or the broker acknowledged the publish (MQTT).
 */
final class Ledger {

  /** Where a change came from. */
  enum Source {
    HTTP_POSITION("positions over HTTP"),
    MQTT_POSITION("positions over MQTT"),
    TRANSITION("incident transitions over HTTP");

    final String label;

    Source(String label) {
      this.label = label;
    }
  }

  /** A change as the stream identifies it. */
  record Key(long id, long time) {}

  /**
   * A change accepted.
   *
   * @param area the subscriber that must receive it
   * @param sentAt when the load sent it (epoch ms): its time, so latency is receive time minus it
   * @param phase the phase it was sent in
   */
  record Sent(Source source, int area, long sentAt, int phase) {}

  final Map<Key, Sent> accepted = new ConcurrentHashMap<>();

  /** Per phase (LiveLoad.WARMUP to AFTER) and source: changes accepted. */
  final LongAdder[][] acceptedCount = perPhaseAndSource();

  /** A counter per phase and source, for the ledger and the driver. */
  static LongAdder[][] perPhaseAndSource() {
    LongAdder[][] a = new LongAdder[LiveLoad.PHASES][Source.values().length];
    for (LongAdder[] row : a) {
      for (int i = 0; i < row.length; i++) {
        row[i] = new LongAdder();
      }
    }
    return a;
  }

  void accept(Key key, Sent sent) {
    accepted.put(key, sent);
    acceptedCount[sent.phase()][sent.source().ordinal()].increment();
  }
}
