package io.gridmap.layers.query.cql2;

/** The binary comparison operators of CQL2, the same symbols in text, JSON and SQL. */
public enum ComparisonOperator {
  EQ("="),
  NE("<>"),
  LT("<"),
  LE("<="),
  GT(">"),
  GE(">=");

  private final String symbol;

  ComparisonOperator(String symbol) {
    this.symbol = symbol;
  }

  public String symbol() {
    return symbol;
  }

  /** True for the operators that need an order, not just equality. */
  public boolean isOrdering() {
    return this != EQ && this != NE;
  }

  /** Applies the operator to the sign of a {@code compareTo} result. */
  public boolean test(int comparison) {
    switch (this) {
      case EQ:
        return comparison == 0;
      case NE:
        return comparison != 0;
      case LT:
        return comparison < 0;
      case LE:
        return comparison <= 0;
      case GT:
        return comparison > 0;
      default:
        return comparison >= 0;
    }
  }

  /** The operator for a symbol, or null. */
  public static ComparisonOperator ofSymbol(String symbol) {
    for (ComparisonOperator op : values()) {
      if (op.symbol.equals(symbol)) {
        return op;
      }
    }
    return null;
  }
}
