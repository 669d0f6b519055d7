package io.gridmap.server.tiles;

import io.gridmap.server.security.Visibility;
import io.gridmap.server.web.Cors;
import io.gridmap.server.web.RequestIds;
import io.gridmap.tiler.EncodedTile;
import io.gridmap.tiler.geo.TileCoord;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.http.HttpConnection;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tile lane at the socket: on an HTTP/1.1 connection, ahead of Vert.x's HTTP decoder, it reads
 * each request's bytes and answers a cached public tile from them, writing the response's bytes
 * itself; what it does not answer goes on to Vert.x as the bytes came.
 *
 * <p><b>Why.</b> Of a cached tile's CPU on the event loop, after the kernel's share, most was
 * Vert.x's HTTP/1 codec and objects: Netty's request decoder and header map, Vert.x's request and
 * response, its header validation and its encoder (async-profiler, issue 14: TileLane 21% of the
 * loop, decode 3%, encode 5%, against the 64% the kernel's socket calls take). nginx serves the
 * same bytes with none of that. The request a map client sends for a tile is one short line and a
 * few headers, so reading it is a scan over a few hundred bytes ({@link TileRequestHead}), and the
 * response is a status line and at most eight headers ahead of the cached bytes.
 *
 * <p><b>The same answer.</b> It decides as {@link TileLane} does and with it (the policy, the Host,
 * the content, the cache, the client's rate), writes the headers the router writes (the tests
 * compare them, header for header), and counts, times and logs the request as the lane does. It
 * tells {@code ConnectionTimeouts} of each answer, so the idle bound runs from it.
 *
 * <p><b>What it leaves to Vert.x.</b> A whole request it does not answer (another path, not cached
 * yet, credentials, a client over its rate) goes to Vert.x as it came, and the lane answers nothing
 * more on the connection until Vert.x has written the end of that request's response into the
 * pipeline (a second handler, behind Vert.x's encoder, sees each response's end): responses go out
 * in the order their requests came. A read that is not one whole request head of the plain form (a
 * head cut across reads, pipelined requests, a body; see {@link TileRequestHead}) may leave part of
 * a request in Vert.x's decoder, so the connection is then Vert.x's for good and both handlers
 * leave its pipeline. A request that comes while the socket is not writable (the client is not
 * reading) is Vert.x's too, whose back-pressure then holds the connection's reads.
 */
public final class SocketTileLane extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(SocketTileLane.class);

  /** The handler's name in the pipeline. */
  static final String NAME = "gridmap-tile-lane";

  /** Vert.x's names for its HTTP/1.x decoder (this handler goes before) and encoder. */
  private static final String VERTX_DECODER = "httpDecoder";

  private static final String VERTX_ENCODER = "httpEncoder";

  private static final byte[] OK = ascii("HTTP/1.1 200 OK\r\n");
  private static final byte[] NO_CONTENT = ascii("HTTP/1.1 204 No Content\r\n");
  private static final byte[] NOT_MODIFIED = ascii("HTTP/1.1 304 Not Modified\r\n");
  private static final byte[] REQUEST_ID = ascii(RequestIds.HEADER + ": ");
  private static final byte[] EXPOSE =
      ascii("access-control-expose-headers: " + String.join(",", Cors.EXPOSED) + "\r\n");
  private static final byte[] ETAG = ascii("ETag: ");
  private static final byte[] CACHE_LIVE =
      ascii("\r\nCache-Control: " + TileResponse.cacheControl(Visibility.PUBLIC, true) + "\r\n");
  private static final byte[] CACHE_STATIC =
      ascii("\r\nCache-Control: " + TileResponse.cacheControl(Visibility.PUBLIC, false) + "\r\n");
  private static final byte[] VARY_EMPTY =
      ascii("Vary: " + Visibility.VARY + "\r\nAccess-Control-Allow-Origin: *\r\n");
  private static final byte[] VARY_GZIP =
      ascii("Vary: Accept-Encoding, " + Visibility.VARY + "\r\nAccess-Control-Allow-Origin: *\r\n");
  private static final byte[] TILE_HEADERS =
      ascii("Content-Type: " + TileResponse.MVT + "\r\nContent-Encoding: gzip\r\ncontent-length: ");
  private static final byte[] CRLF = ascii("\r\n");

  private final TileLane lane;
  private final Runnable answeredHook;

  /** The client's address as the rate limiter and the access log key it, once read. */
  private String remote;

  /** The last Host found well-formed on this connection: a client sends the same one each time. */
  private String goodHost;

  /** Whether responses were written in this read and wait for its end to be flushed. */
  private boolean flushPending;

  /**
   * Requests passed to Vert.x whose responses it has not written to the end yet. Both handlers run
   * on the connection's event loop (Netty runs a pipeline's handlers there), so a plain field.
   */
  private int atVertx;

  /** Behind Vert.x's encoder: counts the ends of Vert.x's responses. */
  private final ChannelOutboundHandlerAdapter responseEnds =
      new ChannelOutboundHandlerAdapter() {
        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
          // a full response or a body's last part (sendFile's too): the response is whole
          if (msg instanceof LastHttpContent && atVertx > 0) {
            atVertx--;
          }
          ctx.write(msg, promise);
        }
      };

  private SocketTileLane(TileLane lane, Runnable answeredHook) {
    this.lane = lane;
    this.answeredHook = answeredHook;
  }

  /**
   * Puts the lane at the front of {@code conn}'s pipeline when the lane is open and {@code conn} is
   * HTTP/1.x (its pipeline has Vert.x's HTTP/1 decoder). Vert.x calls its connection handler while
   * it sets the pipeline up, before the first read, so no request passes by before this.
   *
   * @param answered run after each request the lane answers (ConnectionTimeouts' idle clock)
   */
  public static void install(TileLane lane, HttpConnection conn, Runnable answered) {
    if (!lane.open() || !(conn instanceof io.vertx.core.http.impl.HttpServerConnection internal)) {
      return;
    }
    // Vert.x's internal API: the one way to reach a connection's Netty pipeline
    ChannelPipeline pipeline = internal.channelHandlerContext().pipeline();
    if (pipeline.get(VERTX_DECODER) != null && pipeline.get(VERTX_ENCODER) != null) {
      SocketTileLane l = new SocketTileLane(lane, answered);
      pipeline.addBefore(VERTX_DECODER, NAME, l);
      pipeline.addAfter(VERTX_ENCODER, NAME + "-ends", l.responseEnds);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    long start = System.nanoTime();
    TileRequestHead head = null;
    if (msg instanceof ByteBuf buf) {
      boolean answered = false;
      try {
        head = read(buf);
        answered = head != null && atVertx == 0 && answer(ctx, head, start);
      } catch (RuntimeException e) {
        // thrown before anything was written: Vert.x answers the request
        LOG.warn("the socket's tile lane failed on a request; Vert.x answers it", e);
      }
      if (answered) {
        buf.release();
        return;
      }
    }
    // what this lane wrote goes out before anything of Vert.x's
    if (flushPending) {
      flushPending = false;
      ctx.flush();
    }
    if (head == null) {
      // Vert.x's decoder may keep part of what it gets now: the connection is Vert.x's for good
      ctx.pipeline().remove(responseEnds);
      ctx.pipeline().remove(this);
    } else {
      atVertx++;
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (flushPending) {
      flushPending = false;
      ctx.flush();
    }
    ctx.fireChannelReadComplete();
  }

  /** The one whole plain request head in {@code buf}, or null. */
  private static TileRequestHead read(ByteBuf buf) {
    int n = buf.readableBytes();
    if (n > TileRequestHead.MAX) {
      return null;
    }
    byte[] bytes = new byte[n];
    buf.getBytes(buf.readerIndex(), bytes);
    return TileRequestHead.parse(bytes, n);
  }

  /** Answers {@code head} when it is the lane's; false, nothing written, if not. */
  private boolean answer(ChannelHandlerContext ctx, TileRequestHead head, long start) {
    if (head.credentials()
        || head.host() == null // the router's guard names the problem
        || !head.target().startsWith(TileLane.PREFIX)
        || !ctx.channel().isWritable()) {
      return false;
    }
    TileCoord coord = TileLane.parse(head.target());
    if (coord == null) {
      return false;
    }
    if (!head.host().equals(goodHost)) {
      if (lane.hostProblem(head.host()) != null) {
        return false;
      }
      goodHost = head.host();
    }
    String client = remote(ctx);
    EncodedTile tile = lane.tile(coord, head.ifNoneMatch(), head.acceptEncoding(), client, start);
    if (tile == null) {
      return false;
    }
    int status = TileLane.status(tile, head.ifNoneMatch());
    String id = lane.id(head.requestId());
    ByteBuf out = ctx.alloc().ioBuffer(384);
    out.writeBytes(status == 200 ? OK : status == 204 ? NO_CONTENT : NOT_MODIFIED);
    out.writeBytes(REQUEST_ID).writeCharSequence(id, StandardCharsets.ISO_8859_1);
    out.writeBytes(CRLF);
    if (head.origin()) {
      out.writeBytes(EXPOSE);
    }
    // each constant after a value begins with the CRLF that ends the value's line
    out.writeBytes(ETAG).writeCharSequence(tile.etag(), StandardCharsets.US_ASCII);
    out.writeBytes(tile.live() ? CACHE_LIVE : CACHE_STATIC);
    out.writeBytes(tile.empty() ? VARY_EMPTY : VARY_GZIP);
    if (status == 200) {
      byte[] gzipped = tile.gzipped();
      out.writeBytes(TILE_HEADERS)
          .writeCharSequence(Integer.toString(gzipped.length), StandardCharsets.US_ASCII);
      out.writeBytes(CRLF).writeBytes(CRLF);
      ctx.write(out, ctx.voidPromise());
      ctx.write(Unpooled.wrappedBuffer(tile.forSocket()), ctx.voidPromise());
    } else {
      out.writeBytes(CRLF);
      ctx.write(out, ctx.voidPromise());
    }
    flushPending = true;
    try {
      lane.answered(coord, head.target(), status, tile, client, id, start, true);
      answeredHook.run();
    } catch (RuntimeException e) {
      // answered all the same: passing the request on now would answer it twice
      LOG.warn("the socket's tile lane could not count or log a response", e);
    }
    return true;
  }

  private String remote(ChannelHandlerContext ctx) {
    String r = remote;
    if (r == null) {
      SocketAddress a = ctx.channel().remoteAddress();
      r =
          a instanceof InetSocketAddress inet && inet.getAddress() != null
              ? inet.getAddress().getHostAddress()
              : "?";
      remote = r;
    }
    return r;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
