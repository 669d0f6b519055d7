package io.gridmap.server.ogc;

import io.gridmap.layers.edit.Change;
import io.gridmap.layers.edit.PastState;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.server.content.Content;
import io.gridmap.server.web.ApiException;
import io.gridmap.server.web.Params;
import io.vertx.core.MultiMap;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The map as of a past instant ({@code as-of}, a parameter of its own: {@code datetime} filters
 * incidents by their own times). The index as it was is the current one with every feature changed
 * since put back as it was then, from the store's history ({@link FeatureStore#asOf}): the grids as
 * they were, the incident states as they were. Built for the layers a request reads and kept for
 * the last few instants asked, since a client paging a past map asks the same instant again; never
 * shared with the present (a past index is a value of its own).
 *
 * <p>A past tile is drawn from the generalised polygons drawn then ({@link
 * FeatureStore#tileGeometriesAsOf}), by a tile service of its own ({@link #tiles}).
 */
public final class AsOf {
  /** The parameter's name. */
  public static final String PARAM = "as-of";

  private record Key(CityIndex now, Instant at, List<String> layers) {}

  private AsOf() {}

  /**
   * The instant a request asks for, or null for the present (no {@code as-of}, or one not in the
   * past); a 400 naming the parameter for anything but an RFC 3339 date-time.
   */
  public static Instant parse(MultiMap q) {
    String v = Params.single(q, PARAM);
    if (v == null) {
      return null;
    }
    Instant t;
    try {
      t = OffsetDateTime.parse(v).toInstant();
    } catch (DateTimeParseException e) {
      throw Params.bad(
          PARAM, v, "an RFC 3339 date-time with its offset, e.g. 2026-12-01T08:00:00+08:00");
    }
    return t.isBefore(Instant.now()) ? t : null;
  }

  /**
   * The index as it was at {@code t} for {@code layers} (the others as they are); reads the store:
   * call on a worker.
   */
  public static CityIndex index(Content c, Instant t, List<String> layers) {
    CityIndex now = c.index();
    Key key = new Key(now, t, List.copyOf(layers));
    return c.pastViews().index(key, () -> build(c, now, t, layers));
  }

  private static CityIndex build(Content c, CityIndex now, Instant t, List<String> layers) {
    FeatureStore store =
        c.store()
            .orElseThrow(
                () ->
                    new ApiException(
                        409,
                        "Conflict",
                        PARAM
                            + " needs the history of a store; this server serves a map held in"
                            + " memory only"));
    CityIndex past = now;
    for (String layer : layers) {
      LayerIndex current = past.findLayer(layer).orElse(null);
      if (current == null) {
        continue;
      }
      Change back = change(current, store.asOf(layer, t));
      if (current.def().coverage()) {
        back = withDrawnThen(back, store.tileGeometriesAsOf(layer, t));
      }
      if (!back.isEmpty() || !back.generalised().isEmpty()) {
        past = past.withChange(back);
      }
    }
    return past;
  }

  /**
   * One feature as it was at {@code t}, from its own history (no index is built): empty when it did
   * not exist then. Reads the store: call on a worker.
   */
  public static java.util.Optional<Feature> feature(
      Content c, LayerIndex layer, long id, Instant t) {
    FeatureStore store = c.store().orElse(null);
    java.util.Optional<Feature> now = layer.byId(id);
    if (store == null) {
      return now;
    }
    List<io.gridmap.layers.edit.FeatureVersion> versions = store.history(layer.name(), id);
    for (io.gridmap.layers.edit.FeatureVersion v : versions) {
      if (v.provenance() != null && v.provenance().time().isAfter(t)) {
        // the first version made after t: the one before it is what the feature was then
        for (io.gridmap.layers.edit.FeatureVersion before : versions) {
          if (before.version() == v.version() - 1) {
            return before.retired()
                ? java.util.Optional.empty()
                : java.util.Optional.of(before.feature());
          }
        }
        return java.util.Optional.empty(); // added after t
      }
    }
    return now;
  }

  /**
   * The change with the generalised polygons drawn at the instant (the neighbours a local
   * generalisation redrew included), but none for a feature that did not exist then.
   */
  private static Change withDrawnThen(
      Change back, Map<Integer, Map<Long, org.locationtech.jts.geom.Geometry>> drawn) {
    if (drawn.isEmpty()) {
      return back;
    }
    java.util.Set<Long> absent = new java.util.HashSet<>();
    back.replacements().stream()
        .filter(Change.Replacement::isRetired)
        .forEach(r -> absent.add(r.id()));
    Map<Integer, Map<Long, org.locationtech.jts.geom.Geometry>> kept = new LinkedHashMap<>();
    drawn.forEach(
        (z, byId) -> {
          Map<Long, org.locationtech.jts.geom.Geometry> m = new LinkedHashMap<>(byId);
          m.keySet().removeAll(absent);
          kept.put(z, m);
        });
    return new Change(back.layer(), back.replacements(), kept);
  }

  /** The layers a past tile draws as they were: all but the forces' positions (today's). */
  private static final List<String> TILE_LAYERS =
      List.of("districts", "streets", "villages", "grids", "key_sites", "events");

  private record TilesKey(CityIndex now, Instant at, io.gridmap.server.security.Visibility v) {}

  /**
   * The tiles of the map as it was at {@code t}, for a visibility class: a tile service of its own
   * over the past index, with its own cache, so a past tile is never served for the present. Reads
   * the store: call on a worker.
   */
  public static io.gridmap.tiler.TileService tiles(
      Content c, Instant t, io.gridmap.server.security.Visibility v) {
    return c.pastViews()
        .tiles(
            new TilesKey(c.index(), t, v),
            () ->
                io.gridmap.tiler.TileService.create(index(c, t, TILE_LAYERS), c.tiles(v).config()));
  }

  /** The change that takes a layer back from now to what {@code states} say it was. */
  static Change change(LayerIndex now, List<PastState> states) {
    List<Change.Replacement> back = new ArrayList<>();
    for (PastState s : states) {
      Feature current = now.byId(s.fid()).orElse(null);
      Feature then = s.existed() ? s.version().feature() : null;
      if (current != null && then != null) {
        back.add(new Change.Replacement(current, then));
      } else if (current != null) {
        back.add(Change.Replacement.retired(current)); // added since
      } else if (then != null) {
        back.add(Change.Replacement.added(then)); // retired since
      }
    }
    return Change.of(now.name(), back);
  }
}
