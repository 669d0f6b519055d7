package io.gridmap.server.live;

import io.gridmap.layers.edit.Change;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.server.live.PositionBatch.Position;
import io.gridmap.server.security.Principal;
import io.gridmap.server.security.Role;
import io.gridmap.server.web.ApiException;
import io.gridmap.server.write.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.PrecisionModel;

/**
 * Turns a batch of positions into a change of the forces layer, against the index current when the
 * writer plans it. Here, not in the handler, are the checks that depend on the map: the force
 * exists; the caller may move it (a grid worker only themself: the token's subject is their force
 * id; a commander or an admin only forces whose grid_code their scope covers); the position is
 * newer than the force's. A batch with one position the caller may not post is refused whole (403,
 * nothing written); a batch naming an unknown force likewise (400). Positions not newer than the
 * force's are left out and reported, not refused: a gateway replaying a batch changes nothing.
 *
 * <p>Within a batch, the newest position of a force wins; the others are reported as superseded.
 */
final class PositionPlan implements Writer.Plan {
  /** Positions are stored to 1e-7 degrees (about 1 cm), the precision of the city's data. */
  private static final PrecisionModel PRECISION = new PrecisionModel(1e7);

  /** A position left out, and why. */
  record Ignored(int feature, long forceId, long time, String reason) {}

  private final Principal who;
  private final PositionBatch batch;
  private final Writer.Latest latest;
  private volatile List<Ignored> ignored = List.of();

  /**
   * @param latest how forces are read: the writer's {@link Writer#latest()}
   */
  PositionPlan(Principal who, PositionBatch batch, Writer.Latest latest) {
    this.who = who;
    this.batch = batch;
    this.latest = latest;
  }

  @Override
  public Change plan(CityIndex current) {
    LayerIndex forces =
        current
            .findLayer(Catalogue.FORCES.name())
            .orElseThrow(
                () ->
                    new ApiException(
                        409, "Conflict", "this map has no forces layer to post positions to"));
    LayerDef def = forces.def();
    int onDuty = def.fieldIndex("on_duty");
    int updatedAt = def.fieldIndex("updated_at");
    int gridCode = def.fieldIndex("grid_code");
    if (who.role() != Role.GRID_WORKER
        && who.role() != Role.COMMANDER
        && who.role() != Role.ADMIN) {
      // the access policy lets no other role here; this keeps the plan safe on its own
      throw forbidden("role " + who.role().code() + " may not post positions; nothing was written");
    }

    Map<Long, Feature> base = new HashMap<>();
    Map<Long, Position> chosen = new LinkedHashMap<>();
    List<Ignored> left = new ArrayList<>();
    for (Position p : batch.positions()) {
      String at = "features[" + p.feature() + "]";
      if (who.role() == Role.GRID_WORKER && !Long.toString(p.forceId()).equals(who.subject())) {
        throw forbidden(
            at
                + " is force "
                + p.forceId()
                + ", but a grid worker posts only their own position (force "
                + who.subject()
                + ", the token's subject); nothing was written");
      }
      Feature f =
          base.computeIfAbsent(
              p.forceId(), id -> latest.feature(current, Catalogue.FORCES.name(), id));
      if (f == null) {
        throw ApiException.badRequest(
            at
                + ".id="
                + p.forceId()
                + " is not a known force; expected the id of a feature of /collections/forces; nothing was written");
      }
      if (who.role() != Role.GRID_WORKER) {
        String code = (String) f.value(gridCode);
        if (!who.covers(code)) {
          throw forbidden(
              at
                  + " is force "
                  + p.forceId()
                  + " of grid "
                  + code
                  + ", outside the scope "
                  + (who.scope().isEmpty() ? "(the whole city)" : who.scope())
                  + " of "
                  + who.subject()
                  + "; nothing was written");
        }
      }
      Object t = f.value(updatedAt);
      long known = t == null ? Long.MIN_VALUE : ((Number) t).longValue();
      Position earlier = chosen.get(p.forceId());
      if (p.time() <= known) {
        left.add(
            new Ignored(
                p.feature(),
                p.forceId(),
                p.time(),
                "not newer than the force's position of " + Instant.ofEpochMilli(known)));
      } else if (earlier == null) {
        chosen.put(p.forceId(), p);
      } else if (p.time() > earlier.time()) {
        left.add(
            new Ignored(
                earlier.feature(),
                earlier.forceId(),
                earlier.time(),
                "superseded by the newer features[" + p.feature() + "] of this batch"));
        chosen.put(p.forceId(), p);
      } else {
        left.add(
            new Ignored(
                p.feature(),
                p.forceId(),
                p.time(),
                "superseded by features["
                    + earlier.feature()
                    + "] of this batch, which is not older"));
      }
    }

    List<Change.Replacement> replacements = new ArrayList<>(chosen.size());
    for (Position p : chosen.values()) {
      Feature before = base.get(p.forceId());
      Object[] values = before.values().clone();
      if (p.onDuty() != null) {
        values[onDuty] = p.onDuty();
      }
      values[updatedAt] = p.time();
      // 2D, so that the readers' factory makes it a PointXY as it did the point it replaces
      Coordinate c = new org.locationtech.jts.geom.CoordinateXY(p.lon(), p.lat());
      PRECISION.makePrecise(c);
      Feature after =
          new Feature(
              before.id(),
              before.geometry().getFactory().createPoint(c),
              values,
              before.personal());
      replacements.add(new Change.Replacement(before, after));
    }
    left.sort(Comparator.comparingInt(Ignored::feature));
    Change out = Change.of(Catalogue.FORCES.name(), replacements);
    ignored = List.copyOf(left);
    return out;
  }

  private static ApiException forbidden(String detail) {
    return new ApiException(403, "Forbidden", detail);
  }

  /** The positions left out, in the order posted; read after the write completed. */
  List<Ignored> ignored() {
    return ignored;
  }
}
