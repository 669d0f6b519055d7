package io.gridmap.importer.load;

import io.gridmap.layers.model.Field;
import io.gridmap.layers.model.LayerDef;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.locationtech.jts.geom.Envelope;

/**
 * What an import did, or for a dry run would do: the layer it made, where the coordinates came
 * from, and what it added, changed and removed by code.
 *
 * @param file the source file's name
 * @param def the layer as written
 * @param crs the source coordinates and where they were taken from: "EPSG:4545 (CGCS2000 / ...),
 *     from the .prj"
 * @param columns each field with the file's column it came from: "name <- MC"
 * @param read features read from the file
 * @param added features whose code the layer did not hold
 * @param changed features whose code it held, with another geometry or other values
 * @param unchanged features it held just so
 * @param removed features of the layer the file does not hold, removed ({@code --replace}, or a
 *     layer without codes, which is replaced whole)
 * @param kept features of the layer the file does not hold, kept
 * @param repaired invalid polygons fixed by {@code --repair}
 * @param bounds the layer's WGS84 bounds after the import
 * @param notes what a planner should know (a --crs over a .prj, columns renamed)
 * @param written false for a dry run
 * @param seconds wall time
 * @param position the import's change-log position in the store; 0 for a dry run
 */
public record ImportSummary(
    String file,
    LayerDef def,
    String crs,
    List<String> columns,
    long read,
    long added,
    long changed,
    long unchanged,
    long removed,
    long kept,
    long repaired,
    Envelope bounds,
    List<String> notes,
    boolean written,
    double seconds,
    long position) {

  public ImportSummary {
    columns = List.copyOf(columns);
    notes = List.copyOf(notes);
  }

  /** Features in the layer after the import. */
  public long total() {
    return added + changed + unchanged + kept;
  }

  /** The summary as the CLI prints it, one fact per line. */
  public String text() {
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            Locale.ROOT,
            "%s layer '%s' from %s: %,d features read in %.1f s",
            written ? "imported" : "dry run, nothing written:",
            def.name(),
            file,
            read,
            seconds));
    lines.add(
        String.format(
            Locale.ROOT,
            "  %,d added, %,d changed, %,d unchanged, %,d removed, %,d kept (not in the file)"
                + " -> %,d features",
            added,
            changed,
            unchanged,
            removed,
            kept,
            total()));
    lines.add("  coordinates: " + crs);
    lines.add(
        "  "
            + (def.kind() == io.gridmap.layers.model.GeometryKind.POINT ? "points" : "polygons")
            + (def.coverage() ? " forming a coverage" : "")
            + ", tiles z"
            + def.minZoom()
            + "-z"
            + def.maxZoom()
            + (def.kind() == io.gridmap.layers.model.GeometryKind.POINT
                ? (def.clustered() ? ", clustered below z14" : ", every point at every zoom")
                : "")
            + ", visible to "
            + (def.staffOnly() ? "staff only" : "everyone"));
    if (bounds != null && !bounds.isNull()) {
      lines.add(
          String.format(
              Locale.ROOT,
              "  bounds: %.6f,%.6f,%.6f,%.6f",
              bounds.getMinX(),
              bounds.getMinY(),
              bounds.getMaxX(),
              bounds.getMaxY()));
    }
    if (repaired > 0) {
      lines.add(String.format(Locale.ROOT, "  %,d invalid polygons repaired", repaired));
    }
    lines.add("  fields:");
    for (int i = 0; i < def.fields().size(); i++) {
      Field f = def.fields().get(i);
      lines.add(
          "    "
              + columns.get(i)
              + " "
              + f.type().name().toLowerCase(Locale.ROOT)
              + (f.personal() ? ", personal" : "")
              + (f.inTiles() ? ", in tiles" : ""));
    }
    notes.forEach(n -> lines.add("  note: " + n));
    return String.join("\n", lines);
  }
}
