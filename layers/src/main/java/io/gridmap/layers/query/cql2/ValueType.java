package io.gridmap.layers.query.cql2;

import io.gridmap.layers.model.FieldType;

/** The type of a CQL2 operand, as the binder checks it. */
public enum ValueType {
  STRING("a string"),
  NUMBER("a number"),
  BOOLEAN("a boolean"),
  /** A point in time: a TIMESTAMP field, a TIMESTAMP or DATE literal. */
  INSTANT("a timestamp"),
  /** An INTERVAL literal; only temporal predicates accept it. */
  INTERVAL("an interval"),
  GEOMETRY("a geometry");

  private final String article;

  ValueType(String article) {
    this.article = article;
  }

  /** "a string", "an interval": for messages. */
  public String withArticle() {
    return article;
  }

  public static ValueType of(FieldType t) {
    switch (t) {
      case STRING:
        return STRING;
      case INTEGER:
      case REAL:
        return NUMBER;
      case BOOLEAN:
        return BOOLEAN;
      default:
        return INSTANT;
    }
  }
}
