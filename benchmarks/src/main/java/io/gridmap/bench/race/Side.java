package io.gridmap.bench.race;

import io.gridmap.tiler.geo.TileCoord;

/**
 * One side of the race and its URLs: our server ({@code /tiles/cq/...}, {@code /collections/{id}/
 * tiles/WebMercatorQuad/{z}/{row}/{col}}, {@code /query/locate}) or the PostGIS front ({@link
 * PostgisTileFront}).
 *
 * @param name as the report prints it
 * @param host loopback host
 * @param port its port
 * @param ours true for our server
 */
record Side(String name, String host, int port, boolean ours) {
  static Side ours(String url) {
    return parse("ours", url, true);
  }

  static Side postgis(String url) {
    return parse("postgis", url, false);
  }

  private static Side parse(String name, String url, boolean ours) {
    java.net.URI u = java.net.URI.create(url);
    if (u.getHost() == null || u.getPort() < 0) {
      throw new IllegalArgumentException(
          name + " URL " + url + " needs a host and a port, e.g. http://127.0.0.1:8080");
    }
    return new Side(name, u.getHost(), u.getPort(), ours);
  }

  String base() {
    return "http://" + host + ":" + port;
  }

  /** The path of a whole-map tile ({@code layer} null) or of one layer's tile. */
  String tile(TileCoord t, RaceLayer layer) {
    if (ours) {
      return layer == null
          ? "/tiles/cq/" + t.z() + "/" + t.x() + "/" + t.y() + ".mvt"
          : "/collections/"
              + layer.name()
              + "/tiles/WebMercatorQuad/"
              + t.z()
              + "/"
              + t.y()
              + "/"
              + t.x();
    }
    return (layer == null ? "" : "/" + layer.name()) + "/" + t.z() + "/" + t.x() + "/" + t.y();
  }

  String locate(double lon, double lat) {
    return (ours ? "/query/locate" : "/locate") + "?lon=" + lon + "&lat=" + lat;
  }
}
