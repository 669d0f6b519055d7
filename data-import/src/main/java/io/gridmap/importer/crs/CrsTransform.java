package io.gridmap.importer.crs;

import io.gridmap.layers.geo.ChinaCoordinates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.locationtech.jts.geom.CoordinateSequence;
import org.locationtech.jts.geom.CoordinateSequenceFilter;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.proj4j.CRSFactory;
import org.locationtech.proj4j.CoordinateReferenceSystem;
import org.locationtech.proj4j.CoordinateTransform;
import org.locationtech.proj4j.CoordinateTransformFactory;
import org.locationtech.proj4j.ProjCoordinate;
import org.locationtech.proj4j.io.Proj4FileReader;

/**
 * Converts geometries from a {@link SourceCrs} to WGS84 longitude/latitude, in place, as a JTS
 * {@link CoordinateSequenceFilter}: one pass over each coordinate sequence, two reused {@link
 * ProjCoordinate}s and one reused array, nothing allocated per point. Each coordinate is checked
 * first (a Gauss-Krüger easting's size against the declared form, {@link GaussKrugerCheck}) and
 * after (inside China); the first that fails stops the conversion with a message naming it.
 *
 * <p>Not thread-safe (the reused buffers, and proj4j's transforms hold their own): make one per
 * thread or per import, not per feature. {@link #toWgs84} reads proj4j's EPSG file the first time
 * it meets a code (tens of milliseconds), then takes under a millisecond. Converting a million
 * Gauss-Krüger coordinates takes 0.16–0.29 s on the 2-core test machine.
 *
 * <h2>Axis order</h2>
 *
 * EPSG defines 4326 and 4490 latitude first and the Gauss-Krüger CRSs 4491–4554 northing first
 * ({@code AXIS["Northing",NORTH], AXIS["Easting",EAST]}). Files do not follow that: a Shapefile, a
 * GeoPackage or GeoJSON stores x = longitude or easting and y = latitude or northing whatever the
 * EPSG axis order, and GDAL reads and writes them in that "traditional GIS order"
 * (OAMS_TRADITIONAL_GIS_ORDER, the default of ogr2ogr and gdaltransform since GDAL 3). So do we: x
 * is always the easting or longitude. Data stored the other way round is caught by the size check
 * for Gauss-Krüger and by the China check for lon/lat, each with a hint to swap.
 *
 * <h2>CGCS2000 and WGS84</h2>
 *
 * CGCS2000 coordinates are taken as WGS84 coordinates unchanged, as GDAL/PROJ do (EPSG has no
 * transformation between them; PROJ applies a "ballpark" null one). CGCS2000 is ITRF97 at epoch
 * 2000.0, WGS84 today is aligned to ITRF2014/2020 at the current epoch: the difference is the drift
 * of the Eurasian plate since 2000, about 3 cm a year in China, so 0.7–0.8 m in 2025, and their
 * ellipsoids differ by 0.1 mm. Both are below a grid boundary's survey accuracy; converting exactly
 * would need a velocity model and each feature's epoch, which the data does not carry. Gauss-Krüger
 * is therefore inverted onto the CGCS2000 ellipsoid (EPSG:4490) with no datum step.
 */
public final class CrsTransform implements CoordinateSequenceFilter {
  private static final CRSFactory CRS_FACTORY = new CRSFactory();
  private static final CoordinateTransformFactory TRANSFORMS = new CoordinateTransformFactory();

  /** PROJ parameters by "EPSG:n", read once from proj4j-epsg's file. */
  private static final Map<String, String[]> PARAMETERS = new ConcurrentHashMap<>();

  private final SourceCrs source;

  /** The lon/lat datum, for Geographic sources; else null. */
  private final ChinaCoordinates.Datum datum;

  /** The zone, for Gauss-Krüger sources; else null. */
  private final GaussKruger zone;

  /** proj4j's inverse projection, for Gauss-Krüger sources; else null. */
  private final CoordinateTransform projected;

  private final ProjCoordinate in = new ProjCoordinate();
  private final ProjCoordinate out = new ProjCoordinate();
  private final double[] lonLat = new double[2];

  /** The index of the next coordinate within the geometry being converted, for messages. */
  private int index;

  private CrsTransform(SourceCrs source) {
    this.source = source;
    this.datum = source instanceof Geographic g ? g.datum().chinaDatum() : null;
    this.zone = source instanceof GaussKruger gk ? gk : null;
    this.projected =
        zone != null ? TRANSFORMS.createTransform(crs(zone.code()), crs("EPSG:4490")) : null;
  }

