package io.gridmap.server.testing;

import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;

/** A WebSocket listener that puts every text message, whole, into a queue the test reads. */
public final class WholeMessages implements WebSocket.Listener {
  private final BlockingQueue<String> into;
  private final StringBuilder part = new StringBuilder();

  public WholeMessages(BlockingQueue<String> into) {
    this.into = into;
  }

  @Override
  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    part.append(data);
    if (last) {
      into.add(part.toString());
      part.setLength(0);
    }
    ws.request(1);
    return null;
  }
}
