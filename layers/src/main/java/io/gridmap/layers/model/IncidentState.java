package io.gridmap.layers.model;

import java.util.Optional;

/**
 * Where an incident is in the closed loop ({@code events.status}): reported -> dispatched ->
 * accepted -> on_site -> resolved -> verified -> closed, with escalation to a department and the
 * return and reject paths. Which transitions each role may make is the server's business
 * (incidents/Lifecycle); this is the vocabulary and what each state means to Open311 clients.
 */
public enum IncidentState implements Coded {
  /** Just in: waits for a command centre to dispatch it. */
  REPORTED("reported", "已上报"),
  /** Sent to the grid's worker: waits for them to accept. */
  DISPATCHED("dispatched", "已派遣"),
  /** The worker (or a department) took it. */
  ACCEPTED("accepted", "已受理"),
  /** Someone is there. */
  ON_SITE("on_site", "已到场"),
  /** Handled: waits for the command centre to verify. */
  RESOLVED("resolved", "已办结"),
  /** Verified by the command centre: waits to be closed. */
  VERIFIED("verified", "已核实"),
  /** The loop is closed. */
  CLOSED("closed", "已关闭"),
  /** Handed to a department (police, urban management, utilities): "the grid whistles". */
  ESCALATED("escalated", "已上报部门"),
  /** Not an incident (a duplicate, a prank, outside our remit): closed without handling. */
  REJECTED("rejected", "已驳回");

  private final String code;
  private final String label;

  IncidentState(String code, String label) {
    this.code = code;
    this.label = label;
  }

  @Override
  public String code() {
    return code;
  }

  public String label() {
    return label;
  }

  /** True for the states that end the loop: closed and rejected. */
  public boolean terminal() {
    return this == CLOSED || this == REJECTED;
  }

  /** The Open311 GeoReport v2 status: {@code closed} for terminal states, else {@code open}. */
  public String open311() {
    return terminal() ? "closed" : "open";
  }

  public static Optional<IncidentState> ofCode(String code) {
    return Coded.byCode(IncidentState.class, code);
  }
}