  /** A conversion from {@code source} to WGS84 lon/lat. */
  public static CrsTransform toWgs84(SourceCrs source) {
    return new CrsTransform(source);
  }

  public SourceCrs source() {
    return source;
  }

  /**
   * Converts {@code geometry} in place, and with it any {@code Coordinate} objects it shares with
   * other geometries (a {@code CoordinateArraySequence} holds the caller's objects). On an error
   * the geometry is left part-converted: discard it (an import is all or nothing), or use {@link
   * #transformed}.
   *
   * @param where names the feature in messages: "grids.shp feature 12"
   * @throws IllegalArgumentException naming {@code where}, the coordinate and the likely fix
   */
  public void apply(Geometry geometry, String where) {
    index = 0;
    try {
      geometry.apply(this);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }

  /** A converted copy of {@code geometry}, which is left as it was. */
  public Geometry transformed(Geometry geometry, String where) {
    Geometry copy = geometry.copy();
    apply(copy, where);
    return copy;
  }

  @Override
  public void filter(CoordinateSequence seq, int i) {
    double x = seq.getX(i);
    double y = seq.getY(i);
    if (!Double.isFinite(x) || !Double.isFinite(y)) {
      throw rejected(x, y, "is not a number");
    }
    if (zone != null) {
      String misfit = GaussKrugerCheck.misfit(zone, x, y);
      if (misfit != null) {
        throw rejected(x, y, misfit);
      }
    }
    if (projected != null) {
      project(x, y);
    } else if (source instanceof WebMercator) {
      // the server's own spherical Mercator, whose forward its tiles use: a coordinate exported
      // in EPSG:3857 comes back where it was
      lonLat[0] = io.gridmap.layers.geo.WebMercator.lon(x);
      lonLat[1] = io.gridmap.layers.geo.WebMercator.lat(y);
    } else {
      ChinaCoordinates.toWgs84(datum, x, y, lonLat);
    }
    if (ChinaCoordinates.outsideChina(lonLat[0], lonLat[1])) {
      throw rejected(x, y, outsideChina());
    }
    seq.setOrdinate(i, 0, lonLat[0]);
    seq.setOrdinate(i, 1, lonLat[1]);
    index++;
  }

  private void project(double x, double y) {
    in.x = x;
    in.y = y;
    projected.transform(in, out);
    lonLat[0] = out.x;
    lonLat[1] = out.y;
  }

  private String outsideChina() {
    String s =
        String.format(
            "lands at lon %.6f, lat %.6f in WGS84, outside China (lon 72.0 to 137.8, lat 0.8 to"
                + " 55.8): is %s the right CRS?",
            lonLat[0], lonLat[1], source.describe());
    if (source instanceof Geographic && !ChinaCoordinates.outsideChina(lonLat[1], lonLat[0])) {
      s += " It looks like latitude, longitude: files store the longitude as x; swap the axes";
    }
    return s;
  }

  private IllegalArgumentException rejected(double x, double y, String why) {
    return new IllegalArgumentException(
        "coordinate " + index + " (" + plain(x) + ", " + plain(y) + ") " + why);
  }

  /** A number as written in a file, without an exponent: 36512345.6, not 3.65123456E7. */
  private static String plain(double v) {
    return Double.isFinite(v) ? java.math.BigDecimal.valueOf(v).toPlainString() : "" + v;
  }

  @Override
  public boolean isDone() {
    return false;
  }

  @Override
  public boolean isGeometryChanged() {
    return true;
  }

  /**
   * proj4j's CRS for a code, built anew for each transform rather than shared, since proj4j does
   * not promise that its projection objects are safe to use from several threads. What is shared is
   * the code's PROJ parameters: finding them scans proj4j's EPSG file, about 12 ms a code, while
   * building a CRS from them takes microseconds.
   */
  private static CoordinateReferenceSystem crs(String code) {
    String[] parameters =
        PARAMETERS.computeIfAbsent(
            code,
            c -> {
              try {
                return new Proj4FileReader().readParametersFromFile("EPSG", c.substring(5));
              } catch (IOException e) {
                throw new UncheckedIOException("cannot read proj4j's EPSG definitions", e);
              }
            });
    return CRS_FACTORY.createFromParameters(code, parameters);
  }
}
