package io.gridmap.importer.load;

import io.gridmap.layers.store.DatasetCheck;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The file's columns as they appear (a streamed GeoJSON shows a new property at any feature), each
 * given a slot and our field name: the {@code --map} name for a mapped column, else its own made
 * snake_case ({@link FieldNames}); a name taken twice or by a store column ({@code fid}, {@code
 * geom}, {@code personal}) gets a {@code source_} prefix or a number.
 */
final class Columns {
  private final Map<String, String> oursByTheirs = new HashMap<>();
  private final Map<String, Integer> slotByColumn = new LinkedHashMap<>();
  private final List<String> columns = new ArrayList<>();
  private final List<String> fields = new ArrayList<>();
  private final Set<String> taken = new HashSet<>();

  /**
   * @param map our field -> their column, from {@code --map}
   */
  Columns(Map<String, String> map) {
    map.forEach((ours, theirs) -> oursByTheirs.put(theirs, ours));
    taken.addAll(map.keySet());
  }

  /** The values of one feature's attributes by slot; new columns get the next slots. */
  Object[] values(Map<String, Object> attributes) {
    for (String column : attributes.keySet()) {
      if (!slotByColumn.containsKey(column)) {
        add(column);
      }
    }
    Object[] out = new Object[columns.size()];
    for (Map.Entry<String, Object> e : attributes.entrySet()) {
      out[slotByColumn.get(e.getKey())] = e.getValue();
    }
    return out;
  }

  private void add(String column) {
    String ours = oursByTheirs.get(column);
    if (ours == null) {
      String base = FieldNames.fromColumn(column, columns.size() + 1);
      if (DatasetCheck.RESERVED.contains(base)) {
        base = "source_" + base;
      }
      ours = base;
      for (int n = 2; taken.contains(ours); n++) {
        ours = base + "_" + n;
      }
      taken.add(ours);
    }
    slotByColumn.put(column, columns.size());
    columns.add(column);
    fields.add(ours);
  }

  int size() {
    return columns.size();
  }

  /** The file's name of the column in {@code slot}. */
  String column(int slot) {
    return columns.get(slot);
  }

  /** Our name for the column in {@code slot}. */
  String field(int slot) {
    return fields.get(slot);
  }

  /** The slot of our field {@code name}, or -1. */
  int slotOfField(String name) {
    return fields.indexOf(name);
  }

  /** The mapped columns the file never showed, as ours=theirs. */
  List<String> missingMapped() {
    List<String> out = new ArrayList<>();
    oursByTheirs.forEach(
        (theirs, ours) -> {
          if (!slotByColumn.containsKey(theirs)) {
            out.add(ours + "=" + theirs);
          }
        });
    return out;
  }

  List<String> columnNames() {
    return List.copyOf(columns);
  }
}
