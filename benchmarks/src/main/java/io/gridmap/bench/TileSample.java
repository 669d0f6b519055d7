package io.gridmap.bench;

import io.gridmap.layers.geo.WebMercator;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Layer;
import io.gridmap.tiler.geo.TileCoord;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SplittableRandom;
import org.locationtech.jts.geom.Coordinate;

/**
 * A fixed sample of tiles per zoom where people look: the tiles holding randomly drawn grids (a
 * fixed seed), so dense urban tiles come up as often as they are viewed, and every tile holds data.
 * The same sample feeds the JMH render benchmark and the wrk URL list.
 */
public final class TileSample {
  private TileSample() {}

  public static List<TileCoord> of(Dataset city, int z, int max) {
    Layer grids = city.layer("grids");
    SplittableRandom rnd = new SplittableRandom(20261124L + z);
    LinkedHashSet<TileCoord> tiles = new LinkedHashSet<>();
    int attempts = 0;
    while (tiles.size() < max && attempts++ < max * 20) {
      Feature g = grids.features().get(rnd.nextInt(grids.size()));
      Coordinate c = g.geometry().getInteriorPoint().getCoordinate();
      tiles.add(TileCoord.containing(WebMercator.x(c.x), WebMercator.y(c.y), z));
    }
    return new ArrayList<>(tiles);
  }

  /**
   * Prints tile paths for wrk, one per line: {@code TileSample [minZoom maxZoom perZoom]} with
   * {@code -Dgridmap.store=PATH}.
   */
  public static void main(String[] args) {
    int minZ = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int maxZ = args.length > 1 ? Integer.parseInt(args[1]) : 14;
    int perZoom = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    Dataset city = BenchCity.load();
    for (int z = minZ; z <= maxZ; z++) {
      for (TileCoord t : of(city, z, perZoom)) {
        System.out.println("/tiles/cq/" + t.z() + "/" + t.x() + "/" + t.y() + ".mvt");
      }
    }
  }
}
