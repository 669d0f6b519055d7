package io.gridmap.server.incidents;

import com.fasterxml.jackson.core.JsonGenerator;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.query.crs.SupportedCrs;
import io.gridmap.layers.query.nearest.NearestPoints;
import io.gridmap.server.web.GeoJsonWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Incidents as JSON: a GeoJSON Feature as the caller's visibility class sees it, and routing. */
final class IncidentJson {
  private IncidentJson() {}

  /**
   * An incident as a GeoJSON Feature, with its placement as a {@code routing} member when given.
   *
   * @param staff true for the staff class: every field, personal ones included
   */
  static byte[] feature(Feature incident, Placement placement, boolean staff, String base) {
    int[] fields =
        staff
            ? java.util.stream.IntStream.range(0, Incidents.DEF.fields().size()).toArray()
            : GeoJsonWriter.publicFields(Incidents.DEF);
    ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
    try {
      GeoJsonWriter w = new GeoJsonWriter(out, Incidents.DEF, SupportedCrs.CRS84, fields);
      w.feature(
          incident,
          g -> {
            if (placement != null) {
              g.writeObjectFieldStart("routing");
              routing(g, placement, staff);
              g.writeEndObject();
            }
            g.writeArrayFieldStart("links");
            link(g, "self", base + "/collections/events/items/" + incident.id());
            link(
                g,
                "http://www.opengis.net/def/rel/ogc/1.0/transitions",
                base + "/collections/events/items/" + incident.id() + "/transitions");
            g.writeEndArray();
          });
      w.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void link(JsonGenerator g, String rel, String href) throws IOException {
    g.writeStartObject();
    g.writeStringField("href", href);
    g.writeStringField("rel", rel);
    g.writeEndObject();
  }

  private static void routing(JsonGenerator g, Placement p, boolean staff) throws IOException {
    unit(g, "grid", p.grid(), Catalogue.GRIDS);
    unit(g, "village", p.village(), Catalogue.VILLAGES);
    unit(g, "street", p.street(), Catalogue.STREETS);
    unit(g, "district", p.district(), Catalogue.DISTRICTS);
    if (p.street() != null) {
      g.writeObjectFieldStart("command_centre");
      g.writeStringField("street_code", p.street().string(Catalogue.STREETS.fieldIndex("code")));
      g.writeStringField("name", p.street().string(Catalogue.STREETS.fieldIndex("name")) + "指挥中心");
      Object lon = p.street().value(Catalogue.STREETS.fieldIndex("centre_lon"));
      Object lat = p.street().value(Catalogue.STREETS.fieldIndex("centre_lat"));
      if (lon instanceof Double x && lat instanceof Double y) {
        g.writeArrayFieldStart("coordinates");
        g.writeNumber(x);
        g.writeNumber(y);
        g.writeEndArray();
      }
      g.writeEndObject();
    }
    if (p.assignee() != null) {
      g.writeObjectFieldStart("assignee");
      g.writeNumberField("id", p.assignee().id());
      g.writeStringField("role", p.assignee().string(Catalogue.FORCES.fieldIndex("role")));
      if (staff) {
        g.writeStringField("name", p.assignee().string(Catalogue.FORCES.fieldIndex("name")));
      }
      g.writeEndObject();
    }
    if (p.duplicateOf() != null) {
      g.writeNumberField("duplicate_of", p.duplicateOf());
    }
    if (staff) {
      g.writeArrayFieldStart("responders");
      for (NearestPoints.Neighbour n : p.responders()) {
        Feature f = n.feature();
        g.writeStartObject();
        g.writeNumberField("id", f.id());
        g.writeStringField("role", f.string(Catalogue.FORCES.fieldIndex("role")));
        g.writeStringField("name", f.string(Catalogue.FORCES.fieldIndex("name")));
        g.writeNumberField("distance_m", Math.round(n.metres()));
        g.writeArrayFieldStart("coordinates");
        g.writeNumber(f.geometry().getCoordinate().x);
        g.writeNumber(f.geometry().getCoordinate().y);
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
    }
  }

  private static void unit(
      JsonGenerator g, String name, Feature unit, io.gridmap.layers.model.LayerDef def)
      throws IOException {
    if (unit == null) {
      return;
    }
    g.writeObjectFieldStart(name);
    g.writeStringField("code", unit.string(def.fieldIndex("code")));
    g.writeStringField("name", unit.string(def.fieldIndex("name")));
    g.writeEndObject();
  }
}
