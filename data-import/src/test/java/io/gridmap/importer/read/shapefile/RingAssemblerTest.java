package io.gridmap.importer.read.shapefile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKTReader;

/** Clockwise rings are shells, counter-clockwise ones holes of the smallest shell around them. */
class RingAssemblerTest {
  private final GeometryFactory factory = new GeometryFactory();
  private final RingAssembler assembler = new RingAssembler(factory);

  // clockwise (y up): shells
  private static final String BIG = "0 0, 0 10, 10 10, 10 0, 0 0";
  private static final String ISLAND = "4 4, 4 6, 6 6, 6 4, 4 4";
  private static final String FAR = "20 0, 20 5, 25 5, 25 0, 20 0";
  // counter-clockwise: holes
  private static final String LAKE = "2 2, 8 2, 8 8, 2 8, 2 2";
  private static final String POND = "21 1, 22 1, 22 2, 21 2, 21 1";

  @Test
  void oneShellIsAPolygon() throws ParseException {
    assertThat(assemble(BIG)).isEqualTo(wkt("POLYGON ((" + BIG + "))"));
  }

  @Test
  void holesGoToTheShellContainingThemWhateverTheOrderOfTheRings() throws ParseException {
    Geometry g = assemble(POND, BIG, LAKE, FAR);
    assertThat(
            g.equalsExact(
                wkt(
                    "MULTIPOLYGON ((("
                        + BIG
                        + "), ("
                        + LAKE
                        + ")), (("
                        + FAR
                        + "), ("
                        + POND
                        + ")))")))
        .as(g.toString())
        .isTrue();
  }

  @Test
  void anIslandInALakeIsAShellOfItsOwnAndAHoleInItGoesToTheIsland() throws ParseException {
    String islandPond = "4.5 4.5, 5.5 4.5, 5.5 5.5, 4.5 5.5, 4.5 4.5";
    Geometry g = assemble(BIG, LAKE, ISLAND, islandPond);
    assertThat(
            g.equalsExact(
                wkt(
                    "MULTIPOLYGON ((("
                        + BIG
                        + "), ("
                        + LAKE
                        + ")), (("
                        + ISLAND
                        + "), ("
                        + islandPond
                        + ")))")))
        .as(g.toString())
        .isTrue();
  }

  @Test
  void aHoleTouchingItsShellAtAVertexStillBelongsToIt() throws ParseException {
    String touching = "0 0, 5 2, 2 5, 0 0"; // counter-clockwise, shares the shell's corner
    Geometry g = assemble(BIG, touching);
    assertThat(g.equalsExact(wkt("POLYGON ((" + BIG + "), (" + touching + "))"))).isTrue();
  }

  @Test
  void aHoleOutsideEveryShellIsKeptAsAPolygon() throws ParseException {
    Geometry g = assemble(BIG, POND);
    assertThat(g.getGeometryType()).isEqualTo("MultiPolygon");
    assertThat(g.getNumGeometries()).isEqualTo(2);
    assertThat(g.getGeometryN(1).equalsExact(wkt("POLYGON ((" + POND + "))"))).isTrue();
  }

  private Geometry assemble(String... rings) throws ParseException {
    Coordinate[][] coords = new Coordinate[rings.length][];
    for (int i = 0; i < rings.length; i++) {
      coords[i] = wkt("LINESTRING (" + rings[i] + ")").getCoordinates();
    }
    return assembler.assemble(Arrays.asList(coords));
  }

  private Geometry wkt(String text) throws ParseException {
    return new WKTReader(factory).read(text);
  }
}
