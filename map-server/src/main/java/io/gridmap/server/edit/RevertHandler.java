package io.gridmap.server.edit;

import io.gridmap.layers.edit.EditedFeature;
import io.gridmap.layers.edit.FeatureVersion;
import io.gridmap.layers.edit.GridRedraw;
import io.gridmap.layers.edit.Revert;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.server.security.AccessPolicy;
import io.gridmap.server.security.Principal;
import io.gridmap.server.security.SecurityHandler;
import io.gridmap.server.web.ApiException;
import io.gridmap.server.web.Params;
import io.gridmap.server.write.Writer;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code POST /edits/{seq}/revert}: puts every grid one edit changed back as it was before it, as a
 * new version checked by the same rules as any edit ({@link Revert}). {@code seq} is the edit's
 * change-log position, as {@code GET /history/grids/{id}} lists it. Who may revert whose edit is
 * {@link AccessPolicy#mayRevert}; the grids must lie in the caller's scope. Answers 200 with the
 * grids as they now are, like a redraw.
 */
final class RevertHandler {
  private final Edits edits;
  private final GridRedraw.Limits limits;

  RevertHandler(Edits edits, GridRedraw.Limits limits) {
    this.edits = edits;
    this.limits = limits;
  }

  void handle(RoutingContext ctx) {
    Principal who = SecurityHandler.principal(ctx);
    String given = ctx.pathParam("seq");
    long seq = seq(given);
    FeatureStore store =
        edits
            .content()
            .store()
            .orElseThrow(
                () ->
                    new ApiException(
                        409,
                        "Conflict",
                        "this server serves a map without a store: it keeps no history to revert from"));
    // the grids' ETags as the caller last read them, one per grid of the edit (a list): a revert
    // over a grid someone changed since is 412, like any grid write
    String ifMatch = io.gridmap.server.web.EntityTags.ifMatch(ctx.request());
    if (ifMatch == null && edits.requireIfMatch()) {
      throw io.gridmap.server.web.EntityTags.required(
          "header If-Match is missing on the revert of edit "
              + seq
              + " (the ETags of its grids, comma-separated, as GET /collections/grids/items/{id}"
              + " answers them)");
    }
    String base = edits.baseUrl(ctx);
    int[] fields = Edits.fields(who);
    List<Long> ids = new ArrayList<>();
    AtomicReference<List<Long>> redrawn = new AtomicReference<>(List.of());
    edits.run(
        ctx,
        () -> {
          List<Revert.Step> steps = steps(store, seq, who);
          steps.forEach(s -> ids.add(s.made().feature().id()));
          return new Writer.Write(
              who,
              "grid.revert",
              "edits/" + seq,
              current -> {
                if (ifMatch != null) {
                  for (Revert.Step st : steps) {
                    long id = st.made().feature().id();
                    current
                        .layer("grids")
                        .byId(id)
                        .ifPresent(
                            f ->
                                io.gridmap.server.web.EntityTags.check(
                                    ifMatch,
                                    "grid " + id,
                                    io.gridmap.server.web.EntityTags.of(GridProperties.GRIDS, f)));
                  }
                }
                Revert.Plan p = Revert.plan(current, seq, steps, limits);
                redrawn.set(p.redrawn());
                return p.change();
              });
        },
        index -> {
          List<Feature> now = new ArrayList<>();
          ids.forEach(id -> index.layer("grids").byId(id).ifPresent(now::add));
          return new Edits.Answer(Edits.collection(now, redrawn.get(), fields, base), null);
        });
  }

  private static long seq(String given) {
    try {
      long seq = Long.parseLong(given);
      if (seq > 0) {
        return seq;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiException.notFound(
        "edit "
            + Params.quote(given)
            + " does not exist; an edit is named by its change-log position (seq), a positive"
            + " number as GET /history/grids/{id} lists it");
  }

  /**
   * What the edit made and the version before each, read from the store's history; a 404 when no
   * version names the edit, a 403 when the caller may not revert it.
   */
  static List<Revert.Step> steps(FeatureStore store, long seq, Principal who) {
    List<EditedFeature> made = store.editedBy(seq);
    if (made.isEmpty()) {
      throw ApiException.notFound(
          "no edit at change-log position "
              + seq
              + " is in the history (an import, a change made before the history kept positions, or"
              + " no such change); GET /history/grids/{id} lists a grid's edits and their seq");
    }
    List<Revert.Step> steps = new ArrayList<>();
    for (EditedFeature e : made) {
      List<FeatureVersion> versions = store.history(e.layer(), e.fid());
      FeatureVersion version = find(versions, e.version());
      FeatureVersion previous = find(versions, e.version() - 1);
      if (version == null || version.provenance() == null) {
        throw ApiException.notFound("the history of change " + seq + " is incomplete");
      }
      if (!AccessPolicy.mayRevert(who, version.provenance())) {
        throw new ApiException(
            403,
            "Forbidden",
            "change "
                + seq
                + " was made by "
                + version.provenance().actor()
                + " ("
                + version.provenance().role()
                + "); "
                + AccessPolicy.REVERT_RULE
                + ". Nothing was written");
      }
      // a neighbour that only took the point where a split line met it is no grid the editor moved:
      // it may lie outside their scope, as the split allowed
      boolean pointsOnly =
          previous != null
              && GridRedraw.pointsOnly(previous.feature().geometry(), version.feature().geometry())
              && java.util.Arrays.equals(previous.feature().values(), version.feature().values());
      if ("grids".equals(e.layer()) && !pointsOnly) {
        String code = version.feature().string(GridProperties.GRIDS.requireField("code"));
        if (!who.covers(code)) {
          throw Edits.outsideScope(who, code);
        }
      }
      steps.add(new Revert.Step(e.layer(), version, previous));
    }
    return steps;
  }

  private static FeatureVersion find(List<FeatureVersion> versions, int version) {
    for (FeatureVersion v : versions) {
      if (v.version() == version) {
        return v;
      }
    }
    return null;
  }
}
