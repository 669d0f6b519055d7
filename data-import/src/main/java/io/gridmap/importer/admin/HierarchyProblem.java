package io.gridmap.importer.admin;

import org.locationtech.jts.geom.Geometry;

/**
 * One thing wrong with the admin hierarchy, where it is: a row of the validation report a planner
 * opens in QGIS.
 *
 * @param rule what is wrong
 * @param layer the layer of the unit at fault: the one imported, or the level below it in the store
 * @param code the unit's code (for a gap: the parent that is not tiled)
 * @param other the other unit involved (the overlapping neighbour, the missing parent), or null
 * @param where the geometry of the problem in lon/lat: the overlap, the gap, the part outside, the
 *     edges that do not match, or the unit itself
 * @param areaM2 the problem's ground area in square metres (0 for codes and edges)
 * @param message what is wrong, in a sentence
 * @param fix what to do about it
 */
public record HierarchyProblem(
    Rule rule,
    String layer,
    String code,
    String other,
    Geometry where,
    double areaM2,
    String message,
    String fix) {

  /** The rules a hierarchy keeps, named as the report names them. */
  public enum Rule {
    /** A code of the wrong length or with other characters than digits. */
    BAD_CODE("bad-code", false),
    /** A code whose first digits name no unit of the level above. */
    NOT_NESTED("not-nested", false),
    /** A unit below the imported level whose parent the import removes. */
    ORPHAN("orphan", false),
    /** Part of a unit lies outside its parent. */
    OUTSIDE_PARENT("outside-parent", true),
    /** Two units of one level cover the same ground. */
    OVERLAP("overlap", true),
    /** Ground of a parent that none of its children covers. */
    GAP("gap", true),
    /** Neighbours whose shared boundary does not match vertex for vertex (or a hairline gap). */
    EDGES("edges", true),
    /** A force serves a grid the import removes, and no old code maps it to a new grid. */
    FORCE_GRID_REMOVED("force-grid-removed", false),
    /** A grid without a full-time grid worker after the import. */
    NO_WORKER("no-worker", false),
    /** A mapping of old grid codes to new ones that cannot hold. */
    OLD_CODE("old-code", false);

    private final String id;
    private final boolean repairable;

    Rule(String id, boolean repairable) {
      this.id = id;
      this.repairable = repairable;
    }

    /** The rule's name in reports: {@code overlap}, {@code gap}, ... */
    public String id() {
      return id;
    }

    /** Whether {@code --repair} can fix it (geometry), or only the file can (codes). */
    public boolean repairable() {
      return repairable;
    }
  }
}
