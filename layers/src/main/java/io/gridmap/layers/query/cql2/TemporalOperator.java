package io.gridmap.layers.query.cql2;

import java.util.List;
import java.util.Locale;

/**
 * The CQL2 temporal predicates, each defined as in CQL2's table of temporal operators: a
 * conjunction of comparisons between the start and end of the first operand ({@code a}) and of the
 * second ({@code b}). An instant is the interval [t, t]; a DATE is the whole day; an open end
 * ({@code '..'}) is minus or plus infinity. The evaluator and the SQL translator both read these
 * terms, so the two can never disagree about what an operator means.
 */
public enum TemporalOperator {
  T_AFTER("t_after", false, t(End.START, Cmp.GT, End.END)),
  T_BEFORE("t_before", false, t(End.END, Cmp.LT, End.START)),
  T_CONTAINS("t_contains", false, t(End.START, Cmp.LT, End.START), t(End.END, Cmp.GT, End.END)),
  /** Not intersecting: the negation of {@link #T_INTERSECTS}'s terms. */
  T_DISJOINT("t_disjoint", true, t(End.START, Cmp.LE, End.END), t(End.END, Cmp.GE, End.START)),
  T_DURING("t_during", false, t(End.START, Cmp.GT, End.START), t(End.END, Cmp.LT, End.END)),
  T_EQUALS("t_equals", false, t(End.START, Cmp.EQ, End.START), t(End.END, Cmp.EQ, End.END)),
  T_FINISHEDBY("t_finishedBy", false, t(End.START, Cmp.LT, End.START), t(End.END, Cmp.EQ, End.END)),
  T_FINISHES("t_finishes", false, t(End.START, Cmp.GT, End.START), t(End.END, Cmp.EQ, End.END)),
  T_INTERSECTS("t_intersects", false, t(End.START, Cmp.LE, End.END), t(End.END, Cmp.GE, End.START)),
  T_MEETS("t_meets", false, t(End.END, Cmp.EQ, End.START)),
  T_METBY("t_metBy", false, t(End.START, Cmp.EQ, End.END)),
  T_OVERLAPPEDBY(
      "t_overlappedBy",
      false,
      t(End.START, Cmp.GT, End.START),
      t(End.START, Cmp.LT, End.END),
      t(End.END, Cmp.GT, End.END)),
  T_OVERLAPS(
      "t_overlaps",
      false,
      t(End.START, Cmp.LT, End.START),
      t(End.END, Cmp.GT, End.START),
      t(End.END, Cmp.LT, End.END)),
  T_STARTEDBY("t_startedBy", false, t(End.START, Cmp.EQ, End.START), t(End.END, Cmp.GT, End.END)),
  T_STARTS("t_starts", false, t(End.START, Cmp.EQ, End.START), t(End.END, Cmp.LT, End.END));

  /** Which end of an interval a term reads. */
  public enum End {
    START,
    END
  }

  /** A comparison between two interval ends; symbols are SQL's. */
  public enum Cmp {
    LT("<"),
    LE("<="),
    EQ("="),
    GE(">="),
    GT(">");

    private final String symbol;

    Cmp(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }

    public boolean test(long a, long b) {
      switch (this) {
        case LT:
          return a < b;
        case LE:
          return a <= b;
        case EQ:
          return a == b;
        case GE:
          return a >= b;
        default:
          return a > b;
      }
    }
  }

  /** One comparison: {@code a.<aEnd> <cmp> b.<bEnd>}. */
  public record Term(End aEnd, Cmp cmp, End bEnd) {}

  private final String jsonName;
  private final boolean negated;
  private final List<Term> terms;

  TemporalOperator(String jsonName, boolean negated, Term... terms) {
    this.jsonName = jsonName;
    this.negated = negated;
    this.terms = List.of(terms);
  }

  private static Term t(End a, Cmp cmp, End b) {
    return new Term(a, cmp, b);
  }

  public String textName() {
    return name();
  }

  /** The name in cql2-json, e.g. {@code t_finishedBy}. */
  public String jsonName() {
    return jsonName;
  }

  /** The terms, all of which must hold (or, when {@link #negated()}, not all of which may hold). */
  public List<Term> terms() {
    return terms;
  }

  public boolean negated() {
    return negated;
  }

  /** Evaluates the operator on two closed intervals given as epoch milliseconds. */
  public boolean test(long aStart, long aEnd, long bStart, long bEnd) {
    boolean all = true;
    for (Term term : terms) {
      long a = term.aEnd() == End.START ? aStart : aEnd;
      long b = term.bEnd() == End.START ? bStart : bEnd;
      if (!term.cmp().test(a, b)) {
        all = false;
        break;
      }
    }
    return all != negated;
  }

  /** The operator for a name in either encoding (case-insensitive), or null. */
  public static TemporalOperator ofName(String name) {
    String upper = name.toUpperCase(Locale.ROOT);
    for (TemporalOperator op : values()) {
      if (op.name().equals(upper)) {
        return op;
      }
    }
    return null;
  }
}
