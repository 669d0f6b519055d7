package io.gridmap.server.open311;

import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.EventCategory;
import io.gridmap.layers.model.Feature;
import io.gridmap.server.incidents.Incidents;
import io.gridmap.server.incidents.Placement;
import io.gridmap.server.incidents.Report;
import io.gridmap.server.security.ApiKeys;
import io.gridmap.server.security.Principal;
import io.gridmap.server.security.RateLimiter;
import io.gridmap.server.security.Role;
import io.gridmap.server.security.SecurityHandler;
import io.gridmap.server.web.ApiException;
import io.gridmap.server.web.ApiPaths;
import io.gridmap.server.web.BaseUrl;
import io.gridmap.server.web.ClientAddress;
import io.gridmap.server.web.OpenApiDoc;
import io.gridmap.server.web.Params;
import io.gridmap.server.web.RouteModule;
import io.gridmap.server.web.Routes;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Public reports through Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2), so that
 * FixMyStreet-style clients work unchanged; docs/open311.md.
 *
 * <ul>
 *   <li>{@code GET /open311/discovery.{xml|json}}: the service discovery document.
 *   <li>{@code GET /open311/v2/services.{fmt}}, {@code services/{code}.{fmt}}: the public event
 *       categories as services ({@link Services}).
 *   <li>{@code POST /open311/v2/requests.{fmt}}: a form-encoded report, one {@link Report} through
 *       {@link Incidents#report}; the answer is {@code [{service_request_id, service_notice,
 *       private_url}]}, the last the reporter's private link ({@link PrivateLinks}).
 *   <li>{@code GET /open311/v2/requests.{fmt}}, {@code requests/{id}.{fmt}}: public, redacted
 *       service requests ({@link RequestView}); with {@code ?token=} the reporter's own, a personal
 *       one too.
 *   <li>{@code GET /open311/v2/tokens/{token}.{fmt}}: the id a private link's secret stands for.
 * </ul>
 *
 * The format is the path's suffix, as the spec has it. Every refusal under {@code /open311},
 * including the security gate's (401, 429, 404), is an Open311 error list {@code [{code,
 * description}]} in that format (XML when the path has no {@code .json}), with the HTTP status as
 * its code.
 */
public final class Open311Routes implements RouteModule {
  private static final Logger LOG = LoggerFactory.getLogger(Open311Routes.class);

  static final String BASE = "/open311";
  static final String V2 = BASE + "/v2";
  static final String SPEC = "http://wiki.open311.org/GeoReport_v2";
  static final long MAX_BODY = 64 * 1024;

  /** The spec's response volume: the first 1000 requests of at most 90 days. */
  static final int MAX_RESULTS = 1000;

  static final Duration WINDOW = Duration.ofDays(90);

  /** Roles whose credential may report here (those that may report incidents anywhere). */
  static final Set<Role> REPORTING =
      EnumSet.of(Role.REPORTER, Role.GRID_WORKER, Role.COMMANDER, Role.ADMIN);

  /** A response format, chosen by the path's suffix. */
  enum Format {
    JSON("json", "application/json; charset=utf-8"),
    XML("xml", "text/xml; charset=utf-8");

    final String suffix;
    final String mediaType;

    Format(String suffix, String mediaType) {
      this.suffix = suffix;
      this.mediaType = mediaType;
    }
  }

  private final Incidents incidents;
  private final ApiKeys apiKeys;
  private final PrivateLinks links;
  private final boolean apiKeyRequired;
  private final int postsPerMinute;
  private final RateLimiter posts;
  private final String publicUrl;
  private volatile Routes routes;

