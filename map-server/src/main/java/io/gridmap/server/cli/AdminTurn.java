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
   * Takes the turn, or refuses the import naming the server that holds it and saying exactly how to
   * import into it: {@code POST /imports}, which plans the import as changes against the map the
   * servers hold and serves it at once. A dry run writes nothing and takes no turn.
   *
   * @param layer the admin layer imported
   * @param file the file, for the command the refusal gives
   */
  static AdminTurn take(FeatureStore store, boolean dryRun, String layer, java.nio.file.Path file) {
    if (dryRun) {
      return new AdminTurn(store, null);
    }
    if (!store.takeTurn(LENGTH)) {
      throw new Main.UserError(refusal(store.location(), store.writerUrl(), layer, file));
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

  /**
   * Why the command line does not import into a store a server writes, and the request that does.
   * The command line would rewrite the city under the servers' feet; the server plans the import
   * against the map it holds, writes only what changes, and every node serves it at once.
   */
  static String refusal(
      String store, java.util.Optional<String> writer, String layer, java.nio.file.Path file) {
    String name = file.getFileName().toString();
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    String type =
        lower.endsWith(".csv")
            ? "text/csv"
            : lower.endsWith(".gpkg") ? "application/geopackage+sqlite3" : "application/geo+json";
    boolean http =
        lower.endsWith(".geojson")
            || lower.endsWith(".json")
            || lower.endsWith(".csv")
            || lower.endsWith(".gpkg");
    String body = http ? name : name.replaceAll("\\.[^.]*$", "") + ".gpkg";
    String base = writer.orElse("http://SERVER:PORT");
    return "a server writes to "
        + store
        + " now ("
        + writer.orElse("it advertises no URL: use the address you serve it at")
        + "), so this command does not rewrite the city under it. Import into the running"
        + " server instead: it checks the hierarchy against the map it serves, writes only the"
        + " units that change, and every node serves them at once, without a restart:\n"
        + (http
            ? ""
            : "  ogr2ogr " + body + " " + name + "      # HTTP takes GeoJSON, CSV and GeoPackage\n")
        + "  TOKEN=$(mapserver token --role admin --ttl 30m)\n"
        + "  curl -X POST -H \"Authorization: Bearer $TOKEN\" -H \"Content-Type: "
        + (http ? type : "application/geopackage+sqlite3")
        + "\" --data-binary @"
        + body
        + " \""
        + base
        + "/imports?layer="
        + layer
        + "\"\n"
        + "(the options are this command's in snake_case: crs, map, repair=true, dry_run=true;"
        + " docs/import.md, \"Into a running server\"). Or stop every server on the store and run"
        + " this command again";
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
