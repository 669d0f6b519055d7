package io.gridmap.server.imports;

import io.gridmap.layers.index.AdminLevel;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.store.LayerImport;
import io.gridmap.server.security.Principal;
import io.gridmap.server.security.Role;
import io.gridmap.server.web.ApiException;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;

/**
 * Where a caller may import: an admin anywhere, a planner only inside the outline of their scope
 * (the district, street, village or grid whose code it is; the whole city for an empty scope). The
 * import is checked feature by feature once read, before the store is touched: the first feature
 * outside refuses it with a 403 and nothing is written.
 */
final class PlannerArea {
  private final Principal who;
  private final PreparedGeometry outline; // null: anywhere

  private PlannerArea(Principal who, PreparedGeometry outline) {
    this.who = who;
    this.outline = outline;
  }

  /**
   * The area of {@code who} over the index readers see now.
   *
   * @throws ApiException 403 for a role that may not import, or a scope naming no unit
   */
  static PlannerArea of(Principal who, CityIndex index) {
    if (who.role() == Role.ADMIN || (who.role() == Role.PLANNER && who.scope().isEmpty())) {
      return new PlannerArea(who, null);
    }
    if (who.role() != Role.PLANNER) {
      throw new ApiException(
          403,
          "Forbidden",
          "only admins and planners import layers; " + who.role().code() + " may not");
    }
    String scope = who.scope();
    // a unit's id is its numeric code: one lookup, not a scan of 65,000 grids on the event loop
    AdminLevel level = AdminLevel.ofCode(scope).orElse(AdminLevel.GRID);
    LayerIndex units = index.findLayer(level.layerName()).orElse(null);
    int code = units == null ? -1 : units.def().fieldIndex("code");
    int ordinal =
        code < 0 || !scope.chars().allMatch(Character::isDigit) ? -1 : ordinalOf(units, scope);
    if (ordinal >= 0 && scope.equals(units.feature(ordinal).value(code))) {
      return new PlannerArea(
          who, PreparedGeometryFactory.prepare(units.feature(ordinal).geometry()));
    }
    throw new ApiException(
        403,
        "Forbidden",
        "scope "
            + scope
            + " of planner "
            + who.subject()
            + " names no "
            + level.code()
            + " of the map, so it holds nowhere to import into; nothing was imported");
  }

  private static int ordinalOf(LayerIndex units, String scope) {
    try {
      return units.ordinalOf(Long.parseLong(scope));
    } catch (NumberFormatException e) {
      return -1; // longer than a long: no unit's code
    }
  }

  /**
   * Refuses an admin-layer import that changes a unit outside the area: a unit it adds, moves or
   * retires (a file that replaces a village's grids retires the grids it drops).
   *
   * @param unit the unit before or after the change; null is no unit
   * @throws ApiException 403 naming the unit
   */
  void check(String layer, Feature unit) {
    if (outline == null || unit == null || outline.covers(unit.geometry())) {
      return;
    }
    throw new ApiException(
        403,
        "Forbidden",
        layer
            + " unit "
            + unit.id()
            + " lies outside scope "
            + who.scope()
            + " of planner "
            + who.subject()
            + ", and the import would change it (a file replaces every unit of each parent it"
            + " touches); a planner imports only units inside their scope's outline, and nothing"
            + " was imported");
  }

  /**
   * Refuses the import when a feature lies outside the area.
   *
   * @throws ApiException 403 naming the first feature outside
   */
  void check(LayerImport layer) {
    if (outline == null) {
      return;
    }
    int code = layer.def().fieldIndex("code");
    for (Feature f : layer.features()) {
      Geometry g = f.geometry();
      if (!outline.covers(g)) {
        throw new ApiException(
            403,
            "Forbidden",
            "feature "
                + f.id()
                + (code >= 0 && f.value(code) != null ? " (code " + f.value(code) + ")" : "")
                + " of layer "
                + layer.def().name()
                + " lies outside scope "
                + who.scope()
                + " of planner "
                + who.subject()
                + "; a planner imports only features inside their scope's outline, and nothing"
                + " was imported");
      }
    }
  }
}
