package io.gridmap.server.tiles;

import io.gridmap.server.cluster.WriteForwarder;
import io.gridmap.server.security.ScheduledCallers;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The head of an HTTP/1.1 request as the socket's tile lane reads it from the bytes of one read:
 * {@code GET <target> HTTP/1.1}, then header lines, then the empty line, and nothing after it: a
 * whole request without a body, which leaves Vert.x's decoder as it found it when passed on.
 *
 * <p>Hand-written because it is deliberately narrower than any HTTP parser: it accepts only the
 * plain form every map client sends and answers null for anything else, which then goes to Vert.x's
 * decoder (which accepts, refuses or answers 400 as it does for every request): another method or
 * version, a byte that is not printable ASCII, a folded or bare-LF line, a header name that is not
 * a token, the head not ending at the end of the bytes (a request cut across reads, two pipelined),
 * more than one Host, Accept-Encoding, If-None-Match or X-Request-Id, a body ({@code
 * Content-Length}, {@code Transfer-Encoding}), {@code Expect}, {@code Upgrade}, or a {@code
 * Connection} other than {@code keep-alive}. Credentials or another node's or a scheduled edit's
 * mark are read as {@link #credentials}: the request is whole, but not an anonymous one.
 */
record TileRequestHead(
    String target,
    String host,
    String acceptEncoding,
    String ifNoneMatch,
    String requestId,
    boolean origin,
    boolean credentials) {

  /** The longest head read here: Vert.x's default {@code maxHeaderSize} (8 KiB). */
  static final int MAX = 8192;

  private static final byte[] REQUEST_LINE_END = ascii(" HTTP/1.1\r\n");

  /** Headers read once (a second one makes the head not the lane's), in the record's order. */
  private static final byte[][] READ_ONCE = {
    lower("Host"), lower("Accept-Encoding"), lower("If-None-Match"), lower("X-Request-Id")
  };

  private static final byte[] ORIGIN = lower("Origin");
  private static final byte[] CONNECTION = lower("Connection");
  private static final byte[][] CREDENTIALS = {
    lower("Authorization"),
    lower("X-API-Key"),
    lower(ScheduledCallers.HEADER),
    lower(WriteForwarder.FORWARDED_BY)
  };
  private static final byte[][] REFUSED = {
    lower("Content-Length"), lower("Transfer-Encoding"), lower("Expect"), lower("Upgrade")
  };

  /** The head in {@code b[0..n)}, or null when it is not one the lane reads (see the class). */
  static TileRequestHead parse(byte[] b, int n) {
    if (n > MAX || n < 4 || b[0] != 'G' || b[1] != 'E' || b[2] != 'T' || b[3] != ' ') {
      return null;
    }
    int i = 4;
    while (i < n && b[i] != ' ') {
      if (b[i] <= ' ' || b[i] >= 0x7f) {
        return null; // a control byte, DEL or a byte above ASCII (negative as a Java byte)
      }
      i++;
    }
    if (i == 4 || !regionIs(b, i, n, REQUEST_LINE_END)) {
      return null;
    }
    String target = new String(b, 4, i - 4, StandardCharsets.ISO_8859_1);
    i += REQUEST_LINE_END.length;
    String[] once = new String[READ_ONCE.length];
    boolean origin = false;
    boolean credentials = false;
    while (true) {
      if (i + 1 < n && b[i] == '\r' && b[i + 1] == '\n') {
        // the empty line: the head ends here, and so must the bytes
        return i + 2 == n
            ? new TileRequestHead(target, once[0], once[1], once[2], once[3], origin, credentials)
            : null;
      }
      int nameFrom = i;
      while (i < n && token(b[i])) {
        i++;
      }
      if (i == nameFrom || i >= n || b[i] != ':') {
        return null; // no name, a folded line, a space before the colon
      }
      int nameTo = i++;
      int valueFrom = i;
      while (i < n && b[i] != '\r') {
        byte c = b[i];
        if ((c < ' ' && c != '\t') || c >= 0x7f) {
          return null; // a bare LF among them
        }
        i++;
      }
      if (i + 1 >= n || b[i + 1] != '\n') {
        return null;
      }
      int valueTo = i;
      i += 2;
      while (valueFrom < valueTo && (b[valueFrom] == ' ' || b[valueFrom] == '\t')) {
        valueFrom++;
      }
      while (valueTo > valueFrom && (b[valueTo - 1] == ' ' || b[valueTo - 1] == '\t')) {
        valueTo--;
      }
      int len = nameTo - nameFrom;
      int k = indexOf(b, nameFrom, len, READ_ONCE);
      if (k >= 0) {
        if (once[k] != null) {
          return null;
        }
        once[k] = value(b, valueFrom, valueTo);
      } else if (nameIs(b, nameFrom, len, ORIGIN)) {
        origin = true;
      } else if (nameIs(b, nameFrom, len, CONNECTION)) {
        if (!value(b, valueFrom, valueTo).equalsIgnoreCase("keep-alive")) {
          return null; // close (Vert.x closes after the response), upgrade, anything else
        }
      } else if (indexOf(b, nameFrom, len, REFUSED) >= 0) {
        return null;
      } else {
        credentials |= indexOf(b, nameFrom, len, CREDENTIALS) >= 0;
      }
    }
  }

  /** RFC 9110's tchar. */
  private static boolean token(byte c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || (c >= '#' && c <= '\'') // # $ % & '
        || c == '!'
        || c == '*'
        || c == '+'
        || c == '-'
        || c == '.'
        || c == '^'
        || c == '_'
        || c == '`'
        || c == '|'
        || c == '~';
  }

  /**
   * Whether the token {@code b[from..from+len)} is {@code lower}, ignoring ASCII case. Setting bit
   * 0x20 lower-cases a letter and leaves '-' and digits alone; the names compared hold nothing
   * else.
   */
  private static boolean nameIs(byte[] b, int from, int len, byte[] lower) {
    if (len != lower.length) {
      return false;
    }
    for (int k = 0; k < len; k++) {
      if ((b[from + k] | 0x20) != lower[k]) {
        return false;
      }
    }
    return true;
  }

  /** The index of the name in {@code lowers} the token {@code b[from..from+len)} is, or -1. */
  private static int indexOf(byte[] b, int from, int len, byte[][] lowers) {
    for (int k = 0; k < lowers.length; k++) {
      if (nameIs(b, from, len, lowers[k])) {
        return k;
      }
    }
    return -1;
  }

  private static boolean regionIs(byte[] b, int from, int n, byte[] expected) {
    if (n - from < expected.length) {
      return false;
    }
    for (int k = 0; k < expected.length; k++) {
      if (b[from + k] != expected[k]) {
        return false;
      }
    }
    return true;
  }

  private static String value(byte[] b, int from, int to) {
    return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] lower(String s) {
    return ascii(s.toLowerCase(Locale.ROOT));
  }
}
