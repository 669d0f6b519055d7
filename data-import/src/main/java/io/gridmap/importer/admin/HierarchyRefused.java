package io.gridmap.importer.admin;

import java.nio.file.Path;
import java.util.List;

/**
 * An admin import refused because the hierarchy would not hold: nothing was written. The message
 * gives the counts per rule, the first problems, and where the validation report is.
 */
public final class HierarchyRefused extends RuntimeException {
  /** Problems named in the message; the report holds them all. */
  static final int SHOWN = 20;

  private final transient List<HierarchyProblem> problems;
  private final Path report;

  HierarchyRefused(String file, List<HierarchyProblem> problems, Path report, String why) {
    super(message(file, problems, report, why));
    this.problems = List.copyOf(problems);
    this.report = report;
  }

  public List<HierarchyProblem> problems() {
    return problems;
  }

  /** The validation report written (GeoJSON). */
  public Path report() {
    return report;
  }

  private static String message(
      String file, List<HierarchyProblem> problems, Path report, String why) {
    StringBuilder b = new StringBuilder();
    b.append(file)
        .append(": the hierarchy would not hold (")
        .append(HierarchyCheck.counts(problems).toString().replaceAll("[{}]", ""))
        .append("); nothing was imported")
        .append(why.isEmpty() ? "" : "; " + why)
        .append('\n');
    for (int i = 0; i < Math.min(SHOWN, problems.size()); i++) {
      HierarchyProblem p = problems.get(i);
      b.append("  ")
          .append(p.rule().id())
          .append(": ")
          .append(p.message())
          .append(": ")
          .append(p.fix())
          .append('\n');
    }
    if (problems.size() > SHOWN) {
      b.append("  ... and ").append(problems.size() - SHOWN).append(" more\n");
    }
    b.append("validation report (open it in QGIS): ").append(report.toAbsolutePath());
    return b.toString();
  }
}
