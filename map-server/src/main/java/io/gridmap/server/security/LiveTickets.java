package io.gridmap.server.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * One-time tickets for the live WebSocket. A browser cannot set {@code Authorization} on a
 * WebSocket, so a signed-in page first asks for a ticket with its token ({@code POST
 * /live/tickets}) and then connects to {@code /live/ws?ticket=...}: the ticket stands for the
 * caller for {@link #TTL} and is gone once used, so one that leaks into a log or a proxy's history
 * is worth nothing, unlike a token in the URL.
 */
public final class LiveTickets {
  /** How long a ticket waits to be used. */
  public static final Duration TTL = Duration.ofSeconds(30);

  private final SecureRandom random = new SecureRandom();
  private final Cache<String, Principal> open =
      Caffeine.newBuilder().expireAfterWrite(TTL).maximumSize(100_000).build();

  /** A new ticket for {@code who}: 128 random bits, URL-safe. */
  public String issue(Principal who) {
    byte[] bits = new byte[16];
    random.nextBytes(bits);
    String ticket = "lt_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
    open.put(ticket, who);
    return ticket;
  }

  /** The caller a ticket stands for, once: a second use, an expired or unknown ticket is empty. */
  public Optional<Principal> redeem(String ticket) {
    return Optional.ofNullable(open.asMap().remove(ticket));
  }
}
