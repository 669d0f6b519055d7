package io.gridmap.layers.edit;

import java.util.List;
import java.util.Objects;
import org.locationtech.jts.geom.Geometry;

/**
 * An edit that breaks one of the rules an edit must keep: the map-server turns it into a 4xx
 * problem whose detail names the rule, the feature and what is wrong where. Nothing has been
 * written when one is thrown.
 */
public final class EditRefused extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The rules, each with the code that error responses and docs/editing.md use. */
  public enum Rule {
    /** An id that is not a feature of the layer. */
    UNKNOWN_FEATURE("unknown-feature"),
    /** Every grid of one redraw lies in the same village. */
    ONE_VILLAGE("one-village"),
    /** A grid is a Polygon or MultiPolygon with [lon, lat] positions. */
    POLYGON("polygon"),
    /** JTS {@code IsValidOp}: rings closed, simple, not crossing, holes inside shells. */
    VALID_POLYGON("valid-polygon"),
    /** At most so many vertices per grid. */
    VERTEX_CAP("vertex-cap"),
    /** At most so many grids and vertices per request. */
    REQUEST_CAP("request-cap"),
    /** A grid's area lies within {@code GridRedraw.MIN_AREA_M2} and {@code MAX_AREA_M2}. */
    SIZE_BOUNDS("size-bounds"),
    /** No grid may be left without area. */
    NOT_EMPTY("not-empty"),
    /** The redrawn grids cover nothing the old ones did not (the village outline stays). */
    SAME_OUTLINE("same-outline"),
    /** The redrawn grids leave no part of the old ones uncovered. */
    NO_GAP("no-gap"),
    /** No two grids overlap. */
    NO_OVERLAP("no-overlap"),
    /** Shared boundaries match vertex for vertex (JTS {@code CoverageValidator}). */
    SHARED_EDGES("shared-edges"),
    /** Codes and parent codes follow the city's hierarchy and never change. */
    CODES_FIXED("codes-fixed"),
    /** Tiles must be able to draw the result without slivers. */
    TILES("tiles"),
    /** A revert of a change whose features were changed again since: revert the later one first. */
    EDITED_SINCE("edited-since"),
    /** A revert of a change that is not a grid edit (incidents move along their loop instead). */
    NOT_REVERTIBLE("not-revertible"),
    /** A split line cuts its grid in exactly two parts, from boundary to boundary. */
    SPLIT_LINE("split-line"),
    /** Grids merged are two or more neighbours of one village that together make one polygon. */
    MERGE_NEIGHBOURS("merge-neighbours"),
    /**
     * A new grid takes a code its village never used (village code + 3 digits, never a retired
     * one).
     */
    NEW_CODES("new-codes"),
    /** A grid's full-time worker must be a force of the map. */
    WORKER("worker"),
    /** The edit changes nothing (not an error: the caller answers with the current state). */
    NO_CHANGE("no-change");

    private final String code;

    Rule(String code) {
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  /**
   * One rule broken, where: what a client draws over the map so the planner sees the problem.
   *
   * @param rule the rule broken
   * @param feature the feature (grid id) that breaks it, or null when it is the request as a whole
   * @param detail what is wrong and where, and what would be accepted
   * @param where lon/lat geometry of the problem (the overlap, the gap, the unmatched edge, the
   *     self-intersection), or null when it has no place
   */
  public record Violation(Rule rule, Long feature, String detail, Geometry where) {
    public Violation {
      Objects.requireNonNull(rule, "rule");
      Objects.requireNonNull(detail, "detail");
    }
  }

  private final transient List<Violation> violations;

  /**
   * @param rule the rule broken
   * @param feature the feature (grid id) that breaks it, or null when it is the request as a whole
   * @param detail what is wrong and where, and what would be accepted
   */
  public EditRefused(Rule rule, Long feature, String detail) {
    this(rule, feature, detail, null);
  }

  /** One rule broken at a place ({@code where}, lon/lat, or null). */
  public EditRefused(Rule rule, Long feature, String detail, Geometry where) {
    this(List.of(new Violation(rule, feature, detail, where)));
  }

  /**
   * Every rule an edit breaks at one stage of the checks, in the order found; the message is the
   * first one's, with how many more there are.
   */
  public EditRefused(List<Violation> violations) {
    super(message(violations), null, false, false);
    this.violations = List.copyOf(violations);
  }

  private static String message(List<Violation> violations) {
    if (violations.isEmpty()) {
      throw new IllegalArgumentException("a refusal names at least one violation");
    }
    String first = violations.get(0).detail();
    int more = violations.size() - 1;
    return more == 0
        ? first
        : first + " (and " + more + " more violation" + (more == 1 ? "" : "s") + ")";
  }

  /** The first rule broken. */
  public Rule rule() {
    return violations.get(0).rule();
  }

  /** The feature that breaks the first rule, or null. */
  public Long feature() {
    return violations.get(0).feature();
  }

  /** Every violation, first the one {@link #rule()} names. */
  public List<Violation> violations() {
    return violations;
  }
}
