package io.gridmap.layers.query.cql2;

/**
 * Bounds on what a parser accepts, so that one request cannot exhaust the stack, the heap or the
 * CPU. Exceeding a bound is a {@link Cql2Exception} of kind {@code LIMIT} that names the limit.
 *
 * @param maxTextLength characters of a cql2-text filter (a GET query parameter)
 * @param maxJsonLength characters of a cql2-json filter (usually a POST body; JSON is wordier)
 * @param maxDepth nesting of parentheses, NOT, AND/OR groups and functions
 * @param maxListSize items in one IN list
 * @param maxVertices coordinates over all geometry literals of one filter
 */
public record Cql2Limits(
    int maxTextLength, int maxJsonLength, int maxDepth, int maxListSize, int maxVertices) {
  /** 10,000 characters of text, 50,000 of JSON, depth 50, 1,000 list items, 10,000 vertices. */
  public static final Cql2Limits DEFAULTS = new Cql2Limits(10_000, 50_000, 50, 1_000, 10_000);

  public Cql2Limits {
    requirePositive("maxTextLength", maxTextLength);
    requirePositive("maxJsonLength", maxJsonLength);
    requirePositive("maxDepth", maxDepth);
    requirePositive("maxListSize", maxListSize);
    requirePositive("maxVertices", maxVertices);
    if (maxDepth > 1_000) {
      // the parsers recurse once per level; beyond this a thread's default stack is at risk
      throw new IllegalArgumentException("maxDepth must be at most 1000, got " + maxDepth);
    }
  }

  public Cql2Limits withMaxTextLength(int n) {
    return new Cql2Limits(n, maxJsonLength, maxDepth, maxListSize, maxVertices);
  }

  public Cql2Limits withMaxJsonLength(int n) {
    return new Cql2Limits(maxTextLength, n, maxDepth, maxListSize, maxVertices);
  }

  public Cql2Limits withMaxDepth(int n) {
    return new Cql2Limits(maxTextLength, maxJsonLength, n, maxListSize, maxVertices);
  }

  public Cql2Limits withMaxListSize(int n) {
    return new Cql2Limits(maxTextLength, maxJsonLength, maxDepth, n, maxVertices);
  }

  public Cql2Limits withMaxVertices(int n) {
    return new Cql2Limits(maxTextLength, maxJsonLength, maxDepth, maxListSize, n);
  }

  private static void requirePositive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }
}
