package io.gridmap.server.tracks;

import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.track.TrackPoint;
import io.gridmap.server.web.Params;
import java.util.List;

/**
 * A track as GPX 1.1 (https://www.topografix.com/GPX/1/1/): one {@code trk} named for the force,
 * one {@code trkseg}, a {@code trkpt} per fix with its {@code time}. Written by hand: a dozen
 * elements, and the only text from data is the force's role and id, escaped.
 */
final class Gpx {
  private Gpx() {}

  static String write(Feature force, List<TrackPoint> fixes) {
    StringBuilder sb = new StringBuilder(128 + fixes.size() * 96);
    sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .append(
            "<gpx version=\"1.1\" creator=\"gridmap\" xmlns=\"http://www.topografix.com/GPX/1/1\">\n")
        .append("<trk><name>force ")
        .append(force.id());
    Object role = force.value(Catalogue.FORCES.fieldIndex("role"));
    if (role != null) {
      sb.append(" (").append(escape(role.toString())).append(')');
    }
    sb.append("</name><trkseg>\n");
    for (TrackPoint p : fixes) {
      sb.append("<trkpt lat=\"")
          .append(p.lat())
          .append("\" lon=\"")
          .append(p.lon())
          .append("\"><time>")
          .append(Params.iso(p.time()))
          .append("</time></trkpt>\n");
    }
    return sb.append("</trkseg></trk>\n</gpx>\n").toString();
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
