package io.gridmap.server.query;

import io.gridmap.layers.geo.GroundMeasure;
import io.gridmap.server.ogc.OgcApi;
import io.gridmap.server.web.Params;
import java.util.Locale;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;

/**
 * The largest area a domain query may be asked about ({@code max_query_area_km2}): a bbox on
 * within, counts or hotspots, within's polygon, within's radius circle. A larger one is a 400
 * naming the parameter, its area and the limit.
 *
 * <p>Why this rule and the default of 250,000 km². The work of these queries does not grow with the
 * area beyond the size of a layer: without a bbox a query reads the whole layer, as an items page
 * does, so a bbox or polygon only ever narrows it. Measured over HTTP on the full generated city
 * (250k events, 73k public key sites, 65k grids; public class, best of three on this project's
 * 2-core machine), whole-city queries with default settings answer within 0.2 s: counts by district
 * 73 ms, hotspots of a month's events 38 ms, of every key site 162 ms, within a polygon around the
 * city 60 ms (its 65,000 grids, 10,000 to a page: 111 ms). The heaviest tried, hotspots of key
 * sites with eps 1,000 m and a 20 km background, takes 0.64 s: hotspot cost follows density and
 * eps, bounded by {@link HotspotsHandler#MAX_POINTS}, not area. Whole-city hotspots and counts are
 * the commanders' normal use, so the default passes every area within the city (its bounding box is
 * about 212,000 km²); it refuses what no city query needs, a country-sized box (usually a client's
 * mistake), and gives a deployment over a larger region one setting that keeps each area to a
 * city's worth of features. CQL2 geometry literals are not measured: they only narrow, and {@code
 * Cql2Limits} caps their vertices.
 */
final class QueryArea {
  private final int maxKm2;

  QueryArea(int maxKm2) {
    this.maxKm2 = maxKm2;
  }

  /** The limit the server is configured with. */
  static QueryArea of(OgcApi api) {
    return new QueryArea(api.maxQueryAreaKm2());
  }

  int maxKm2() {
    return maxKm2;
  }

  /** Refuses an area of parameter {@code param} (given as {@code value}) larger than the limit. */
  void check(String param, String value, double km2) {
    if (km2 > maxKm2) {
      throw Params.bad(
          param,
          value,
          "an area of at most "
              + maxKm2
              + " km² (the server's max_query_area_km2); this one covers "
              + String.format(Locale.ROOT, "%.0f", km2)
              + " km²");
    }
  }

  /** A lon/lat box's area in km², exact on the sphere ({@link GroundMeasure#areaM2(Envelope)}). */
  static double km2(Envelope lonLat) {
    return GroundMeasure.areaM2(lonLat) / 1e6;
  }

  /**
   * A lon/lat polygon's area in km² ({@link GroundMeasure#areaM2(Geometry)}): exact for a bbox, and
   * within a fraction of a percent for the polygons a city query draws.
   */
  static double km2(Geometry lonLat) {
    return GroundMeasure.areaM2(lonLat) / 1e6;
  }

  /** A circle's area in km² from its radius in metres. */
  static double circleKm2(double radiusMetres) {
    double r = radiusMetres / 1000;
    return Math.PI * r * r;
  }
}
