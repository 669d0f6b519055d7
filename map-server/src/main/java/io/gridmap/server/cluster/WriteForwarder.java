package io.gridmap.server.cluster;

import io.gridmap.layers.store.NotTheWriterException;
import io.gridmap.server.web.ClientAddress;
import io.gridmap.server.web.Routes;
import io.gridmap.server.write.ExternalChanges;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a write this node could not make, because another node holds the turn to write, to that
 * node (its URL from the store, {@code nodes} table) and answers the client with that node's
 * answer, but only once this node shows the change itself (its change-log position, which the
 * writer names in {@link #POSITION}, is visible here): a client that writes through one node and
 * then reads from it sees its own write. The request goes as it came (method, target, headers,
 * body), so the writer checks its credentials, its body and its preconditions as for any client. A
 * forwarded request is never forwarded again: when the turn moved meanwhile it is answered 503 with
 * Retry-After, like a write while no node holds the turn.
 */
public final class WriteForwarder {
  private static final Logger LOG = LoggerFactory.getLogger(WriteForwarder.class);

  /** Set on a forwarded request: the forwarding node's name. */
  public static final String FORWARDED_BY = "Gridmap-Forwarded-By";

  /** Set on the answer to a forwarded request: the writer's newest visible change-log position. */
  public static final String POSITION = "Gridmap-Log-Position";

  /** How long a forwarded body from a file (an import) may wait for its answer. */
  static final long FILE_IDLE_MS = 600_000;

  /** How long the answer waits for the change to be visible on this node. */
  static final long VISIBLE_WAIT_MS = 10_000;

  /** Headers of one connection, not of the request (RFC 9110 7.6.1), and the ones set anew. */
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "transfer-encoding",
          "te",
          "trailer",
          "upgrade",
          "host",
          "content-length",
          FORWARDED_BY.toLowerCase(Locale.ROOT),
          POSITION.toLowerCase(Locale.ROOT),
          ForwardProof.HEADER.toLowerCase(Locale.ROOT),
          ForwardProof.CLIENT.toLowerCase(Locale.ROOT));

  private final HttpClient client;
  private final String node;
  private final Supplier<String> writerUrl;
  private final Supplier<ExternalChanges> external;
  private final ForwardProof proof;

  /**
   * @param node this node's name
   * @param writerUrl the URL of the node whose turn it is, or null when unknown or this node's
   * @param external where this node takes in other nodes' changes, or null while loading
   * @param proof signs the client's address for the writer
   */
  public WriteForwarder(
      Vertx vertx,
      String node,
      Supplier<String> writerUrl,
      Supplier<ExternalChanges> external,
      ForwardProof proof) {
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions().setConnectTimeout(2_000).setKeepAlive(true).setIdleTimeout(60),
            new io.vertx.core.http.PoolOptions().setHttp1MaxSize(32));
    this.node = node;
    this.writerUrl = writerUrl;
    this.external = external;
    this.proof = proof;
  }

  /**
   * Forwards the request when its failure is that another node holds the turn to write, and it can
   * be forwarded; then this forwarder answers it.
   *
   * @return whether it took the request
   */
  public boolean forward(RoutingContext ctx, Throwable failure) {
    if (!(NotTheWriterException.in(failure) instanceof NotTheWriterException)
        || ctx.request().getHeader(FORWARDED_BY) != null
        || ctx.response().headWritten()) {
      return false;
    }
    String url = writerUrl.get();
    ExternalChanges ext = external.get();
    if (url == null || ext == null) {
      return false;
    }
    String file = ctx.get(Routes.BODY_FILE);
    RequestOptions options =
        new RequestOptions()
            .setAbsoluteURI(url + ctx.request().uri())
            .setMethod(ctx.request().method())
            // an import (a body in a file) is answered once the writer has read, checked and
            // written the whole file, minutes for the largest, with nothing on the wire meanwhile
            .setIdleTimeout(file == null ? 30_000 : FILE_IDLE_MS);
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (var h : ctx.request().headers()) {
      // a scheduled edit's replay is this node's own: its secret never leaves the process
      if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(Locale.ROOT))
          && !h.getKey().equalsIgnoreCase(io.gridmap.server.security.ScheduledCallers.HEADER)) {
        headers.add(h.getKey(), h.getValue());
      }
    }
    // the client's Host, so that links the writer writes (Open311's private URL, Location) point
    // at the node the client asked, unless public_url names one address for all
    String host = ctx.request().getHeader("Host");
    if (host != null) {
      headers.set("Host", host);
    }
    headers.set(FORWARDED_BY, node);
    // the writer rate-limits and logs it under the client's address, which it trusts on proof
    String address = ClientAddress.of(ctx);
    headers.set(ForwardProof.CLIENT, address);
    headers.set(
        ForwardProof.HEADER,
        proof.sign(
            node,
            ctx.request().method().name(),
            ctx.request().uri(),
            address,
            System.currentTimeMillis() / 1000));
    options.setHeaders(headers);
    Buffer body = body(ctx);
    client
        .request(options)
        .compose(
            req ->
                file != null
                    ? sendFile(ctx, req, file)
                    : body == null ? req.send() : req.send(body))
        .compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), resp.headers(), b)))
        .compose(answer -> visible(ext, answer).map(answer))
        .onSuccess(answer -> reply(ctx, answer))
        .onFailure(
            e -> {
              LOG.warn(
                  "{} {}: could not forward to the writer at {}: {}",
                  ctx.request().method(),
                  ctx.request().path(),
                  url,
                  e.getMessage());
              unavailable(ctx, "the node whose turn it is to write could not be reached");
            });
    return true;
  }

  /** The request's body as this node read it, or null when it has none. */
  private static Buffer body(RoutingContext ctx) {
    if (ctx.body() != null && ctx.body().buffer() != null) {
      return ctx.body().buffer();
    }
    byte[] read = ctx.get(Routes.RAW_BODY); // a handler that reads its body itself (Open311's form)
    return read == null ? null : Buffer.buffer(read);
  }

  /**
   * Sends the body a handler streamed to a file (an import), read from disk as the writer takes it:
   * never whole in memory, however large {@code import_max_mb} lets it be. Its length is sent, so
   * that the writer refuses a body past its own limit before reading it.
   */
  private static Future<HttpClientResponse> sendFile(
      RoutingContext ctx, HttpClientRequest req, String file) {
    return ctx.vertx()
        .fileSystem()
        .open(file, new OpenOptions().setRead(true))
        .compose(
            in ->
                in.size()
                    .compose(
                        size -> {
                          req.putHeader("Content-Length", Long.toString(size));
                          return req.send(in);
                        })
                    .onComplete(done -> in.close()));
  }

  /** Waits until the written change shows here; answers anyway (it is written) after the wait. */
  private Future<Void> visible(ExternalChanges ext, Answer answer) {
    String position = answer.headers().get(POSITION);
    if (answer.status() >= 300 || position == null) {
      return Future.succeededFuture();
    }
    long seq;
    try {
      seq = Long.parseLong(position.strip());
    } catch (NumberFormatException e) {
      return Future.succeededFuture();
    }
    return ext.reached(seq, VISIBLE_WAIT_MS)
        .recover(
            e -> {
              LOG.warn("forwarded write: {}", e.getMessage());
              return Future.succeededFuture();
            });
  }

  private static void reply(RoutingContext ctx, Answer answer) {
    if (ctx.response().closed() || ctx.response().ended()) {
      return;
    }
    var response = ctx.response().setStatusCode(answer.status());
    for (var h : answer.headers()) {
      if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(Locale.ROOT))) {
        response.headers().add(h.getKey(), h.getValue());
      }
    }
    response.end(answer.body());
  }

  private static void unavailable(RoutingContext ctx, String why) {
    if (ctx.response().closed() || ctx.response().ended()) {
      return;
    }
    ctx.response()
        .setStatusCode(503)
        .putHeader("Retry-After", "5")
        .putHeader("Content-Type", "application/problem+json")
        .end(
            new io.vertx.core.json.JsonObject()
                .put("type", "about:blank")
                .put("title", "Service Unavailable")
                .put("status", 503)
                .put(
                    "detail",
                    why
                        + ", so nothing was written; reads are still served. Send the write again"
                        + " after 5 s")
                .encode());
  }

  /** A writer's answer, held until the change shows here. */
  private record Answer(int status, MultiMap headers, Buffer body) {}

  /** For the writer's side: the header value its answers to forwarded requests carry. */
  public static void markPosition(RoutingContext ctx, LongSupplier newestVisible) {
    if (ctx.request().getHeader(FORWARDED_BY) != null) {
      ctx.addHeadersEndHandler(
          v -> ctx.response().putHeader(POSITION, Long.toString(newestVisible.getAsLong())));
    }
  }
}