  /**
   * @param apiKeys the server's API keys: an {@code api_key} argument must be one of them
   * @param serverSecret the token secret, from which the private links' key is derived
   * @param apiKeyRequired true when a POST must carry a credential of a reporting role
   * @param postsPerMinute service requests a client may POST per minute (a burst of as many, then
   *     one every 60/n seconds); a client is its credential, else its address
   * @param publicUrl the configured public URL for links, or empty to take it from the request
   */
  public Open311Routes(
      Incidents incidents,
      ApiKeys apiKeys,
      String serverSecret,
      boolean apiKeyRequired,
      int postsPerMinute,
      String publicUrl) {
    if (postsPerMinute < 1) {
      throw new IllegalArgumentException(
          "open311 posts per minute must be >= 1, got " + postsPerMinute);
    }
    this.incidents = incidents;
    this.apiKeys = apiKeys;
    this.links = new PrivateLinks(serverSecret);
    this.apiKeyRequired = apiKeyRequired;
    this.postsPerMinute = postsPerMinute;
    this.posts = new RateLimiter(postsPerMinute / 60.0, postsPerMinute);
    this.publicUrl = publicUrl;
  }

  @Override
  public void mount(Routes r) {
    this.routes = r;
    // before the server's problem handler: everything under /open311 fails in Open311's own form
    // on every path, the raw one tested here: a route with a path would make Vert.x decode a
    // malformed one ("/%") to match it and answer a bare 400 before the problem handler
    r.router()
        .route()
        .failureHandler(
            ctx -> {
              String raw = ctx.request().path();
              if (raw != null && (raw.equals(BASE) || raw.startsWith(BASE + "/"))) {
                failure(ctx);
              } else {
                ctx.next();
              }
            });
    String fmt = "\\.(?<format>[^/.]+)";
    r.getWithRegex(BASE + "/discovery" + fmt)
        .setName(BASE + "/discovery.{format}")
        .handler(this::discovery);
    r.getWithRegex(V2 + "/services" + fmt)
        .setName(V2 + "/services.{format}")
        .handler(this::services);
    r.getWithRegex(V2 + "/services/(?<code>[^/.]+)" + fmt)
        .setName(V2 + "/services/{code}.{format}")
        .handler(this::definition);
    r.getWithRegex(V2 + "/requests" + fmt)
        .setName(V2 + "/requests.{format}")
        .handler(this::requests);
    r.getWithRegex(V2 + "/requests/(?<id>[^/.]+)" + fmt)
        .setName(V2 + "/requests/{id}.{format}")
        .handler(this::request);
    r.getWithRegex(V2 + "/tokens/(?<token>[^/.]+)" + fmt)
        .setName(V2 + "/tokens/{token}.{format}")
        .handler(this::token);
    for (Format f : Format.values()) {
      String path = V2 + "/requests." + f.suffix;
      // two routes: the media type is checked before the body is read
      r.post(path).setName(V2 + "/requests.{format}").handler(Open311Routes::formBody);
      r.post(path)
          .setName(V2 + "/requests.{format}")
          .handler(ctx -> readBody(ctx, body -> post(ctx, f, body)));
    }
  }

  // ------------------------------------------------------------------ formats and errors

  private static Format format(RoutingContext ctx) {
    String f = ctx.pathParam("format");
    for (Format one : Format.values()) {
      if (one.suffix.equals(f)) {
        return one;
      }
    }
    throw ApiException.notFound(
        "format ."
            + Params.quote(String.valueOf(f))
            + " is not served; GeoReport v2 here answers .xml and .json");
  }

  /** The format of an error: JSON for a .json path, else XML, the spec's required format. */
  private static Format errorFormat(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    return path != null && path.endsWith(".json") ? Format.JSON : Format.XML;
  }

