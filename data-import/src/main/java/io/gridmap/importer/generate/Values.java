package io.gridmap.importer.generate;

import io.gridmap.layers.model.LayerDef;

/**
 * Builds a feature's value array by field name, in the layer's field order, and refuses a value
 * whose Java type is not its field's: a Long for INTEGER and TIMESTAMP, a Double for REAL.
 */
final class Values {
  private final LayerDef def;
  private final Object[] values;

  Values(LayerDef def) {
    this.def = def;
    this.values = new Object[def.fields().size()];
  }

  Values set(String field, Object value) {
    int i = def.requireField(field);
    Class<?> type = def.fields().get(i).type().javaType();
    if (value != null && !type.isInstance(value)) {
      throw new IllegalArgumentException(
          def.name()
              + "."
              + field
              + " expects "
              + type.getSimpleName()
              + " but got "
              + value.getClass().getSimpleName());
    }
    values[i] = value;
    return this;
  }

  Object[] array() {
    return values;
  }
}
