package io.gridmap.server.ogc;

import java.util.List;

/**
 * The conformance classes this server declares at {@code /conformance}. Each one is exercised by at
 * least one test; {@code ConformanceCoverageTest} holds the map from class to test.
 */
public final class Conformance {
  private Conformance() {}

  public static final List<String> CLASSES =
      List.of(
          "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/core",
          "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/landing-page",
          "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/json",
          "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/html",
          "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/oas30",
          "http://www.opengis.net/spec/ogcapi-common-2/1.0/conf/collections",
          "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
          "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
          "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
          "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
          "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
          "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
          "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
          "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
          // PATCH of grids; PUT exists too, but create-replace-delete also asks for POST and DELETE
          // of items, which grids do not take (docs/editing.md)
          "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/update",
          "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/optimistic-locking-etags",
          "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
          "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
          "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
          "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
          "http://www.opengis.net/spec/cql2/1.0/conf/case-insensitive-comparison",
          "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
          "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus",
          "http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions",
          "http://www.opengis.net/spec/cql2/1.0/conf/temporal-functions",
          "http://www.opengis.net/spec/cql2/1.0/conf/property-property",
          "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
          "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
          "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
          "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/dataset-tilesets",
          "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
          "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt",
          "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/oas30",
          "http://www.opengis.net/spec/tms/2.0/conf/tilematrixset",
          "http://www.opengis.net/spec/tms/2.0/conf/json-tilematrixset");
}
