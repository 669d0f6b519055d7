package io.gridmap.server.security;

import io.vertx.core.http.HttpMethod;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Who may call what: the one table every request is decided by, before any handler runs. Rules are
 * tried in order; a request no rule matches is refused (deny by default), so an endpoint added
 * without a rule is closed, not open. Scopes (which admin unit a caller may change) are checked by
 * the write handlers against {@link Principal#covers}.
 */
public final class AccessPolicy {
  /**
   * How a path is matched: exactly, or as a prefix ending at a path segment; a segment {@code *} of
   * an exact path matches any one segment (an id).
   */
  public record Rule(
      Set<HttpMethod> methods, String path, boolean prefix, Set<Role> roles, String why) {
    boolean matches(HttpMethod method, String requestPath) {
      if (!methods.contains(method)) {
        return false;
      }
      if (!prefix && (path.contains("/*/") || path.endsWith("/*"))) {
        String[] want = path.split("/", -1);
        String[] got = requestPath.split("/", -1);
        if (want.length != got.length) {
          return false;
        }
        for (int i = 0; i < want.length; i++) {
          if (!(want[i].equals("*") ? !got[i].isEmpty() : want[i].equals(got[i]))) {
            return false;
          }
        }
        return true;
      }
      if (!prefix) {
        return requestPath.equals(path);
      }
      return requestPath.equals(path)
          || requestPath.startsWith(path.endsWith("/") ? path : path + "/");
    }
  }

  /** What the policy says about one request. */
  public enum Decision {
    ALLOW,
    /** No credentials, and the endpoint needs some: 401. */
    UNAUTHENTICATED,
    /** Credentials, but not a role the endpoint allows: 403. */
    FORBIDDEN,
    /** No rule: treated as a resource that does not exist, 404. */
    NO_RULE
  }

  private static final Set<HttpMethod> READ = Set.of(HttpMethod.GET, HttpMethod.HEAD);
  private static final Set<Role> EVERYONE = EnumSet.allOf(Role.class);
  private static final Set<Role> STAFF_AND_ANALYSTS = EnumSet.complementOf(EnumSet.of(Role.PUBLIC));
  private static final Set<Role> ADMIN = EnumSet.of(Role.ADMIN);

  /** The roles that see personal data (the staff visibility class): who may read a track. */
  private static final Set<Role> PERSONAL_DATA = staffClass();

  private static final Set<Role> EDITORS = EnumSet.of(Role.PLANNER, Role.ADMIN);
  private static final Set<Role> REPORTERS =
      EnumSet.of(Role.GRID_WORKER, Role.COMMANDER, Role.ADMIN, Role.REPORTER);
  private static final Set<Role> HANDLERS =
      EnumSet.of(
          Role.GRID_WORKER,
          Role.COMMANDER,
          Role.ADMIN,
          Role.POLICE,
          Role.URBAN_MANAGEMENT,
          Role.UTILITIES);

  private final List<Rule> rules;

  public AccessPolicy(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** The server's policy; docs/security.md shows it as a table. */
  public static AccessPolicy standard() {
    return new AccessPolicy(
        List.of(
            exact(READ, "/", EVERYONE, "landing page"),
            exact(READ, "/health", EVERYONE, "load balancers and monitors: readiness"),
            exact(READ, "/health/live", EVERYONE, "process supervisors: liveness"),
            exact(READ, "/conformance", EVERYONE, "OGC API"),
            exact(READ, "/api", EVERYONE, "OpenAPI document"),
            // before /collections: a track is personal data, whoever may read the force itself
            exact(
                READ,
                "/collections/forces/items/*/track",
                PERSONAL_DATA,
                "a force's track: personal data, staff only, forces in the caller's scope"),
            prefix(
                READ,
                "/collections",
                EVERYONE,
                "features and tiles; personal data filtered by visibility"),
            prefix(
                READ,
                "/tiles",
                EVERYONE,
                "vector tiles and TileJSON; personal data filtered by visibility"),
            exact(READ, "/tiles/cq.json", EVERYONE, "TileJSON"),
            prefix(READ, "/tileMatrixSets", EVERYONE, "OGC API - Tiles"),
            prefix(READ, "/styles", EVERYONE, "MapLibre styles"),
            prefix(READ, "/fonts", EVERYONE, "glyphs"),
            exact(READ, "/viewer", EVERYONE, "web viewer"),
            prefix(READ, "/viewer", EVERYONE, "web viewer"),
            exact(
                READ,
                "/query/locate",
                EVERYONE,
                "which grid is this point in (no personal data for the public)"),
            exact(READ, "/query/counts", EVERYONE, "counts per unit"),
            exact(
                Set.of(HttpMethod.POST),
                "/query/locate",
                STAFF_AND_ANALYSTS,
                "batch locate: heavy, for systems"),
            exact(READ, "/query/nearest", STAFF_AND_ANALYSTS, "nearest staff: their positions"),
            exact(READ, "/query/within", STAFF_AND_ANALYSTS, "features within an area"),
            exact(READ, "/query/hotspots", STAFF_AND_ANALYSTS, "clusters of incidents"),
            exact(
                READ,
                "/live/ws",
                EVERYONE,
                "live layers over a WebSocket; personal data by visibility"),
            exact(
                Set.of(HttpMethod.POST),
                "/live/tickets",
                STAFF_AND_ANALYSTS,
                "a one-time ticket for a browser's live WebSocket"),
            exact(
                Set.of(HttpMethod.POST),
                "/live/positions",
                EnumSet.of(Role.GRID_WORKER, Role.COMMANDER, Role.ADMIN),
                "positions: a worker their own, command centres and gateways their scope"),
            exact(
                Set.of(HttpMethod.POST),
                "/collections/events/items",
                REPORTERS,
                "report an incident: grid workers, command centres, other systems; in their scope"),
            prefix(
                Set.of(HttpMethod.POST),
                "/collections/events/items",
                HANDLERS,
                "move an incident along the loop; the lifecycle table says which action is whose"),
            prefix(
                READ,
                "/open311",
                EVERYONE,
                "Open311 GeoReport v2: discovery, services, public redacted service requests"),
            exact(
                Set.of(HttpMethod.POST),
                "/open311/v2/requests.json",
                EVERYONE,
                "Open311 public reports (a credential, when sent, must be of a reporting role)"),
            exact(
                Set.of(HttpMethod.POST),
                "/open311/v2/requests.xml",
                EVERYONE,
                "Open311 public reports (a credential, when sent, must be of a reporting role)"),
            exact(
                READ,
                "/incidents/panel",
                STAFF_AND_ANALYSTS,
                "the command centre's list of open incidents; key people for staff only"),
            prefix(
                Set.of(HttpMethod.PATCH, HttpMethod.PUT),
                "/collections/grids/items",
                EDITORS,
                "grid attributes (PATCH updates, PUT replaces), inside the caller's scope"),
            prefix(
                Set.of(HttpMethod.POST),
                "/edits/grids",
                EDITORS,
                "grid boundaries (redraw, split, merge, grids created), inside the caller's scope"),
            exact(
                Set.of(HttpMethod.POST),
                "/edits/villages",
                EDITORS,
                "the boundary of two villages, their grids following, inside the caller's scope"),
            exact(
                READ,
                "/edits/scheduled",
                EDITORS,
                "edits scheduled to take effect later (?effective=), whoever scheduled them"),
            exact(READ, "/edits/scheduled/*", EDITORS, "one scheduled edit and what became of it"),
            exact(
                Set.of(HttpMethod.DELETE),
                "/edits/scheduled/*",
                EDITORS,
                "cancel a scheduled edit: " + CANCEL_RULE),
            prefix(
                Set.of(HttpMethod.POST),
                "/edits",
                EDITORS,
                "revert an edit (POST /edits/{seq}/revert): " + REVERT_RULE),
            prefix(
                READ,
                "/history",
                STAFF_AND_ANALYSTS,
                "a feature's versions: who changed what when; personal features for staff only"),
            exact(
                Set.of(HttpMethod.POST),
                "/imports",
                EDITORS,
                "a layer imported into the running server: admins anywhere, planners inside their"
                    + " scope's outline"),
            exact(READ, "/metrics", ADMIN, "operations"),
            prefix(READ, "/admin", ADMIN, "audit log")));
  }

  /** Who may cancel a scheduled edit, in words for refusals and docs/security.md. */
  public static final String CANCEL_RULE =
      "a planner cancels only the edits they scheduled, an admin anyone's";

  /** Who may revert whose edit, in words for refusals and docs/security.md. */
  public static final String REVERT_RULE =
      "a planner reverts only their own edits, an admin anyone's (both inside their scope)";

  /**
   * Whether {@code who} may revert an edit {@code made} by someone: admins any edit, planners their
   * own. A planner undoing another planner's work is a decision for an admin, who sees the whole
   * history; reverting one's own mistake should not need one.
   */
  public static boolean mayRevert(Principal who, io.gridmap.layers.edit.Provenance made) {
    return who.role() == Role.ADMIN
        || (who.role() == Role.PLANNER && who.subject().equals(made.actor()));
  }

  private static Set<Role> staffClass() {
    Set<Role> out = EnumSet.noneOf(Role.class);
    for (Role r : Role.values()) {
      if (r.visibility() == Visibility.STAFF) {
        out.add(r);
      }
    }
    return out;
  }

  private static Rule exact(Set<HttpMethod> methods, String path, Set<Role> roles, String why) {
    return new Rule(methods, path, false, roles, why);
  }

  private static Rule prefix(Set<HttpMethod> methods, String path, Set<Role> roles, String why) {
    return new Rule(methods, path, true, roles, why);
  }

  public List<Rule> rules() {
    return rules;
  }

  public Decision decide(HttpMethod method, String path, Principal who) {
    for (Rule r : rules) {
      if (r.matches(method, path)) {
        if (r.roles().contains(who.role())) {
          return Decision.ALLOW;
        }
        return who.role() == Role.PUBLIC ? Decision.UNAUTHENTICATED : Decision.FORBIDDEN;
      }
    }
    return Decision.NO_RULE;
  }
}
