package io.gridmap.server.cli;

import io.gridmap.layers.store.FeatureStore;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The writer's turn, held by an admin import for as long as it runs. An admin import rewrites the
 * whole city, under the feet of any server on the store: a PostGIS store tells whether a server
 * holds the turn (every server asks for it, one node or many), and then the import is refused
 * before it reads a byte. Held, the turn keeps servers that start meanwhile from writing. A
 * GeoPackage store has no turns: its servers cannot be seen from here (docs/import.md says to stop
 * them).
 */
final class AdminTurn implements AutoCloseable {
  /** Short, and renewed while the import runs: a killed import blocks writers this long at most. */
  static final Duration LENGTH = Duration.ofMinutes(2);

  private final FeatureStore store;
  private final ScheduledExecutorService renewal;

  private AdminTurn(FeatureStore store, ScheduledExecutorService renewal) {
    this.store = store;
    this.renewal = renewal;
  }

  /**
   * Takes the turn, or refuses the import naming the server that holds it. A dry run writes nothing
   * and takes no turn.
   */
  static AdminTurn take(FeatureStore store, boolean dryRun) {
    if (dryRun) {
      return new AdminTurn(store, null);
    }
    if (!store.takeTurn(LENGTH)) {
      throw new Main.UserError(
          "a server writes to "
              + store.location()
              + " now ("
              + store.writerUrl().orElse("a node that advertises no URL")
              + "): an import into an admin layer rewrites the whole city, so stop every server on"
              + " the store first, import, then start them again");
    }
    ScheduledExecutorService renewal =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "admin-import-turn");
              t.setDaemon(true);
              return t;
            });
    long every = LENGTH.toSeconds() / 4;
    renewal.scheduleAtFixedRate(() -> store.takeTurn(LENGTH), every, every, TimeUnit.SECONDS);
    return new AdminTurn(store, renewal);
  }

  @Override
  public void close() {
    if (renewal == null) {
      return;
    }
    renewal.shutdownNow();
    store.releaseTurn();
  }
}
