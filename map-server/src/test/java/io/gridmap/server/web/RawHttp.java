package io.gridmap.server.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A request written byte for byte on a socket, as a careless or hostile client would send it (no
 * Host, a bad escape, HTTP/1.0): the JDK's client refuses to send such requests.
 */
public final class RawHttp {
  /**
   * A response: status, headers (lower-case names), the bytes after the header block, and the
   * status line and header lines as they came (CRLF-separated, without the empty line).
   */
  public record Response(int status, Map<String, String> headers, byte[] body, String head) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private RawHttp() {}

  /** Sends {@code request} (CRLF line ends, ending in an empty line) and reads to the close. */
  public static Response send(int port, String request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      return parse(all.toByteArray());
    }
  }

  /** A request line and headers, closing the connection after the answer. */
  public static String request(String method, String target, String version, String... headers) {
    StringBuilder sb = new StringBuilder(method + " " + target + " " + version + "\r\n");
    for (int i = 0; i < headers.length; i += 2) {
      sb.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    }
    return sb.append("Connection: close\r\n\r\n").toString();
  }

  /**
   * One connection kept open across requests, written to in pieces as a slow or idle client would.
   * Reads wait at most 10 s.
   */
  public static final class Conn implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public Conn(int port) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(10_000);
      socket.setTcpNoDelay(true); // each write its own segment, as written
      in = socket.getInputStream();
      out = socket.getOutputStream();
    }

    /** Writes {@code text} (ISO-8859-1) at once. */
    public Conn write(String text) throws IOException {
      out.write(text.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return this;
    }

    /**
     * Reads one response whose body has a {@code Content-Length} (or a 204 or 304, which have
     * none), leaving the connection open.
     */
    public Response response() throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          throw new AssertionError("connection closed after " + head);
        }
        head.write(b);
      }
      Response h = parse(head.toByteArray());
      String length = h.header("Content-Length");
      if (length == null && (h.status() == 204 || h.status() == 304)) {
        return h; // no body, by definition
      }
      return new Response(
          h.status(), h.headers(), in.readNBytes(Integer.parseInt(length)), h.head());
    }

    /**
     * True when the server closes the connection within 10 s (a read ends or is reset), false when
     * it is still open then; bytes that come first are skipped.
     */
    public boolean closedByServer() throws IOException {
      try {
        while (in.read() >= 0) {
          // skip
        }
        return true;
      } catch (java.net.SocketTimeoutException e) {
        return false;
      } catch (java.net.SocketException e) {
        return true; // reset
      }
    }

    public InputStream in() {
      return in;
    }

    public OutputStream out() {
      return out;
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private static Response parse(byte[] raw) {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      throw new AssertionError("no complete response header in: " + text);
    }
    String[] lines = text.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.merge(
          lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).strip(),
          (a, b) -> a + ", " + b);
    }
    byte[] body = new byte[raw.length - end - 4];
    System.arraycopy(raw, end + 4, body, 0, body.length);
    return new Response(status, headers, body, text.substring(0, end));
  }
}
