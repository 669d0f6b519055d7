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
 * @param id stable id; for admin units the numeric code, for points a sequence number
 * @param geometry WGS84 lon/lat geometry
 * @param values attribute values by field index
 * @param personal true when the whole feature is personal (the home of a vulnerable resident):
 *     stored, but in no tile and no public response
 */
public record Feature(long id, Geometry geometry, Object[] values, boolean personal) {
  public Feature {
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
