package io.gridmap.importer.admin;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What an admin import did, or for a dry run would do.
 *
 * @param file the source file's name
 * @param layer the admin layer imported
 * @param crs the source coordinates and where they came from
 * @param added units whose code the layer did not hold
 * @param changed units it held, with another outline or other values
 * @param unchanged units it held just so, and units of parents the file does not touch
 * @param removed units of the parents the file touches that the file does not hold
 * @param moves pieces of ground {@code --repair} moved, by kind: "3 overlap (12.5 m²)"
 * @param followed units of the level below that --repair made fit the new outlines
 * @param sites key sites now in another grid
 * @param events open incidents now in another grid
 * @param forces forces now serving another grid (old codes mapped, workers named)
 * @param report the validation report written, or null when there was nothing to report
 * @param notes what a planner should know
 * @param written false for a dry run
 * @param seconds wall time
 */
public record AdminImportSummary(
    String file,
    String layer,
    String crs,
    int added,
    int changed,
    int unchanged,
    int removed,
    List<String> moves,
    int followed,
    int sites,
    int events,
    int forces,
    Path report,
    List<String> notes,
    boolean written,
    double seconds) {

  public AdminImportSummary {
    moves = List.copyOf(moves);
    notes = List.copyOf(notes);
  }

  /** The summary as the CLI prints it, one fact per line. */
  public String text() {
    List<String> lines = new ArrayList<>();
    lines.add(
        (written ? "imported " : "dry run, nothing written: would import ")
            + file
            + " into "
            + layer
            + String.format(Locale.ROOT, " in %.1f s", seconds));
    lines.add("  coordinates: " + crs);
    lines.add(
        String.format(
            Locale.ROOT,
            "  %s: %d added, %d changed, %d unchanged, %d removed; the hierarchy holds",
            layer,
            added,
            changed,
            unchanged,
            removed));
    if (!moves.isEmpty()) {
      lines.add("  repaired: " + String.join(", ", moves));
    }
    if (followed > 0) {
      lines.add("  " + followed + " units of the level below follow the new outlines");
    }
    if (sites + events + forces > 0) {
      lines.add(
          String.format(
              Locale.ROOT,
              "  re-assigned: %d key sites and %d open incidents to the grid they stand in, %d"
                  + " forces to their new grid",
              sites,
              events,
              forces));
    }
    notes.forEach(n -> lines.add("  note: " + n));
    if (report != null) {
      lines.add("  validation report: " + report.toAbsolutePath());
    }
    return String.join("\n", lines);
  }
}
