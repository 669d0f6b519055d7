package io.gridmap.server.web;

/**
 * One capability's HTTP surface: it registers its own routes and describes them in the OpenAPI
 * document. The composition root ({@code io.gridmap.server.MapServer}) builds each module with
 * exactly the services it uses and mounts them in order; no module knows another.
 */
public interface RouteModule {

  /** Registers this module's routes. */
  void mount(Routes routes);

  /** Adds this module's operations to the OpenAPI document served at {@code /api}. */
  default void describe(ApiPaths paths) {}
}
