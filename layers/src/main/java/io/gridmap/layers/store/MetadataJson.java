package io.gridmap.layers.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.gridmap.layers.model.DatasetMetadata;

/** {@link DatasetMetadata} as the JSON text stored in {@code gpkg_metadata}. */
public final class MetadataJson {
  private MetadataJson() {}

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          // maps come from Map.copyOf, whose order varies between runs: sort so equal metadata is
          // equal text
          .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
          .configure(SerializationFeature.INDENT_OUTPUT, true)
          // a newer writer may add fields; an older reader keeps what it knows
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  public static String write(DatasetMetadata metadata) {
    try {
      return MAPPER.writeValueAsString(metadata);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "cannot write dataset metadata as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * @throws IllegalArgumentException with Jackson's reason and position when the text is not our
   *     JSON
   */
  public static DatasetMetadata read(String json) {
    try {
      return MAPPER.readValue(json, DatasetMetadata.class);
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " at line "
                  + e.getLocation().getLineNr()
                  + " column "
                  + e.getLocation().getColumnNr();
      throw new IllegalArgumentException(
          "expected dataset metadata JSON but" + where + ": " + e.getOriginalMessage(), e);
    }
  }
}
