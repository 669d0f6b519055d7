package io.gridmap.importer.clean;

import java.util.Locale;

/**
 * What cleaning changed, for the dataset's notes.
 *
 * @param districts districts cleaned
 * @param repairedInputs inputs that were invalid as read (self-intersecting rings) and went through
 *     {@code GeometryFixer}
 * @param overlapPieces faces claimed by two or more districts
 * @param overlapKm2 their area, given to one owner each
 * @param gapPieces sliver faces between districts claimed by none
 * @param gapKm2 their area, filled into a neighbour
 * @param holesKeptKm2 area of enclosed faces too large to be slivers, left as holes
 * @param vertices vertices of all districts after cleaning and densifying
 */
public record CleaningReport(
    int districts,
    int repairedInputs,
    int overlapPieces,
    double overlapKm2,
    int gapPieces,
    double gapKm2,
    double holesKeptKm2,
    int vertices) {

  /** One line for humans and for dataset notes. */
  public String summary() {
    return String.format(
        Locale.ROOT,
        "%d districts; %d invalid inputs repaired; %d overlap pieces (%.3f km²) given to one owner; "
            + "%d gap pieces (%.3f km²) filled; %.3f km² of large enclosed holes kept; %d vertices",
        districts,
        repairedInputs,
        overlapPieces,
        overlapKm2,
        gapPieces,
        gapKm2,
        holesKeptKm2,
        vertices);
  }
}
