package io.gridmap.server.web;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where route modules register their resources: Vert.x's router, plus a table of which methods each
 * path answers. Every GET route also answers HEAD (a load balancer's health check is a HEAD); a
 * request for a path that exists with a method it does not answer gets 405 with {@code Allow} (and
 * {@code OPTIONS} 204 with {@code Allow}), before the security gate can call it a 404.
 *
 * <p>Vert.x keeps its routes' patterns to itself, so the table is kept here as routes are added.
 */
public final class Routes {
  private static final Pattern PARAM = Pattern.compile(":[A-Za-z0-9_]+");

  private record Resource(Set<String> methods, Pattern path) {}

  private final Router router;
  private final List<Resource> resources = new CopyOnWriteArrayList<>();
  private final List<Map.Entry<Pattern, String>> acceptPatch = new CopyOnWriteArrayList<>();

  /**
   * Where a handler that reads a request's body itself, not with Vert.x's body handler, keeps the
   * bytes ({@code byte[]}) on the context: a request sent on to another node carries them.
   */
  public static final String RAW_BODY = "gridmap.raw-body";

  /**
   * Where a handler that streams its body to a file keeps the file's path ({@code String}) on the
   * context: a request sent on to another node reads its body from there, so a large body (an
   * import, up to {@code import_max_mb}) is never held in memory. The handler removes the file once
   * the response has ended.
   */
  public static final String BODY_FILE = "gridmap.body-file";

  /**
   * Takes a failed request elsewhere instead of answering it here (a write this node may not make,
   * sent to the node whose turn it is), or leaves it: whether it took it.
   */
  private volatile java.util.function.BiPredicate<RoutingContext, Throwable> elsewhere =
      (ctx, failure) -> false;

  public Routes(Router router) {
    this.router = router;
  }

  /** Failures that {@code elsewhere} takes are answered by it (see the field). */
  public void sendElsewhere(java.util.function.BiPredicate<RoutingContext, Throwable> elsewhere) {
    this.elsewhere = elsewhere;
  }

  /**
   * Whether a failed request was taken elsewhere (see {@link #sendElsewhere}): then nothing here
   * answers it. Every failure handler that answers in a form of its own asks this first.
   */
  public boolean sentElsewhere(RoutingContext ctx, Throwable failure) {
    return elsewhere.test(ctx, failure);
  }

  /** The router itself, for plumbing that is no resource (body handlers over a prefix). */
  public Router router() {
    return router;
  }

  /** GET and HEAD on a path ({@code :name} for a parameter). */
  public Route get(String path) {
    add(pathPattern(path), "GET", "HEAD");
    return router.route(path).method(HttpMethod.GET).method(HttpMethod.HEAD);
  }

  /** GET and HEAD on a path given as a regular expression. */
  public Route getWithRegex(String regex) {
    add(Pattern.compile(regex), "GET", "HEAD");
    return router.routeWithRegex(regex).method(HttpMethod.GET).method(HttpMethod.HEAD);
  }

  public Route post(String path) {
    add(pathPattern(path), "POST");
    return router.post(path);
  }

  public Route patch(String path) {
    add(pathPattern(path), "PATCH");
    return router.patch(path);
  }

  /**
   * PATCH on a path whose bodies may have these media types: {@code OPTIONS} on it answers them in
   * {@code Accept-Patch} (RFC 5789 3.1; OGC API - Features Part 4
   * /req/update/options-accept-patch).
   */
  public Route patch(String path, List<String> mediaTypes) {
    acceptPatch.add(Map.entry(pathPattern(path), String.join(", ", mediaTypes)));
    return patch(path);
  }

  /** The {@code Accept-Patch} value of a path, or null when it takes no PATCH. */
  public String acceptPatchFor(String path) {
    for (Map.Entry<Pattern, String> e : acceptPatch) {
      if (e.getKey().matcher(path).matches()) {
        return e.getValue();
      }
    }
    return null;
  }

  public Route put(String path) {
    add(pathPattern(path), "PUT");
    return router.put(path);
  }

  public Route delete(String path) {
    add(pathPattern(path), "DELETE");
    return router.delete(path);
  }

  private void add(Pattern path, String... methods) {
    resources.add(new Resource(Set.of(methods), path));
  }

  /** The methods a path answers, sorted; empty when no resource is there. */
  public Set<String> allowed(String path) {
    Set<String> out = new TreeSet<>();
    for (Resource r : resources) {
      if (r.path().matcher(path).matches()) {
        out.addAll(r.methods());
      }
    }
    return out;
  }

  /**
   * The {@code Allow} value for a request whose path a resource has but whose method it does not
   * answer, or null (no resource at the path, or the method is answered). Asked only on the way to
   * a 404, so that requests that are answered pay nothing for it.
   */
  public String allowFor(String path, String method) {
    Set<String> allowed = allowed(path);
    if (allowed.isEmpty() || allowed.contains(method)) {
      return null;
    }
    Set<String> allow = new TreeSet<>(allowed);
    allow.add("OPTIONS");
    return String.join(", ", allow);
  }

  /** A Vert.x path ({@code /a/:id/b}, {@code /a/*}) as a regular expression. */
  static Pattern pathPattern(String path) {
    StringBuilder re = new StringBuilder();
    String p = path.endsWith("*") ? path.substring(0, path.length() - 1) : path;
    Matcher m = PARAM.matcher(p);
    int last = 0;
    while (m.find()) {
      re.append(Pattern.quote(p.substring(last, m.start()))).append("[^/]+");
      last = m.end();
    }
    re.append(Pattern.quote(p.substring(last)));
    if (path.endsWith("*")) {
      re.append(".*");
    } else {
      re.append("/?"); // Vert.x ignores one trailing slash
    }
    return Pattern.compile(re.toString());
  }
}
