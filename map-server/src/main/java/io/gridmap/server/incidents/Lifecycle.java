package io.gridmap.server.incidents;

import static io.gridmap.layers.model.IncidentState.ACCEPTED;
import static io.gridmap.layers.model.IncidentState.CLOSED;
import static io.gridmap.layers.model.IncidentState.DISPATCHED;
import static io.gridmap.layers.model.IncidentState.ESCALATED;
import static io.gridmap.layers.model.IncidentState.ON_SITE;
import static io.gridmap.layers.model.IncidentState.REJECTED;
import static io.gridmap.layers.model.IncidentState.REPORTED;
import static io.gridmap.layers.model.IncidentState.RESOLVED;
import static io.gridmap.layers.model.IncidentState.VERIFIED;

import io.gridmap.layers.model.Department;
import io.gridmap.layers.model.IncidentState;
import io.gridmap.server.security.Principal;
import io.gridmap.server.security.Role;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The closed loop: which action moves an incident from which state to which, and who may take it.
 * One table ({@link #STEPS}), read by the transition plan and printed in docs/incidents.md.
 *
 * <p>Who, by kind: the <b>command</b> centre (a commander or an admin whose scope covers the
 * incident's grid) dispatches, verifies, closes, rejects, pins and acknowledges; the
 * <b>assignee</b> (the grid worker the incident is assigned to: the token's subject is their force
 * id) accepts, arrives, resolves, escalates and returns what was dispatched to them; a
 * <b>department</b> (police, urban management, utilities: a token role each, scoped like the rest)
 * takes what was escalated to it, handles it like an assignee, or returns it. Command may do what
 * the assignee does (a commander stepping in), never what only a department may: accepting an
 * escalated incident is the department's.
 */
public final class Lifecycle {
  private Lifecycle() {}

  /** Who may take a step. */
  public enum Who {
    COMMAND,
    ASSIGNEE,
    DEPARTMENT
  }

  /**
   * One row of the table.
   *
   * @param action the action
   * @param from the states it applies in
   * @param to the state it leads to, or null when the state stays (pin, unpin, acknowledge)
   * @param who who may take it
   * @param meaning one line for the docs
   */
  public record Step(
      Action action, Set<IncidentState> from, IncidentState to, Set<Who> who, String meaning) {}

  private static final Set<IncidentState> OPEN = EnumSet.complementOf(EnumSet.of(CLOSED, REJECTED));

  /** The loop. Order matters only for the docs. */
  public static final List<Step> STEPS =
      List.of(
          new Step(
              Action.DISPATCH,
              EnumSet.of(REPORTED),
              DISPATCHED,
              EnumSet.of(Who.COMMAND),
              "send it to the grid's worker (or the force given as assignee_id)"),
          new Step(
              Action.ACCEPT,
              EnumSet.of(DISPATCHED),
              ACCEPTED,
              EnumSet.of(Who.ASSIGNEE, Who.COMMAND),
              "the assignee takes it"),
          new Step(
              Action.ACCEPT,
              EnumSet.of(ESCALATED),
              ACCEPTED,
              EnumSet.of(Who.DEPARTMENT),
              "the department it was escalated to takes it"),
          new Step(
              Action.ARRIVE,
              EnumSet.of(ACCEPTED),
              ON_SITE,
              EnumSet.of(Who.ASSIGNEE, Who.DEPARTMENT, Who.COMMAND),
              "someone is there"),
          new Step(
              Action.RESOLVE,
              EnumSet.of(ACCEPTED, ON_SITE),
              RESOLVED,
              EnumSet.of(Who.ASSIGNEE, Who.DEPARTMENT, Who.COMMAND),
              "handled; waits for the command centre to verify"),
          new Step(
              Action.VERIFY,
              EnumSet.of(RESOLVED),
              VERIFIED,
              EnumSet.of(Who.COMMAND),
              "the command centre checked the result"),
          new Step(
              Action.CLOSE,
              EnumSet.of(VERIFIED),
              CLOSED,
              EnumSet.of(Who.COMMAND),
              "the loop is closed"),
          new Step(
              Action.ESCALATE,
              EnumSet.of(REPORTED, DISPATCHED, ACCEPTED, ON_SITE),
              ESCALATED,
              EnumSet.of(Who.ASSIGNEE, Who.COMMAND),
              "hand it to a department (body: department): the grid whistles, departments report in"),
          new Step(
              Action.RETURN,
              EnumSet.of(DISPATCHED),
              REPORTED,
              EnumSet.of(Who.ASSIGNEE, Who.COMMAND),
              "not this worker's: back to the command centre"),
          new Step(
              Action.RETURN,
              EnumSet.of(ESCALATED),
              REPORTED,
              EnumSet.of(Who.DEPARTMENT, Who.COMMAND),
              "not this department's: back to the command centre"),
          new Step(
              Action.RETURN,
              EnumSet.of(RESOLVED),
              DISPATCHED,
              EnumSet.of(Who.COMMAND),
              "not done: back to the assignee to handle again"),
          new Step(
              Action.REJECT,
              EnumSet.of(REPORTED, DISPATCHED),
              REJECTED,
              EnumSet.of(Who.COMMAND),
              "not an incident (a duplicate, a prank, outside our remit): closed unhandled; a note is required"),
          new Step(
              Action.PIN,
              OPEN,
              null,
              EnumSet.of(Who.COMMAND),
              "keep it at the top of the command centres' lists"),
          new Step(
              Action.UNPIN, OPEN, null, EnumSet.of(Who.COMMAND), "let it take its place again"),
          new Step(
              Action.ACKNOWLEDGE,
              EnumSet.allOf(IncidentState.class),
              null,
              EnumSet.of(Who.COMMAND, Who.DEPARTMENT),
              "seen on this caller's screen: it stops flashing there, not elsewhere"));

  /**
   * What the caller is to this incident.
   *
   * @param assigneeId the incident's assignee (force id), or null
   * @param department the department it is escalated to, or null
   * @param gridCode its grid
   */
  public static Set<Who> standing(
      Principal who, Long assigneeId, Department department, String gridCode) {
    Set<Who> out = EnumSet.noneOf(Who.class);
    if (!who.covers(gridCode)) {
      return out;
    }
    Role r = who.role();
    if (r == Role.COMMANDER || r == Role.ADMIN) {
      out.add(Who.COMMAND);
    }
    if (r == Role.GRID_WORKER
        && assigneeId != null
        && who.subject().equals(assigneeId.toString())) {
      out.add(Who.ASSIGNEE);
    }
    if (department != null && r.department().filter(department::equals).isPresent()) {
      out.add(Who.DEPARTMENT);
    }
    return out;
  }

  /** The steps an action has from a state (none: it does not apply there). */
  public static List<Step> steps(Action action, IncidentState from) {
    List<Step> out = new ArrayList<>();
    for (Step s : STEPS) {
      if (s.action() == action && s.from().contains(from)) {
        out.add(s);
      }
    }
    return out;
  }

  /** The first of {@code steps} the caller's standing allows, or null. */
  public static Step allowed(List<Step> steps, Set<Who> standing) {
    for (Step s : steps) {
      for (Who w : s.who()) {
        if (standing.contains(w)) {
          return s;
        }
      }
    }
    return null;
  }

  /** The actions that apply in a state, for the 409 message and the screen's buttons. */
  public static List<String> actionsFrom(IncidentState state) {
    List<String> out = new ArrayList<>();
    for (Step s : STEPS) {
      if (s.from().contains(state) && !out.contains(s.action().code())) {
        out.add(s.action().code());
      }
    }
    return out;
  }
}
