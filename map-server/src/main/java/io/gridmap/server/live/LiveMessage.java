package io.gridmap.server.live;

import com.fasterxml.jackson.core.JsonGenerator;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.layers.query.crs.SupportedCrs;
import io.gridmap.server.web.GeoJsonWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.locationtech.jts.geom.Envelope;

/**
 * One text message of the live stream, encoded once for one subscriber.
 *
 * @param version the change-log position it brings the subscriber to
 * @param text the JSON text
 * @param bytes its length in UTF-8, what it costs in the subscriber's queue
 */
record LiveMessage(long version, String text, int bytes) {

  /**
   * A feature in a message.
   *
   * @param id the feature's id
   * @param feature its current version; null for a retired feature
   * @param inArea whether it is in the subscriber's area and visible to it now
   * @param whole whether to write it whole; else only its id (a removal), for a feature the
   *     subscriber may not see (the public and a personal feature) or whose whereabouts it need not
   *     know (a catch-up's feature outside the area)
   * @param retired whether the feature is gone from the map: written as its id with {@code
   *     "retired": true}, so that a client drops it rather than waiting for it to come back
   */
  record Entry(long id, Feature feature, boolean inArea, boolean whole, boolean retired) {
    Entry(Feature feature, boolean inArea, boolean whole) {
      this(feature.id(), feature, inArea, whole, false);
    }

    /** A feature the change retired, or that the map no longer holds. */
    static Entry retired(long id) {
      return new Entry(id, null, false, false, true);
    }
  }

  /** What a message is: a change as it happens, or what changed since a position. */
  enum Kind {
    CHANGE,
    CATCH_UP
  }

  /**
   * A GeoJSON FeatureCollection of one layer's features with {@code layer} and {@code version}
   * members; a catch-up also has {@code "catch_up": true} and {@code since}.
   */
  static LiveMessage features(
      Kind kind, LayerDef def, long version, long since, List<Entry> entries, boolean staff) {
    int[] fields =
        staff ? IntStream.range(0, def.fields().size()).toArray() : GeoJsonWriter.publicFields(def);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      GeoJsonWriter w = new GeoJsonWriter(out, def, SupportedCrs.CRS84, fields);
      JsonGenerator g = w.json();
      g.writeStartObject();
      g.writeStringField("type", "FeatureCollection");
      if (kind == Kind.CATCH_UP) {
        g.writeBooleanField("catch_up", true);
        g.writeNumberField("since", since);
      }
      g.writeStringField("layer", def.name());
      g.writeNumberField("version", version);
      g.writeArrayFieldStart("features");
      for (Entry e : entries) {
        boolean in = e.inArea();
        if (e.whole()) {
          w.feature(e.feature(), j -> j.writeBooleanField("in_area", in));
        } else {
          g.writeStartObject();
          g.writeStringField("type", "Feature");
          g.writeNumberField("id", e.id());
          g.writeNullField("geometry");
          g.writeNullField("properties");
          g.writeBooleanField("in_area", false);
          if (e.retired()) {
            g.writeBooleanField("retired", true);
          }
          g.writeEndObject();
        }
      }
      g.writeEndArray();
      g.writeEndObject();
      w.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new LiveMessage(version, out.toString(StandardCharsets.UTF_8), out.size());
  }

  /** The first message: the subscription as the server understood it, and where the stream is. */
  static LiveMessage subscribed(
      List<String> layers, boolean staff, Envelope bbox, String unit, long version, Long since) {
    io.vertx.core.json.JsonObject hello =
        new io.vertx.core.json.JsonObject()
            .put("type", "subscribed")
            .put("layers", new io.vertx.core.json.JsonArray(layers))
            .put("visibility", staff ? "staff" : "public")
            .put("version", version);
    if (bbox != null) {
      hello.put(
          "bbox",
          new io.vertx.core.json.JsonArray(
              List.of(bbox.getMinX(), bbox.getMinY(), bbox.getMaxX(), bbox.getMaxY())));
    }
    if (unit != null) {
      hello.put("unit", unit);
    }
    if (since != null) {
      hello.put("since", since);
    }
    return of(version, hello);
  }

  /**
   * The client must reload its layers (tiles, items): what it missed since {@code since} cannot be
   * sent. Messages after this one bring the reloaded layers from {@code version} on.
   */
  /**
   * {@code {"type":"edit", "layer", "version", "ids", "bbox"}}: features of an admin layer changed
   * (a redraw, a rename, a revert); a client reads its tiles and items inside {@code bbox} again.
   */
  static LiveMessage edit(
      String layer, long version, List<Long> ids, org.locationtech.jts.geom.Envelope lonLat) {
    return of(
        version,
        new io.vertx.core.json.JsonObject()
            .put("type", "edit")
            .put("layer", layer)
            .put("version", version)
            .put("ids", new io.vertx.core.json.JsonArray(new java.util.ArrayList<>(ids)))
            .put(
                "bbox",
                new io.vertx.core.json.JsonArray()
                    .add(lonLat.getMinX())
                    .add(lonLat.getMinY())
                    .add(lonLat.getMaxX())
                    .add(lonLat.getMaxY())));
  }

  static LiveMessage reload(String reason, long version, long since) {
    return of(
        version,
        new io.vertx.core.json.JsonObject()
            .put("type", "reload")
            .put("reason", reason)
            .put("version", version)
            .put("since", since));
  }

  private static LiveMessage of(long version, io.vertx.core.json.JsonObject json) {
    String text = json.encode();
    return new LiveMessage(version, text, text.getBytes(StandardCharsets.UTF_8).length);
  }
}
