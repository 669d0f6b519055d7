package io.gridmap.server.edit.schedule;

import io.gridmap.layers.schedule.ScheduledEdit;
import io.gridmap.layers.schedule.ScheduledEdits;
import io.gridmap.server.security.Principal;
import io.gridmap.server.security.Role;
import io.gridmap.server.security.ScheduledCallers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies scheduled edits at their instant: every {@code poll} the node whose turn it is to write
 * takes the edits due, oldest instant first (so edits overdue after a stop are applied at start, in
 * order), claims each with one conditional update in the store (never applied twice, by two nodes
 * or by two passes), and replays its request to this server over HTTP as the planner who sent it
 * ({@link ScheduledCallers}). The same handler then checks scope, If-Match and every rule against
 * the map as it is now: a grid changed since the planner read it answers 412 and the edit is
 * recorded {@code failed} with that problem; else {@code applied} with its change-log position.
 *
 * <p>Why a replay through HTTP and not a call into the handlers: every edit, those added later too,
 * goes through one path with its own parsing, access rule and answer, and a scheduled edit then
 * takes exactly that path, with no second way to write that could drift from the first.
 */
public final class EditScheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EditScheduler.class);

  /** Edits taken per pass; more wait for the next pass. */
  static final int BATCH = 100;

  /** How long one replay may wait for its answer before it is recorded failed. */
  static final Duration REPLAY_TIMEOUT = Duration.ofSeconds(120);

  /**
   * A claim this old is a server's that stopped between claim and outcome: a replay of a live one
   * has its outcome within {@link #REPLAY_TIMEOUT}.
   */
  static final Duration STALE_CLAIM = REPLAY_TIMEOUT.multipliedBy(3);

  private final Vertx vertx;
  private final WorkerExecutor pool;
  private final ScheduledEdits edits;
  private final ScheduledCallers callers;
  private final HttpClient http;
  private final String host;
  private final Supplier<Integer> port;
  private final BooleanSupplier writes;
  private final long timer;
  private volatile boolean running;

  /**
   * Looks for due edits now, then every {@code poll}.
   *
   * @param host the address this server is reached at from itself
   * @param port this server's port
   * @param writes whether this node holds the turn to write
   */
  public EditScheduler(
      Vertx vertx,
      WorkerExecutor pool,
      ScheduledEdits edits,
      ScheduledCallers callers,
      String host,
      Supplier<Integer> port,
      BooleanSupplier writes,
      Duration poll) {
    this.vertx = vertx;
    this.pool = pool;
    this.edits = edits;
    this.callers = callers;
    this.host = host;
    this.port = port;
    this.writes = writes;
    this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
    this.timer = vertx.setPeriodic(1, poll.toMillis(), id -> pass());
  }

  /** The host a server listening on {@code host} reaches itself at. */
  public static String selfHost(String host) {
    return host.isBlank() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")
        ? "127.0.0.1"
        : host;
  }

  private void pass() {
    if (running || !writes.getAsBoolean()) {
      return;
    }
    running = true;
    pool.<List<ScheduledEdit>>executeBlocking(
            () -> {
              // a claim older than any replay can last was made by a server that stopped
              Instant now = Instant.now();
              int lost = edits.interrupt(now.minus(STALE_CLAIM), now);
              if (lost > 0) {
                LOG.warn(
                    "scheduled edits: {} left applying by a server that stopped, marked"
                        + " interrupted (not tried again)",
                    lost);
              }
              return edits.due(now, BATCH);
            },
            false)
        .compose(due -> applyInOrder(due, 0))
        .onFailure(e -> LOG.warn("scheduled edits: {}", e.getMessage()))
        .onComplete(ar -> running = false);
  }

  private Future<Void> applyInOrder(List<ScheduledEdit> due, int i) {
    if (i == due.size() || !writes.getAsBoolean()) {
      return Future.succeededFuture();
    }
    ScheduledEdit e = due.get(i);
    return pool.executeBlocking(() -> edits.claim(e.id(), Instant.now()), false)
        .compose(claimed -> claimed ? apply(e) : Future.succeededFuture())
        .compose(v -> applyInOrder(due, i + 1));
  }

  /** Replays a claimed edit and records what became of it. */
  private Future<Void> apply(ScheduledEdit e) {
    Principal who;
    try {
      Role role =
          Role.ofCode(e.role())
              .orElseThrow(() -> new IllegalArgumentException("no role " + e.role() + " any more"));
      who = new Principal(e.subject(), role, e.scope(), ScheduledCallers.VIA);
    } catch (IllegalArgumentException bad) {
      return record(e, ScheduledEdit.FAILED, null, problem(403, bad.getMessage()));
    }
    callers.expect(e.id(), who, e.method(), e.path());
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.valueOf(e.method()))
            .setHost(host)
            .setPort(port.get())
            .setURI(e.path() + (e.query().isEmpty() ? "" : "?" + e.query()))
            .setTimeout(REPLAY_TIMEOUT.toMillis())
            .putHeader(ScheduledCallers.HEADER, callers.header(e.id()));
    if (e.contentType() != null) {
      options.putHeader("Content-Type", e.contentType());
    }
    if (e.ifMatch() != null) {
      options.putHeader("If-Match", e.ifMatch());
    }
    Buffer body = e.body() == null ? Buffer.buffer() : Buffer.buffer(e.body());
    return http.request(options)
        .compose(req -> req.send(body))
        .compose(
            res ->
                res.body()
                    .map(
                        b -> new Answer(res.statusCode(), res.getHeader(Scheduling.SEQ_HEADER), b)))
        .eventually(
            () -> {
              callers.done(e.id());
              return Future.succeededFuture();
            })
        .transform(
            ar -> {
              if (ar.failed()) {
                return record(
                    e,
                    ScheduledEdit.FAILED,
                    null,
                    problem(
                        503,
                        "no answer from this server to the replay ("
                            + ar.cause().getMessage()
                            + "); whether it was written shows in the history of the features it"
                            + " edits"));
              }
              Answer a = ar.result();
              if (a.status() / 100 == 2) {
                Long seq = a.seq() == null ? null : Long.valueOf(a.seq());
                return record(
                    e, ScheduledEdit.APPLIED, seq, new JsonObject().put("status", a.status()));
              }
              return record(e, ScheduledEdit.FAILED, null, asProblem(a));
            });
  }

  private record Answer(int status, String seq, Buffer body) {}

  private Future<Void> record(ScheduledEdit e, String status, Long seq, JsonObject outcome) {
    LOG.info(
        "scheduled edit {} ({} {} by {}, effective {}): {}{}",
        e.id(),
        e.method(),
        e.path(),
        e.subject(),
        e.effective(),
        status,
        status.equals(ScheduledEdit.APPLIED) ? "" : " " + outcome.encode());
    return pool.executeBlocking(
        () -> {
          edits.finish(e.id(), status, seq, outcome.encode(), Instant.now());
          return null;
        },
        false);
  }

  private static JsonObject asProblem(Answer a) {
    try {
      JsonObject p = new JsonObject(a.body());
      if (!p.containsKey("status")) {
        p.put("status", a.status());
      }
      return p;
    } catch (DecodeException | ClassCastException e) {
      return problem(a.status(), a.body().toString());
    }
  }

  private static JsonObject problem(int status, String detail) {
    return new JsonObject().put("status", status).put("detail", detail);
  }

  @Override
  public void close() {
    vertx.cancelTimer(timer);
    http.close();
  }
}
