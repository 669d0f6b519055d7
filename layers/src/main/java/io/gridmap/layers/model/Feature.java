package io.gridmap.layers.model;

import java.util.Objects;
import org.locationtech.jts.geom.Geometry;

/**
 * One feature: a stable integer id, a geometry in WGS84 longitude/latitude, and attribute values in
 * the order of its layer's {@link LayerDef#fields()}.
 *
 * <p>Values are a plain array rather than a map: half a million features stay small and a tile
 * encoder reads them by index. A value is null or an instance of its field's {@link
 * FieldType#javaType()}.
 *
 * <p>Ids are below {@link #ID_LIMIT}, 2^52. Tiles carry them as MVT feature ids and GeoJSON as the
 * {@code id} member, and every JavaScript reader (MapLibre GL JS and OpenLayers through pbf, {@code
 * JSON.parse}) reads those into a double, exact only up to 2^53: a 17-digit id such as
 * 50010300100100101 comes out as 50010300100100104, another force. Keeping ids small where they are
 * made is the one fix that holds for tiles, GeoJSON, live messages and the query answers alike; a
 * longer structured identifier is a {@code code} string attribute.
 *
 * @param id stable id, 0 to 2^52 - 1; for admin units the numeric code (15 digits at most), for
 *     points a number the generator or importer gives
 * @param geometry WGS84 lon/lat geometry
 * @param values attribute values by field index
 * @param personal true when the whole feature is personal (the home of a vulnerable resident):
 *     stored, but in no tile and no public response
 */
public record Feature(long id, Geometry geometry, Object[] values, boolean personal) {
  /**
   * Ids are below 2^52: exact as a JavaScript number (2^53), with the ids from 2^52 to 2^53 left to
   * features a renderer makes up (the tiler's point clusters), so the two never collide.
   */
  public static final long ID_LIMIT = 1L << 52;

  public Feature {
    if (id < 0 || id >= ID_LIMIT) {
      throw new IllegalArgumentException(
          "feature id "
              + id
              + " is outside 0.."
              + (ID_LIMIT - 1)
              + " (2^52 - 1): larger ids do not survive a JavaScript number");
    }
    Objects.requireNonNull(geometry, "geometry");
    Objects.requireNonNull(values, "values");
  }

  public Object value(int fieldIndex) {
    return values[fieldIndex];
  }

  public String string(int fieldIndex) {
    return (String) values[fieldIndex];
  }

  public long longValue(int fieldIndex) {
    Object v = values[fieldIndex];
    return v == null ? 0L : ((Number) v).longValue();
  }
}