  private static void send(
      RoutingContext ctx, Format f, int status, byte[] body, String cacheControl) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", f.mediaType)
        .putHeader("Cache-Control", cacheControl)
        .end(Buffer.buffer(body));
  }

  private static byte[] render(Format f, String root, Object tree) {
    return f == Format.JSON ? Spark.json(tree) : Spark.xml(root, tree);
  }

  /**
   * Writes a failure as {@code [{code, description}]}. Failures that are no refusal (a bug, a
   * closed connection) go on to the server's problem handler, which logs them.
   */
  private void failure(RoutingContext ctx) {
    Throwable t = ctx.failure();
    if (t != null && routes != null && routes.sentElsewhere(ctx, t)) {
      return; // a report this node may not write, sent to the node whose turn it is
    }
    int status;
    String description;
    if (t instanceof ApiException a) {
      status = a.status();
      description = a.getMessage();
    } else if (t instanceof HttpException h) {
      status = h.getStatusCode();
      description = h.getPayload() != null ? h.getPayload() : defaultDescription(ctx, status);
    } else if (t == null && ctx.statusCode() >= 400) {
      status = ctx.statusCode();
      description = defaultDescription(ctx, status);
    } else if (io.gridmap.layers.store.StoreUnavailableException.in(t) != null) {
      // in Open311's own form, as the problem handler answers it elsewhere
      status = 503;
      description =
          "the store cannot be reached just now, so the request was not taken; send it again in 5 s";
      ctx.response().putHeader("Retry-After", "5");
    } else {
      ctx.next();
      return;
    }
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    if (status == 404 && routes != null) {
      String method = ctx.request().method().name();
      String allow = routes.allowFor(ctx.normalizedPath(), method);
      if (allow != null) {
        ctx.response().putHeader("Allow", allow);
        if (method.equals("OPTIONS")) {
          ctx.response().setStatusCode(204).end();
          return;
        }
        status = 405;
        description =
            "method "
                + method
                + " is not allowed on "
                + ctx.normalizedPath()
                + "; it answers "
                + allow;
      }
    }
    if (status == 401) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"gridmap\"");
    }
    if (status >= 500) {
      LOG.warn("{} {}: {} {}", ctx.request().method(), ctx.request().path(), status, description);
    }
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", status);
    error.put("description", description);
    Format f = errorFormat(ctx);
    send(ctx, f, status, render(f, "errors", List.of(error)), "no-store");
  }

  private static String defaultDescription(RoutingContext ctx, int status) {
    return switch (status) {
      case 404 ->
          "no resource at "
              + ctx.normalizedPath()
              + "; GeoReport v2 is at "
              + V2
              + " (services.xml, requests.xml) and its discovery at "
              + BASE
              + "/discovery.xml";
      case 413 -> "the form is larger than " + MAX_BODY / 1024 + " KiB";
      default -> "request failed with status " + status;
    };
  }

  /** 415 before the body is read when it is not a form. */
  static void formBody(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    String media = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (!media.equals("application/x-www-form-urlencoded")) {
      ctx.fail(
          new ApiException(
              415,
              "Unsupported Media Type",
              "Content-Type "
                  + Params.quote(String.valueOf(type))
                  + " is not accepted; a service request is sent as"
                  + " application/x-www-form-urlencoded; charset=utf-8"));
      return;
    }
    ctx.next();
  }

  /** Refuses query parameters other than {@code allowed} (jurisdiction_id and api_key always). */
  private static void only(MultiMap q, String... allowed) {
    Set<String> ok = new TreeSet<>(List.of(allowed));
    ok.add("jurisdiction_id");
    ok.add("api_key");
    for (String n : q.names()) {
      if (!ok.contains(n)) {
        throw Params.bad(n, q.get(n), "only the parameters " + String.join(", ", ok));
      }
    }
    for (String n : List.of("jurisdiction_id", "api_key")) {
      String v = Params.single(q, n);
      if (v != null && v.length() > 200) {
        throw Params.bad(n, v, "at most 200 characters");
      }
    }
  }

  /** A query parameter's one value, or null when absent or empty (the spec's optional). */
  private static String value(MultiMap q, String name) {
    String v = Params.single(q, name);
    return v == null || v.isBlank() ? null : v.strip();
  }

  // ------------------------------------------------------------------ discovery and services

  private void discovery(RoutingContext ctx) {
    Format f = format(ctx);
    only(ctx.queryParams());
    Map<String, Object> endpoint = new LinkedHashMap<>();
    endpoint.put("specification", SPEC);
    endpoint.put("url", BaseUrl.of(ctx, publicUrl) + V2);
    endpoint.put("changeset", Services.CHANGESET);
    endpoint.put("type", "production");
    endpoint.put("formats", List.of(Format.XML.mediaType.split(";")[0], "application/json"));
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("changeset", Services.CHANGESET);
    d.put(
        "contact",
        "The command centre that runs this map server; the API is described at /api and in"
            + " docs/open311.md");
    d.put(
        "key_service",
        apiKeyRequired
            ? "A service request needs an api_key of role reporter, issued by this server's"
                + " administrator (mapserver token --api-key --role reporter)"
            : "No key is needed to report; an api_key of role reporter, issued by this server's"
                + " administrator, makes your reports your client's and rate-limits them by key");
    d.put("endpoints", List.of(endpoint));
    send(ctx, f, 200, render(f, "discovery", d), "public, max-age=3600");
  }

  private void services(RoutingContext ctx) {
    Format f = format(ctx);
    only(ctx.queryParams());
    List<Map<String, Object>> list = new ArrayList<>();
    for (EventCategory c : Services.offered()) {
      list.add(Services.service(c));
    }
    send(ctx, f, 200, render(f, "services", list), "public, max-age=3600");
  }

  private void definition(RoutingContext ctx) {
    Format f = format(ctx);
    only(ctx.queryParams());
    String code = ctx.pathParam("code");
    EventCategory c =
        Services.byCode(code)
            .orElseThrow(
                () ->
                    ApiException.notFound(
                        "service_code="
                            + Params.quote(String.valueOf(code))
                            + " is not a service here; expected one of "
                            + Services.codes()));
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("service_code", c.code());
    d.put("attributes", List.of());
    send(ctx, f, 200, render(f, "service_definition", d), "public, max-age=3600");
  }

  // ------------------------------------------------------------------ reading requests

  /** What GET requests asks for: ids (which override the rest) or a filter. */
  private record Query(
      List<Long> ids, Set<String> codes, Set<String> statuses, long start, long end) {}

  private void requests(RoutingContext ctx) {
    Format f = format(ctx);
    MultiMap q = ctx.queryParams();
    only(q, "service_request_id", "service_code", "start_date", "end_date", "status");
    Query query = query(q, incidents.now());
    CityIndex index = incidents.content().index();
    ctx.vertx()
        .executeBlocking(() -> render(f, "service_requests", select(index, query)), false)
        .onSuccess(body -> send(ctx, f, 200, body, "no-cache"))
        .onFailure(ctx::fail);
  }

  static Query query(MultiMap q, long now) {
    String ids = value(q, "service_request_id");
    if (ids != null) {
      List<Long> out = new ArrayList<>();
      for (String part : ids.split(",", -1)) {
        String p = part.strip();
        if (!p.matches("\\d{1,16}")) {
          throw Params.bad(
              "service_request_id", ids, "service request ids (digits), separated by commas");
        }
        out.add(Long.parseLong(p));
      }
      if (out.size() > MAX_RESULTS) {
        throw Params.bad(
            "service_request_id", ids, "at most " + MAX_RESULTS + " ids, separated by commas");
      }
      return new Query(out, Set.of(), Set.of(), 0, 0);
    }
    Set<String> codes = new LinkedHashSet<>();
    String c = value(q, "service_code");
    if (c != null) {
      for (String part : c.split(",", -1)) {
        String p = part.strip();
        if (Services.byCode(p).isEmpty()) {
          throw Params.bad(
              "service_code",
              c,
              "service codes separated by commas, each one of " + Services.codes());
        }
        codes.add(p);
      }
    }
    Set<String> statuses = new HashSet<>();
    String s = value(q, "status");
    if (s != null) {
      for (String part : s.split(",", -1)) {
        String p = part.strip().toLowerCase(Locale.ROOT);
        if (!p.equals("open") && !p.equals("closed")) {
          throw Params.bad("status", s, "open, closed or open,closed");
        }
        statuses.add(p);
      }
    }
    String from = value(q, "start_date");
    String to = value(q, "end_date");
    long window = WINDOW.toMillis();
    long start;
    long end;
    if (from == null && to == null) {
      end = now;
      start = now - window;
    } else if (to == null) {
      start = date("start_date", from);
      end = start + window;
    } else if (from == null) {
      end = date("end_date", to);
      start = end - window;
    } else {
      start = date("start_date", from);
      end = date("end_date", to);
      if (end < start) {
        throw ApiException.badRequest(
            "end_date=" + Params.quote(to) + " is before start_date=" + Params.quote(from));
      }
      if (end - start > window) {
        throw ApiException.badRequest(
            "start_date="
                + Params.quote(from)
                + " to end_date="
                + Params.quote(to)
                + " spans more than 90 days; GeoReport v2 answers at most 90 days at a time");
      }
    }
    return new Query(null, codes, statuses, start, end);
  }

  /** A W3C date-time with its offset; a {@code +} left unescaped in a query reads as a space. */
  private static long date(String name, String v) {
    try {
      return OffsetDateTime.parse(v.replace(' ', '+')).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      throw Params.bad(
          name,
          v,
          "a W3C date-time with its offset, e.g. 2026-11-01T00:00:00Z or 2026-11-01T08:00:00+08:00");
    }
  }

  /** The public requests the query names, newest first, at most {@link #MAX_RESULTS}. */
  private static List<Map<String, Object>> select(CityIndex index, Query q) {
    LayerIndex events = index.findLayer(Catalogue.EVENTS.name()).orElse(null);
    List<Feature> found = new ArrayList<>();
    if (events != null && q.ids() != null) {
      for (long id : new LinkedHashSet<>(q.ids())) {
        events.byId(id).filter(RequestView::isPublic).ifPresent(found::add);
      }
    } else if (events != null) {
      for (Feature f : events.features()) {
        long t = RequestView.reportedAt(f);
        if (t < q.start()
            || t > q.end()
            || !RequestView.isPublic(f)
            || (!q.codes().isEmpty() && !q.codes().contains(RequestView.category(f)))
            || (!q.statuses().isEmpty() && !q.statuses().contains(RequestView.status(f)))) {
          continue;
        }
        found.add(f);
      }
      found.sort(
          Comparator.comparingLong(RequestView::reportedAt)
              .thenComparingLong(Feature::id)
              .reversed());
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (Feature f : found.subList(0, Math.min(MAX_RESULTS, found.size()))) {
      out.add(RequestView.request(f, index));
    }
    return out;
  }

  private static long id(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (id == null || !id.matches("\\d{1,16}")) {
      throw ApiException.notFound(
          "service request "
              + Params.quote(String.valueOf(id))
              + " does not exist; service_request_id is a number");
    }
    return Long.parseLong(id);
  }

  /** The incident a private link's secret stands for, or null. */
  private Feature byToken(String token) {
    if (!PrivateLinks.wellFormed(token)) {
      return null;
    }
    return incidents.byRequestKey(PrivateLinks.requestKey(token));
  }

  private void request(RoutingContext ctx) {
    Format f = format(ctx);
    MultiMap q = ctx.queryParams();
    only(q, "token");
    long id = id(ctx);
    String token = value(q, "token");
    Feature incident;
    String cache;
    if (token != null) {
      Feature mine = byToken(token);
      if (mine == null || mine.id() != id) {
        // one answer for a wrong secret and a missing request: the link proves nothing else
        throw ApiException.notFound(
            "no service request "
                + id
                + " with that token; the private link is the whole URL"
                + " returned with the report");
      }
      incident = mine;
      cache = "private, no-store";
    } else {
      incident = incidents.find(id);
      if (incident == null || !RequestView.isPublic(incident)) {
        throw ApiException.notFound("service request " + id + " does not exist");
      }
      cache = "no-cache";
    }
    CityIndex index = incidents.content().index();
    byte[] body = render(f, "service_requests", List.of(RequestView.request(incident, index)));
    send(ctx, f, 200, body, cache);
  }

  private void token(RoutingContext ctx) {
    Format f = format(ctx);
    only(ctx.queryParams());
    String token = ctx.pathParam("token");
    Feature mine = byToken(token);
    if (mine == null) {
      throw ApiException.notFound("token " + Params.quote(String.valueOf(token)) + " is not known");
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("service_request_id", Long.toString(mine.id()));
    r.put("token", token);
    send(ctx, f, 200, render(f, "service_requests", List.of(r)), "private, no-store");
  }

  // ------------------------------------------------------------------ reporting

  /**
   * Reads the form's bytes, at most {@link #MAX_BODY}, then hands them on. Not Vert.x's body
   * handler: for a form it also has Netty decode the attributes, which refuses a malformed escape
   * with an exception no handler expects (a 500) and an attribute past 8 KiB (a description of
   * 4,000 Chinese characters is 12 KiB); {@link RequestForm} decodes instead. The router pauses
   * every request until a handler reads it, so nothing is lost to the security gate's wait.
   */
  private static void readBody(RoutingContext ctx, Handler<byte[]> then) {
    HttpServerRequest req = ctx.request();
    String length = req.getHeader("Content-Length");
    if (length != null
        && !(length.strip().matches("\\d{1,18}") && Long.parseLong(length.strip()) <= MAX_BODY)) {
      ctx.fail(tooLarge());
      return;
    }
    if (req.isEnded()) {
      // a handler before this one read the body: a bug, not the client's fault
      ctx.fail(new IllegalStateException("the form was read before its handler"));
      return;
    }
    Buffer body = Buffer.buffer();
    AtomicBoolean refused = new AtomicBoolean();
    req.handler(
        chunk -> {
          if (refused.get()) {
            return;
          }
          if (body.length() + chunk.length() > MAX_BODY) {
            refused.set(true);
            ctx.fail(tooLarge());
            return;
          }
          body.appendBuffer(chunk);
        });
    req.exceptionHandler(
        e -> {
          if (refused.compareAndSet(false, true)) {
            ctx.fail(e);
          }
        });
    req.endHandler(
        v -> {
          if (!refused.get()) {
            try {
              byte[] bytes = body.getBytes();
              ctx.put(Routes.RAW_BODY, bytes);
              then.handle(bytes);
            } catch (RuntimeException e) {
              ctx.fail(e);
            }
          }
        });
    req.resume();
  }

  private static ApiException tooLarge() {
    return new ApiException(
        413,
        "Content Too Large",
        "the form is larger than " + MAX_BODY / 1024 + " KiB; a service request is far smaller");
  }

  private void post(RoutingContext ctx, Format f, byte[] bytes) {
    RequestForm form = RequestForm.parse(bytes);
    Principal who = reporter(form.apiKey(), SecurityHandler.principal(ctx));
    String remote = ClientAddress.of(ctx);
    String client = who.rateKey(remote);
    long wait = posts.acquire(client, System.nanoTime());
    if (wait > 0) {
      ctx.response().putHeader("Retry-After", Long.toString(wait));
      throw new ApiException(
          429,
          "Too Many Requests",
          "more than "
              + postsPerMinute
              + " service requests a minute from this client; retry after "
              + wait
              + " s");
    }
    String key = ctx.request().getHeader("Idempotency-Key");
    if (key != null && !key.matches("[\\x21-\\x7e]{1,128}")) {
      throw new ApiException(
          400,
          "Bad Request",
          "header Idempotency-Key="
              + Params.quote(key)
              + " is invalid; expected 1 to 128 visible ASCII characters, e.g. a UUID");
    }
    String secret = key == null ? PrivateLinks.random() : links.forRetry(client, key);
    Report report = form.report(incidents.now(), PrivateLinks.requestKey(secret));
    String base = BaseUrl.of(ctx, publicUrl);
    Future.fromCompletionStage(incidents.report(who, report), ctx.vertx().getOrCreateContext())
        .onSuccess(
            done -> {
              long id = done.incident().id();
              Map<String, Object> r = new LinkedHashMap<>();
              r.put("service_request_id", Long.toString(id));
              r.put("service_notice", notice(done.placement()));
              r.put(
                  "private_url",
                  base + V2 + "/requests/" + id + "." + f.suffix + "?token=" + secret);
              send(ctx, f, 200, render(f, "service_requests", List.of(r)), "no-store");
            })
        .onFailure(e -> ctx.fail(refusal(e, report)));
  }

  /**
   * Who the report is from: the holder of the {@code api_key} argument, else whoever the security
   * gate found (a key or token in the headers, or the public). A credential must be of a role that
   * reports; when the deployment asks for keys, the public may not report here.
   */
  private Principal reporter(String apiKey, Principal gate) {
    Principal who = gate;
    if (apiKey != null) {
      who =
          apiKeys
              .find(apiKey)
              .orElseThrow(
                  () ->
                      new ApiException(
                          403,
                          "Forbidden",
                          "api_key is not a key of this server; its administrator issues them"
                              + " (mapserver token --api-key --role reporter)"));
    }
    if (who.role() != Role.PUBLIC && !REPORTING.contains(who.role())) {
      throw new ApiException(
          403,
          "Forbidden",
          "the credential of role "
              + who.role().code()
              + " may not report; a service request is sent by the public or with a key of"
              + " role reporter (or grid_worker, commander, admin)");
    }
    if (apiKeyRequired && who.role() == Role.PUBLIC) {
      throw new ApiException(
          403,
          "Forbidden",
          "api_key is missing; this server takes service requests only with an api_key of role"
              + " reporter, issued by its administrator");
    }
    return who;
  }

  /** What the reporter is told: who handles it, and that it may be the same as another report. */
  private static String notice(Placement p) {
    StringBuilder sb = new StringBuilder();
    if (p != null && p.street() != null) {
      sb.append("Sent to ")
          .append(p.street().string(Catalogue.STREETS.requireField("name")))
          .append("指挥中心");
      if (p.grid() != null) {
        sb.append(", grid ").append(p.grid().string(Catalogue.GRIDS.requireField("code")));
      }
      sb.append(". ");
    }
    if (p != null && p.duplicateOf() != null) {
      sb.append("It looks like service request ")
          .append(p.duplicateOf())
          .append(", reported nearby a little earlier; both are handled together. ");
    }
    sb.append("Follow it through private_url, which only you have: keep it to yourself.");
    return sb.toString();
  }

  /** A failure of the report, in Open311's words where ours name the GeoJSON endpoint's members. */
  private static Throwable refusal(Throwable e, Report r) {
    Throwable cause = e instanceof CompletionException c && c.getCause() != null ? c.getCause() : e;
    if (cause instanceof ApiException a && a.status() == 422) {
      // the only 422 of a report without a site: the place lies in no grid of the city
      return new ApiException(
          422,
          "Unprocessable Content",
          "lat="
              + r.lat()
              + ", long="
              + r.lon()
              + " lies in no grid of this city; a report is routed to the grid that contains it"
              + " (lat and long are WGS84 degrees: check that they are not swapped or offset, as"
              + " GCJ-02 coordinates from Chinese map SDKs are)");
    }
    return cause;
  }

  // ------------------------------------------------------------------ OpenAPI

  @Override
  public void describe(ApiPaths api) {
    JsonObject format =
        OpenApiDoc.path(
            "format",
            new JsonObject()
                .put("type", "string")
                .put("enum", new JsonArray().add("xml").add("json")));
    String errors =
        "an Open311 error list [{code, description}] (XML <errors><error><code/><description/>"
            + "</error></errors>), code the HTTP status";
    api.put(
        BASE + "/discovery.{format}",
        get(
            "Open311 service discovery",
            "The GeoReport v2 discovery document: changeset, contact, key_service and the endpoint"
                + " (specification, url, formats).",
            List.of(format),
            "the discovery document",
            errors));
    api.put(
        V2 + "/services.{format}",
        get(
            "Open311 services",
            "The public event categories as GeoReport v2 services (service_code, service_name,"
                + " description, metadata, type, keywords, group = the board); wristband alarms,"
                + " which only devices raise, are not among them.",
            List.of(format),
            "the services",
            errors));
    api.put(
        V2 + "/services/{code}.{format}",
        get(
            "Open311 service definition",
            "A service's attributes: none here (metadata is false for every service).",
            List.of(OpenApiDoc.path("code", new JsonObject().put("type", "string")), format),
            "the service definition",
            errors));
    List<Object> filters = new ArrayList<>();
    filters.add(format);
    for (String[] p :
        new String[][] {
          {"jurisdiction_id", "accepted and ignored: one jurisdiction"},
          {"service_request_id", "ids, comma-separated; overrides the other arguments"},
          {"service_code", "service codes, comma-separated"},
          {"start_date", "W3C date-time; the window is at most 90 days (default the last 90)"},
          {"end_date", "W3C date-time"},
          {"status", "open, closed, or both comma-separated"}
        }) {
      filters.add(OpenApiDoc.query(p[0], p[1], new JsonObject().put("type", "string")));
    }
    JsonObject requests =
        get(
            "Open311 service requests",
            "Public, redacted service requests (no reporter, nothing personal; personal incidents"
                + " are never listed), newest first, at most 1000. status is open or closed;"
                + " status_notes carries the finer state.",
            filters,
            "the service requests",
            errors);
    JsonObject created = content("[{service_request_id, service_notice, private_url}]");
    JsonObject postResponses = new JsonObject().put("200", created);
    for (String[] s :
        new String[][] {
          {"400", "a malformed or missing argument, named"},
          {
            "403",
            "an unknown api_key, a credential of a role that does not report, or no key"
                + " where the deployment asks for one"
          },
          {"404", "service_code is not a service here"},
          {"413", "a form larger than 64 KiB"},
          {"415", "a body that is not application/x-www-form-urlencoded"},
          {"422", "lat/long in no grid of the city"},
          {"429", "more service requests a minute than the client's limit; Retry-After"}
        }) {
      postResponses.put(s[0], errorResponse(s[1] + ": " + errors));
    }
    requests.put(
        "post",
        OpenApiDoc.operation(
                "Open311 POST service request",
                "A form-encoded report (service_code, lat, long, description, media_url, email,"
                    + " first_name, last_name, phone, account_id, device_id, address_string,"
                    + " attribute[code]; api_key when the deployment asks for one). Optional"
                    + " header Idempotency-Key: a retry answers with the first report and the same"
                    + " private link. Rate-limited per client.",
                List.of(format),
                postResponses)
            .put(
                "requestBody",
                new JsonObject()
                    .put("required", true)
                    .put(
                        "content",
                        new JsonObject()
                            .put(
                                "application/x-www-form-urlencoded",
                                new JsonObject()
                                    .put("schema", new JsonObject().put("type", "object"))))));
    api.put(V2 + "/requests.{format}", requests);
    api.put(
        V2 + "/requests/{id}.{format}",
        get(
            "Open311 service request",
            "One public service request; with token (the secret of the private link returned"
                + " with the report) the reporter's own, a personal one too.",
            List.of(
                OpenApiDoc.path("id", new JsonObject().put("type", "string")),
                format,
                OpenApiDoc.query(
                    "token", "the private link's secret", new JsonObject().put("type", "string"))),
            "the service request",
            errors));
    api.put(
        V2 + "/tokens/{token}.{format}",
        get(
            "Open311 service request id from a token",
            "The service_request_id a private link's secret stands for.",
            List.of(OpenApiDoc.path("token", new JsonObject().put("type", "string")), format),
            "[{service_request_id, token}]",
            errors));
  }

  private static JsonObject get(
      String summary, String description, List<?> params, String ok, String errors) {
    JsonObject responses =
        new JsonObject()
            .put("200", content(ok))
            .put("400", errorResponse("a malformed argument, named: " + errors))
            .put("404", errorResponse("no such resource or format: " + errors));
    return OpenApiDoc.get(summary, description, params, responses);
  }

  private static JsonObject content(String description) {
    return new JsonObject()
        .put("description", description)
        .put(
            "content",
            new JsonObject()
                .put("application/json", new JsonObject().put("schema", new JsonObject()))
                .put(
                    "text/xml",
                    new JsonObject().put("schema", new JsonObject().put("type", "string"))));
  }

  private static JsonObject errorResponse(String description) {
    JsonObject error =
        new JsonObject()
            .put("type", "object")
            .put(
                "properties",
                new JsonObject()
                    .put("code", new JsonObject().put("type", "integer"))
                    .put("description", new JsonObject().put("type", "string")));
    return new JsonObject()
        .put("description", description)
        .put(
            "content",
            new JsonObject()
                .put(
                    "application/json",
                    new JsonObject()
                        .put("schema", new JsonObject().put("type", "array").put("items", error)))
                .put(
                    "text/xml",
                    new JsonObject().put("schema", new JsonObject().put("type", "string"))));
  }
}
