package io.gridmap.importer.load;

import java.util.List;
import java.util.stream.Collectors;

/**
 * An import refused for what its input holds, with every problem found (up to {@link
 * Problems#LIMIT}): nothing was written. The message lists them one per line, each naming the file,
 * the feature or line, what is wrong and the fix.
 */
public final class ImportRefused extends RuntimeException {
  private final long count;
  private final transient List<Problems.Problem> problems;

  ImportRefused(String file, long count, List<Problems.Problem> problems) {
    super(message(file, count, problems));
    this.count = count;
    this.problems = problems;
  }

  /** How many problems there are (more than {@link #lines()} holds past the limit). */
  public long count() {
    return count;
  }

  /** Each problem as one line: where, what, the fix. */
  public List<String> lines() {
    return problems.stream().map(Problems.Problem::line).toList();
  }

  private static String message(String file, long count, List<Problems.Problem> problems) {
    String head =
        file
            + ": "
            + count
            + (count == 1 ? " problem" : " problems")
            + "; nothing was imported"
            + (count > problems.size() ? " (the first " + problems.size() + " shown)" : "")
            + ":\n";
    return head + problems.stream().map(p -> "  " + p.line()).collect(Collectors.joining("\n"));
  }
}
