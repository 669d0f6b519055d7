package io.gridmap.bench.live;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A subscriber that stops reading: a raw socket with a small receive buffer that does the WebSocket
 * handshake, reads the 101 answer and then never reads again, so the server's queue for it fills
 * (docs/live.md, Slow subscribers). Whether the server ended the TCP connection is seen the way
 * {@code LiveStreamStallTest} sees it, without reading: every 250 ms the client writes a pong frame
 * (unsolicited pongs are allowed and need no answer), and the first write that fails (connection
 * reset, broken pipe) is when the connection was ended.
 */
final class StalledSubscriber implements AutoCloseable {
  /** The client's receive buffer: the kernel holds at most about this much for it. */
  static final int RECEIVE_BUFFER = 4096;

  private final Socket socket;
  private final Thread probe;
  final long connectedAt;
  final int receiveBuffer;
  private volatile long endedAt;
  private volatile String endedBy;

  private StalledSubscriber(Socket socket, long connectedAt) throws IOException {
    this.socket = socket;
    this.connectedAt = connectedAt;
    this.receiveBuffer = socket.getReceiveBufferSize();
    this.probe = new Thread(this::probe, "stalled-probe");
    probe.setDaemon(true);
    probe.start();
  }

  /** Connects to {@code path} on 127.0.0.1:{@code port} and hands shakes; reads nothing after. */
  static StalledSubscriber open(int port, String path, String token) throws IOException {
    Socket s = new Socket();
    // before connecting, so that the window it announces is small from the start
    s.setReceiveBufferSize(RECEIVE_BUFFER);
    s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    s.setSoTimeout(10_000);
    byte[] nonce = new byte[16];
    new SecureRandom().nextBytes(nonce);
    String request =
        "GET "
            + path
            + " HTTP/1.1\r\nHost: 127.0.0.1:"
            + port
            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
            + Base64.getEncoder().encodeToString(nonce)
            + "\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer "
            + token
            + "\r\n\r\n";
    s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    // the answer's head only, byte by byte, so that nothing after it is taken from the kernel
    InputStream in = s.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the server closed the stalled subscriber's handshake: " + head);
      }
      head.write(b);
    }
    String status = head.toString(StandardCharsets.ISO_8859_1).split("\r\n", 2)[0];
    if (!status.contains(" 101 ")) {
      s.close();
      throw new IOException("the stalled subscriber's handshake was answered " + status);
    }
    return new StalledSubscriber(s, System.currentTimeMillis());
  }

  private void probe() {
    // a masked pong with no payload: FIN + opcode 0xA, MASK + length 0, a mask key
    byte[] pong = {(byte) 0x8A, (byte) 0x80, 0x12, 0x34, 0x56, 0x78};
    try {
      OutputStream out = socket.getOutputStream();
      while (endedAt == 0) {
        Thread.sleep(250);
        try {
          out.write(pong);
          out.flush();
        } catch (IOException e) {
          endedBy = e.getMessage();
          endedAt = System.currentTimeMillis();
        }
      }
    } catch (IOException e) {
      endedBy = e.getMessage();
      endedAt = System.currentTimeMillis();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** When a write failed because the server had ended the connection; 0 while it is open. */
  long endedAt() {
    return endedAt;
  }

  /** The write's failure that showed the end. */
  String endedBy() {
    return endedBy;
  }

  /**
   * Reads what is left once the connection has ended: the bytes that sat in the client's small
   * buffer, then EOF or a reset. Returns a line for the report.
   */
  String drain() {
    long read = 0;
    String end;
    try {
      socket.setSoTimeout(5_000);
      InputStream in = socket.getInputStream();
      byte[] buf = new byte[8192];
      for (int n; (n = in.read(buf)) >= 0; ) {
        read += n;
      }
      end = "EOF";
    } catch (SocketTimeoutException e) {
      end = "still open (no EOF within 5 s)";
    } catch (IOException e) {
      end = "reset (" + e.getMessage() + ")";
    }
    return String.format("%,d bytes were left to read, then %s", read, end);
  }

  @Override
  public void close() {
    probe.interrupt();
    try {
      socket.close();
    } catch (IOException e) {
      // closing
    }
  }
}
