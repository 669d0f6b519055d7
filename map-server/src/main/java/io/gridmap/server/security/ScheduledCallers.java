package io.gridmap.server.security;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who a scheduled edit is replayed as. At its effective instant the server sends the stored request
 * to itself over HTTP with {@link #HEADER}: the edit's id and a secret that only this process knows
 * (256 random bits, made at start, never written anywhere). {@link SecurityHandler} takes such a
 * request as the edit's planner only when it comes from this machine (its own address or loopback),
 * carries the secret, and names the one edit being replayed now ({@link #expect}); any other use of
 * the header is a 401. So the edit passes the same gate, handler, scope checks and rules as when it
 * was sent, as the same principal, and no one outside the process can act as it.
 */
public final class ScheduledCallers {
  /** The header a replay carries: {@code <id> <secret>}. */
  public static final String HEADER = "Gridmap-Scheduled-Edit";

  /** How a replayed caller proved it: the principal's {@code via}. */
  public static final String VIA = "scheduled";

  private final String secret;

  /** A replay let in: as whom, and the one request it may be. */
  private record Expected(Principal who, String method, String path) {}

  private final Map<Long, Expected> expected = new ConcurrentHashMap<>();

  public ScheduledCallers() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    this.secret = HexFormat.of().formatHex(b);
  }

  /** The header value that replays edit {@code id}; valid while {@link #expect}ed. */
  public String header(long id) {
    return id + " " + secret;
  }

  /**
   * Lets the replay of edit {@code id} in as {@code who} until {@link #done}, for the one request
   * it is ({@code method} on {@code path}).
   */
  public void expect(long id, Principal who, String method, String path) {
    expected.put(
        id, new Expected(new Principal(who.subject(), who.role(), who.scope(), VIA), method, path));
  }

  /** Ends the replay of edit {@code id}: its header is refused from now on. */
  public void done(long id) {
    expected.remove(id);
  }

  /**
   * The principal a replay stands for.
   *
   * @throws IllegalArgumentException when the header is not a replay this process is making now
   */
  Principal admit(HttpServerRequest request, String header) {
    int space = header.indexOf(' ');
    long id;
    try {
      id = Long.parseLong(space < 0 ? "" : header.substring(0, space));
    } catch (NumberFormatException e) {
      throw refused();
    }
    String given = header.substring(space + 1);
    if (!MessageDigest.isEqual(
            given.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8))
        || !fromThisMachine(request)) {
      throw refused();
    }
    Expected e = Optional.ofNullable(expected.get(id)).orElseThrow(ScheduledCallers::refused);
    if (!e.method().equals(request.method().name()) || !e.path().equals(request.path())) {
      throw refused();
    }
    return e.who();
  }

  /** Loopback, or the server's own address (a server bound to one interface calls itself there). */
  private static boolean fromThisMachine(HttpServerRequest request) {
    SocketAddress remote = request.connection().remoteAddress();
    SocketAddress local = request.connection().localAddress();
    if (remote == null || remote.hostAddress() == null) {
      return false;
    }
    try {
      if (java.net.InetAddress.getByName(remote.hostAddress()).isLoopbackAddress()) {
        return true;
      }
    } catch (java.net.UnknownHostException e) {
      return false;
    }
    return local != null && remote.hostAddress().equals(local.hostAddress());
  }

  private static IllegalArgumentException refused() {
    return new IllegalArgumentException(
        "header " + HEADER + " is for the server's own replays of scheduled edits");
  }
}
