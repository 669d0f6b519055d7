package io.gridmap.server.cluster;

import io.gridmap.server.web.ClientAddress;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Proves that a forwarded request comes from a node of the cluster, so that the writer may take the
 * client address it names ({@link ClientAddress}): an HMAC-SHA256 over the forwarding node's name,
 * the method, the target, the client's address and the time, keyed from the token secret every node
 * shares. A request without a valid proof keeps its connection's address, whatever headers it
 * sends: a client cannot choose the bucket it is rate-limited in. A proof is good for {@link
 * #SKEW_S} seconds either way (clocks of one cluster agree to well within that).
 *
 * <p>Hand-written: a header signature of a few lines, for which no served library fits better than
 * the JDK's {@link Mac}.
 */
public final class ForwardProof {
  /** The proof: {@code <epoch seconds>.<hex HMAC>}. */
  public static final String HEADER = "Gridmap-Forward-Proof";

  /** The client's address as the forwarding node saw it (or as a proof told it). */
  public static final String CLIENT = "Gridmap-Client-Address";

  static final long SKEW_S = 60;

  private final SecretKeySpec key;

  /**
   * @param secret the token secret ({@code token_secret_file}), the same on every node
   */
  public ForwardProof(String secret) {
    // a key of its own, derived from the secret: a proof is never a token signature, nor one back
    this.key =
        new SecretKeySpec(
            hmac(
                new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"),
                "gridmap forwarded request v1"),
            "HmacSHA256");
  }

  /** The proof for a request forwarded now. */
  String sign(String node, String method, String target, String client, long epochSeconds) {
    return epochSeconds
        + "."
        + HexFormat.of().formatHex(hmac(key, text(node, method, target, client, epochSeconds)));
  }

  /**
   * Puts the client address a forwarded request names on its context when its proof holds; leaves
   * every other request as it is. Before the rate limits and the access log.
   */
  public Handler<RoutingContext> handler() {
    return ctx -> {
      String client = proven(ctx, System.currentTimeMillis() / 1000);
      if (client != null) {
        ctx.put(ClientAddress.KEY, client);
      }
      ctx.next();
    };
  }

  /** The client address the request names when its proof holds now; null otherwise. */
  String proven(RoutingContext ctx, long nowSeconds) {
    String proof = ctx.request().getHeader(HEADER);
    String node = ctx.request().getHeader(WriteForwarder.FORWARDED_BY);
    String client = ctx.request().getHeader(CLIENT);
    if (proof == null || node == null || client == null) {
      return null;
    }
    int dot = proof.indexOf('.');
    long at;
    try {
      at = Long.parseLong(proof.substring(0, Math.max(dot, 0)));
    } catch (NumberFormatException e) {
      return null;
    }
    if (Math.abs(nowSeconds - at) > SKEW_S) {
      return null;
    }
    String expected = sign(node, ctx.request().method().name(), ctx.request().uri(), client, at);
    boolean same =
        MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.US_ASCII),
            proof.getBytes(StandardCharsets.US_ASCII));
    return same ? client : null;
  }

  private static String text(
      String node, String method, String target, String client, long epochSeconds) {
    // newline-separated: none of the parts can hold one (header values and a request line)
    return node + "\n" + method + "\n" + target + "\n" + client + "\n" + epochSeconds;
  }

  private static byte[] hmac(SecretKeySpec key, String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
