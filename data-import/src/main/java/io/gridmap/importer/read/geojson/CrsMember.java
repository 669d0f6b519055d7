package io.gridmap.importer.read.geojson;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * The name in GeoJSON 2008's {@code crs} member, which RFC 7946 dropped but ogr2ogr still writes
 * for any CRS other than CRS84 (and for CRS84 itself): {@code {"type": "name", "properties":
 * {"name": "urn:ogc:def:crs:EPSG::4490"}}}. Also read: the older {@code {"type": "EPSG",
 * "properties": {"code": 4490}}} and a bare string {@code "EPSG:4490"}. A {@code "link"} CRS, or
 * anything else, yields its JSON text, which no CRS matches, so the refusal shows what was found.
 */
final class CrsMember {
  private CrsMember() {}

  /** The CRS's name; the current token is the member's value, left on its last token. */
  static String read(JsonParser p) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    if (p.currentToken() != JsonToken.START_OBJECT) {
      String text = p.getText();
      p.skipChildren();
      return text;
    }
    String type = null;
    String name = null;
    String code = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String member = p.currentName();
      JsonToken value = p.nextToken();
      if (member.equals("type") && value == JsonToken.VALUE_STRING) {
        type = p.getText();
      } else if (member.equals("properties") && value == JsonToken.START_OBJECT) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String property = p.currentName();
          JsonToken v = p.nextToken();
          if (property.equals("name") && v == JsonToken.VALUE_STRING) {
            name = p.getText();
          } else if (property.equals("code") && v.isScalarValue()) {
            code = p.getText();
          } else {
            p.skipChildren();
          }
        }
      } else {
        p.skipChildren();
      }
    }
    if ("name".equalsIgnoreCase(type) && name != null) {
      return name;
    }
    if ("EPSG".equalsIgnoreCase(type) && code != null) {
      return "EPSG:" + code;
    }
    return "{type " + type + ", name " + name + ", code " + code + "}";
  }
}
