package io.gridmap.server.ogc;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every conformance class the server declares names the test that exercises it, and that test
 * exists.
 */
class ConformanceCoverageTest {
  static final String C = "http://www.opengis.net/spec/";
  static final Map<String, String> EXERCISED_BY = new LinkedHashMap<>();

  static {
    EXERCISED_BY.put(
        C + "ogcapi-common-1/1.0/conf/core",
        "OgcFeaturesTest#conformanceDeclaresCoreGeoJsonOas30CrsFilterAndTiles");
    EXERCISED_BY.put(
        C + "ogcapi-common-1/1.0/conf/landing-page",
        "OgcFeaturesTest#landingPageIsJsonForAcceptJsonOrFJson");
    EXERCISED_BY.put(
        C + "ogcapi-common-1/1.0/conf/json",
        "OgcFeaturesTest#landingPageIsJsonForAcceptJsonOrFJson");
    EXERCISED_BY.put(
        C + "ogcapi-common-1/1.0/conf/html",
        "OgcFeaturesTest#landingPageIsHtmlForBrowsersLinkingViewerCollectionsTileJsonAndApi");
    EXERCISED_BY.put(
        C + "ogcapi-common-1/1.0/conf/oas30",
        "OgcFeaturesTest#apiIsOpenApi30ListingItemsPathsWithPropertyParametersPerCollection");
    EXERCISED_BY.put(
        C + "ogcapi-common-2/1.0/conf/collections",
        "OgcFeaturesTest#collectionsListEveryLayerWithExtentCrsAndLinks");
    EXERCISED_BY.put(
        C + "ogcapi-features-1/1.0/conf/core",
        "OgcFeaturesTest#pagingThroughNextLinksReturnsEveryPublicFeatureOnce");
    EXERCISED_BY.put(
        C + "ogcapi-features-1/1.0/conf/geojson", "OgcFeaturesTest#oneFeatureByIdWithLinks");
    EXERCISED_BY.put(
        C + "ogcapi-features-1/1.0/conf/oas30",
        "OgcFeaturesTest#apiIsOpenApi30ListingItemsPathsWithPropertyParametersPerCollection");
    EXERCISED_BY.put(
        C + "ogcapi-features-2/1.0/conf/crs",
        "OgcCrsTest#epsg4326And4490AreLatitudeFirstAndAgreeWithPostgis");
    EXERCISED_BY.put(
        C + "ogcapi-features-3/1.0/conf/queryables",
        "OgcCql2Test#queryablesListPublicPropertiesAsJsonSchema");
    EXERCISED_BY.put(
        C + "ogcapi-features-3/1.0/conf/queryables-query-parameters",
        "OgcFeaturesTest#partOnePropertyParametersFilterByEquality");
    EXERCISED_BY.put(
        C + "ogcapi-features-3/1.0/conf/filter",
        "OgcCql2Test#comparisonLikeInBetweenIsNullAndLogic");
    EXERCISED_BY.put(
        C + "ogcapi-features-3/1.0/conf/features-filter",
        "OgcCql2Test#cql2JsonGivesTheSameAnswers");
    EXERCISED_BY.put(
        C + "ogcapi-features-4/1.0/conf/update",
        "edit.GridLockingTest#updateDeclaresPatchInOptionsAndNeedsAContentType");
    EXERCISED_BY.put(
        C + "ogcapi-features-4/1.0/conf/optimistic-locking-etags",
        "edit.GridLockingTest#aPatchWithAStaleIfMatchIs412AndChangesNothing");
    EXERCISED_BY.put(
        C + "cql2/1.0/conf/cql2-text", "OgcCql2Test#comparisonLikeInBetweenIsNullAndLogic");
    EXERCISED_BY.put(C + "cql2/1.0/conf/cql2-json", "OgcCql2Test#cql2JsonGivesTheSameAnswers");
    EXERCISED_BY.put(
        C + "cql2/1.0/conf/basic-cql2", "OgcCql2Test#comparisonLikeInBetweenIsNullAndLogic");
    EXERCISED_BY.put(
        C + "cql2/1.0/conf/advanced-comparison-operators",
        "OgcCql2Test#comparisonLikeInBetweenIsNullAndLogic");
    EXERCISED_BY.put(
        C + "cql2/1.0/conf/case-insensitive-comparison",
        "OgcCql2Test#comparisonLikeInBetweenIsNullAndLogic");
    EXERCISED_BY.put(
        C + "cql2/1.0/conf/basic-spatial-functions",
        "OgcCql2Test#spatialFunctionsAgreeWithHandWrittenPostgis");
    EXERCISED_BY.put(
        C + "cql2/1.0/conf/basic-spatial-functions-plus",
        "OgcCql2Test#spatialFunctionsAgreeWithHandWrittenPostgis");
    EXERCISED_BY.put(
        C + "cql2/1.0/conf/spatial-functions",
        "OgcCql2Test#spatialFunctionsAgreeWithHandWrittenPostgis");
    EXERCISED_BY.put(
        C + "cql2/1.0/conf/temporal-functions",
        "OgcCql2Test#temporalComparisonOnEventTimeAndDatetime");
    EXERCISED_BY.put(
        C + "cql2/1.0/conf/property-property", "OgcCql2Test#propertyToPropertyComparison");
    EXERCISED_BY.put(
        C + "ogcapi-tiles-1/1.0/conf/core", "OgcTilesTest#mapTilesAreTheSameBytesAsTheCqTiles");
    EXERCISED_BY.put(
        C + "ogcapi-tiles-1/1.0/conf/tileset",
        "OgcTilesTest#tilesetsAndTileMatrixSetDescribeWebMercatorQuad");
    EXERCISED_BY.put(
        C + "ogcapi-tiles-1/1.0/conf/tilesets-list",
        "OgcTilesTest#tilesetsAndTileMatrixSetDescribeWebMercatorQuad");
    EXERCISED_BY.put(
        C + "ogcapi-tiles-1/1.0/conf/dataset-tilesets",
        "OgcTilesTest#mapTilesAreTheSameBytesAsTheCqTiles");
    EXERCISED_BY.put(
        C + "ogcapi-tiles-1/1.0/conf/geodata-tilesets",
        "OgcTilesTest#collectionTilesHoldThatLayersMessageOfTheMapTileByteForByte");
    EXERCISED_BY.put(
        C + "ogcapi-tiles-1/1.0/conf/mvt",
        "OgcTilesTest#collectionTilesHoldThatLayersMessageOfTheMapTileByteForByte");
    EXERCISED_BY.put(C + "ogcapi-tiles-1/1.0/conf/oas30", "OgcTilesTest#tilesAreInTheOpenApi");
    EXERCISED_BY.put(
        C + "tms/2.0/conf/tilematrixset",
        "OgcTilesTest#tilesetsAndTileMatrixSetDescribeWebMercatorQuad");
    EXERCISED_BY.put(
        C + "tms/2.0/conf/json-tilematrixset",
        "OgcTilesTest#tilesetsAndTileMatrixSetDescribeWebMercatorQuad");
  }

  @Test
  void everyDeclaredClassIsExercisedByANamedTest() throws Exception {
    assertThat(EXERCISED_BY.keySet()).containsExactlyInAnyOrderElementsOf(Conformance.CLASSES);
    for (Map.Entry<String, String> e : EXERCISED_BY.entrySet()) {
      String[] parts = e.getValue().split("#");
      // a test of another package is named with it (edit.GridLockingTest)
      Class<?> test =
          Class.forName(
              parts[0].contains(".")
                  ? "io.gridmap.server." + parts[0]
                  : "io.gridmap.server.ogc." + parts[0]);
      Method m =
          Arrays.stream(test.getDeclaredMethods())
              .filter(x -> x.getName().equals(parts[1]))
              .findFirst()
              .orElse(null);
      assertThat(m).as(e.getKey() + " -> " + e.getValue()).isNotNull();
      assertThat(m.isAnnotationPresent(Test.class)).as(e.getValue()).isTrue();
    }
  }
}
