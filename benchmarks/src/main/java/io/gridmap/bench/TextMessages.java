package io.gridmap.bench;

import java.net.http.WebSocket;
import java.util.concurrent.CompletionStage;

/**
 * A WebSocket listener that hands on whole text messages, however the socket splits them into
 * frames, and asks for the next frame after each: what every live-stream subscriber of the
 * benchmarks does before reading a message.
 */
public abstract class TextMessages implements WebSocket.Listener {
  private final StringBuilder part = new StringBuilder();

  /** A whole message, on the socket's thread; the next frame is asked for after it returns. */
  protected abstract void message(String text);

  @Override
  public void onOpen(WebSocket ws) {
    ws.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    part.append(data);
    if (last) {
      String text = part.toString();
      part.setLength(0);
      message(text);
    }
    ws.request(1);
    return null;
  }
}
