package io.gridmap.importer.crs;

import java.util.OptionalInt;

/** Longitude/latitude in degrees on one of the datums we convert. */
public record Geographic(GeographicDatum datum) implements SourceCrs {
  public Geographic {
    if (datum == null) {
      throw new IllegalArgumentException("expected a datum but found none");
    }
  }

  @Override
  public OptionalInt epsg() {
    return datum.epsg();
  }

  @Override
  public String name() {
    return datum.crsName();
  }
}
