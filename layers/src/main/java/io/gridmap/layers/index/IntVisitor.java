package io.gridmap.layers.index;

/** Receives the ordinals of index entries; a primitive callback so hot queries do not box. */
@FunctionalInterface
public interface IntVisitor {
  void visit(int ordinal);
}
