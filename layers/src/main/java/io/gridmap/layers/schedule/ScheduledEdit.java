package io.gridmap.layers.schedule;

import java.time.Instant;
import java.util.Objects;

/**
 * An edit decided now that takes effect at a set instant: the HTTP request as the planner sent it
 * (without {@code effective}), who sent it, and what became of it.
 *
 * @param id its number in the store, from 1
 * @param effective when it is applied
 * @param method the request's method (PATCH, PUT, POST)
 * @param path the request's path
 * @param query the request's query string without {@code effective}, or empty
 * @param contentType the request's Content-Type, or null
 * @param ifMatch the request's If-Match (the version the planner saw), or null
 * @param body the request's body, or null
 * @param subject who sent it
 * @param role their role's code
 * @param scope their scope (an admin code, or empty for the whole city)
 * @param created when it was scheduled
 * @param status {@code scheduled}, {@code applying}, {@code applied}, {@code failed}, {@code
 *     cancelled} or {@code interrupted}
 * @param seq the change-log position of the change it made once applied, or null
 * @param outcome the answer at the time as JSON (a problem for a failure), or null
 * @param summary the dry run's result at submit time, as JSON
 * @param done when it was applied, failed or cancelled, or null
 * @param doneBy who cancelled it, or null
 */
public record ScheduledEdit(
    long id,
    Instant effective,
    String method,
    String path,
    String query,
    String contentType,
    String ifMatch,
    byte[] body,
    String subject,
    String role,
    String scope,
    Instant created,
    String status,
    Long seq,
    String outcome,
    String summary,
    Instant done,
    String doneBy) {

  public static final String SCHEDULED = "scheduled";
  public static final String APPLYING = "applying";
  public static final String APPLIED = "applied";
  public static final String FAILED = "failed";
  public static final String CANCELLED = "cancelled";

  /**
   * Claimed by a server that stopped (or stalled) before it recorded the outcome: never tried again
   * (it may have been written); the history of its features tells.
   */
  public static final String INTERRUPTED = "interrupted";

  /** Every status, in the order an edit passes them. */
  public static final java.util.List<String> STATUSES =
      java.util.List.of(SCHEDULED, APPLYING, APPLIED, FAILED, CANCELLED, INTERRUPTED);

  public ScheduledEdit {
    Objects.requireNonNull(effective, "effective");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(role, "role");
    query = query == null ? "" : query;
    scope = scope == null ? "" : scope;
    if (!STATUSES.contains(status)) {
      throw new IllegalArgumentException(
          "status must be one of " + STATUSES + ", got '" + status + "'");
    }
  }

  /** A new edit to schedule: no id, status {@code scheduled}, nothing done yet. */
  public static ScheduledEdit of(
      Instant effective,
      String method,
      String path,
      String query,
      String contentType,
      String ifMatch,
      byte[] body,
      String subject,
      String role,
      String scope,
      Instant created,
      String summary) {
    return new ScheduledEdit(
        0,
        effective,
        method,
        path,
        query,
        contentType,
        ifMatch,
        body,
        subject,
        role,
        scope,
        created,
        SCHEDULED,
        null,
        null,
        summary,
        null,
        null);
  }
}
