package io.gridmap.server.security;

import io.gridmap.server.web.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * The request pipeline's gate, installed before every route: who is calling (a signed token, an API
 * key, or nobody: the public), whether they are within their request rate, and whether the {@link
 * AccessPolicy} lets them call this endpoint. Handlers read the caller with {@link
 * #principal(RoutingContext)}.
 */
public final class SecurityHandler implements Handler<RoutingContext> {
  private static final String KEY = "security.principal";

  private final Tokens tokens;
  private final ApiKeys apiKeys;
  private final RateLimiter limiter;
  private final AccessPolicy policy;
  private final LiveTickets tickets;
  private final ScheduledCallers scheduled;

  public SecurityHandler(
      Tokens tokens,
      ApiKeys apiKeys,
      RateLimiter limiter,
      AccessPolicy policy,
      LiveTickets tickets) {
    this(tokens, apiKeys, limiter, policy, tickets, null);
  }

  /**
   * @param scheduled the replays of scheduled edits this server makes to itself, or null for none
   */
  public SecurityHandler(
      Tokens tokens,
      ApiKeys apiKeys,
      RateLimiter limiter,
      AccessPolicy policy,
      LiveTickets tickets,
      ScheduledCallers scheduled) {
    this.tokens = tokens;
    this.apiKeys = apiKeys;
    this.limiter = limiter;
    this.policy = policy;
    this.tickets = tickets;
    this.scheduled = scheduled;
  }

  /** The authenticated caller of this request (the public when anonymous). */
  public static Principal principal(RoutingContext ctx) {
    Principal p = ctx.get(KEY);
    return p == null ? Principal.ANONYMOUS : p;
  }

  @Override
  public void handle(RoutingContext ctx) {
    authenticate(ctx)
        .onSuccess(p -> admit(ctx, p))
        .onFailure(e -> ctx.fail(unauthorized(e.getMessage())));
  }

  private Future<Principal> authenticate(RoutingContext ctx) {
    String auth = ctx.request().getHeader("Authorization");
    String key = ctx.request().getHeader("X-API-Key");
    String ticket = ctx.request().getParam("ticket");
    String replay = ctx.request().getHeader(ScheduledCallers.HEADER);
    if (replay != null) {
      // a scheduled edit applied at its instant, as the planner who scheduled it
      try {
        if (scheduled == null || auth != null || key != null) {
          throw new IllegalArgumentException(
              "header " + ScheduledCallers.HEADER + " is for the server's own replays");
        }
        return Future.succeededFuture(scheduled.admit(ctx.request(), replay));
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(e);
      }
    }
    if (ticket != null && ctx.normalizedPath().equals("/live/ws")) {
      // the live WebSocket only: browsers cannot send headers there (LiveTickets)
      if (auth != null || key != null) {
        return Future.failedFuture(
            new IllegalArgumentException("send either a ticket or credentials, not both"));
      }
      return tickets
          .redeem(ticket)
          .map(Future::succeededFuture)
          .orElseGet(
              () ->
                  Future.failedFuture(
                      new IllegalArgumentException(
                          "the ticket is unknown, used or older than "
                              + LiveTickets.TTL.toSeconds()
                              + " s; ask POST /live/tickets for a new one")));
    }
    if (auth == null && key == null) {
      return Future.succeededFuture(Principal.ANONYMOUS);
    }
    if (key == null && auth.regionMatches(true, 0, "ApiKey ", 0, 7)) {
      key = auth.substring(7).strip();
    }
    if (key != null) {
      return apiKeys
          .find(key)
          .map(Future::succeededFuture)
          .orElseGet(
              () -> Future.failedFuture(new IllegalArgumentException("the API key is not known")));
    }
    if (auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return tokens.verify(auth.substring(7).strip());
    }
    return Future.failedFuture(
        new IllegalArgumentException("Authorization must be 'Bearer <token>' or 'ApiKey <key>'"));
  }

  private void admit(RoutingContext ctx, Principal who) {
    String remote = io.gridmap.server.web.ClientAddress.of(ctx);
    long wait = limiter.acquire(who.rateKey(remote), System.nanoTime());
    if (wait > 0) {
      ctx.fail(ApiException.tooManyRequests(ctx, who.rateKey(remote), wait));
      return;
    }
    switch (policy.decide(ctx.request().method(), ctx.normalizedPath(), who)) {
      case ALLOW -> {
        ctx.put(KEY, who);
        ctx.next();
      }
      case UNAUTHENTICATED ->
          ctx.fail(
              unauthorized(
                  ctx.request().method()
                      + " "
                      + ctx.normalizedPath()
                      + " needs credentials: a token (Authorization: Bearer ...) or an API key (X-API-Key)"));
      case FORBIDDEN ->
          ctx.fail(
              new ApiException(
                  403,
                  "Forbidden",
                  "role "
                      + who.role().code()
                      + " may not "
                      + ctx.request().method()
                      + " "
                      + ctx.normalizedPath()));
      case NO_RULE ->
          ctx.fail(
              ApiException.notFound(
                  "no resource at "
                      + ctx.normalizedPath()
                      + "; the landing page / lists what exists"));
    }
  }

  private static ApiException unauthorized(String detail) {
    return new ApiException(401, "Unauthorized", detail);
  }
}
