package io.gridmap.server.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A live-stream client on a plain socket with a small receive buffer, so that when it reads is the
 * test's choice: the JDK's WebSocket keeps reading the socket whether or not its listener takes the
 * messages, so TCP never pushes back on the server.
 */
final class RawLiveClient implements AutoCloseable {
  final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  private RawLiveClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** Connects and upgrades; reads the response head and nothing after it. */
  static RawLiveClient open(int port, String path, String authorization) throws IOException {
    Socket s = new Socket();
    // set before connecting, so the window it offers stays small (4 KiB asked, 8 KiB given)
    s.setReceiveBufferSize(4096);
    s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    s.setSoTimeout(10_000);
    RawLiveClient c = new RawLiveClient(s);
    c.out.write(
        ("GET "
                + path
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    c.out.flush();
    StringBuilder head = new StringBuilder();
    while (head.indexOf("\r\n\r\n") < 0) {
      int b = c.in.read();
      assertThat(b).as("upgrade response: " + head).isNotNegative();
      head.append((char) b);
    }
    assertThat(head.toString()).startsWith("HTTP/1.1 101");
    return c;
  }

  /**
   * The next text message (frames joined), skipping pings; a close frame as {@code
   * {"type":"close","status":...}}; null when the socket ends.
   */
  JsonObject next() throws IOException {
    ByteArrayOutputStream message = new ByteArrayOutputStream();
    while (true) {
      int b0 = in.read();
      if (b0 < 0) {
        return null;
      }
      int b1 = in.readUnsignedByte();
      long length = b1 & 0x7f;
      if (length == 126) {
        length = in.readUnsignedShort();
      } else if (length == 127) {
        length = in.readLong();
      }
      byte[] payload = new byte[Math.toIntExact(length)];
      in.readFully(payload);
      int opcode = b0 & 0x0f;
      if (opcode == 8) {
        return new JsonObject()
            .put("type", "close")
            .put("status", payload.length >= 2 ? ByteBuffer.wrap(payload).getShort() : 0);
      }
      if (opcode == 1 || opcode == 0) {
        message.write(payload);
        if ((b0 & 0x80) != 0) {
          return new JsonObject(message.toString(StandardCharsets.UTF_8));
        }
      }
    }
  }

  /**
   * Sends an empty pong, which the protocol allows unasked and which asks for no answer: a probe
   * that fails once the server has reset the connection.
   */
  void pong() throws IOException {
    out.write(new byte[] {(byte) 0x8A, (byte) 0x80, 1, 2, 3, 4});
    out.flush();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
