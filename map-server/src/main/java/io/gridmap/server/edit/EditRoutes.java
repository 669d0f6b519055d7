package io.gridmap.server.edit;

import io.gridmap.layers.edit.GridRedraw;
import io.gridmap.server.http.MapServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Mounts the edits: {@code PATCH /collections/grids/items/{fid}} (a grid's attributes) and
 * {@code POST /edits/grids} (grid boundaries). One call from {@link MapServer}. Who may call them
 * is the access policy's business (planners and admins); the scope, every rule and the write
 * itself are checked by the one writer against the current index. See docs/editing.md.
 */
public final class EditRoutes {
  private EditRoutes() {}

  /** Largest update body: a handful of properties. */
  public static final long MAX_UPDATE_BYTES = 64 << 10;
  /** Largest redraw body: 200,000 positions at about 40 bytes each, and some room. */
  public static final long MAX_REDRAW_BYTES = 10 << 20;

  public static void mount(Router router, MapServer server) {
    Edits edits = new Edits(server);
    GridUpdateHandler update = new GridUpdateHandler(edits);
    GridRedrawHandler redraw = new GridRedrawHandler(edits, GridRedraw.Limits.standard());
    router.patch("/collections/grids/items/:featureId")
        .setName("/collections/grids/items/{fid} (update)")
        .handler(BodyHandler.create(false).setBodyLimit(MAX_UPDATE_BYTES))
        .handler(update::handle);
    router.post("/edits/grids")
        .setName("/edits/grids")
        .handler(BodyHandler.create(false).setBodyLimit(MAX_REDRAW_BYTES))
        .handler(redraw::handle);
  }
}
