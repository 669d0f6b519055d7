package io.gridmap.importer.admin;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.gridmap.importer.clean.UnitCleaner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.io.geojson.GeoJsonWriter;

/**
 * The validation report of an admin import: a GeoJSON FeatureCollection with one feature per
 * problem ({@code kind: "problem"}, its rule, the unit, the message and the fix) and one per piece
 * of ground {@code --repair} moved ({@code kind: "moved"}), and the summary as a foreign member.
 * QGIS opens it as a layer; style it by {@code rule}.
 */
public final class ValidationReport {
  private ValidationReport() {}

  /** Writes the report to {@code file} (whole or not at all: a temporary file is renamed). */
  public static void write(
      Path file, List<HierarchyProblem> problems, List<UnitCleaner.Move> moves, String summary) {
    GeoJsonWriter geometry = new GeoJsonWriter(9);
    geometry.setEncodeCRS(false);
    Path dir = file.toAbsolutePath().getParent();
    Path temp = dir.resolve(file.getFileName() + ".partial");
    try {
      Files.createDirectories(dir);
      try (JsonGenerator g = new JsonFactory().createGenerator(temp.toFile(), JsonEncoding.UTF8)) {
        g.writeStartObject();
        g.writeStringField("type", "FeatureCollection");
        g.writeStringField("summary", summary);
        g.writeArrayFieldStart("features");
        for (HierarchyProblem p : problems) {
          g.writeStartObject();
          g.writeStringField("type", "Feature");
          g.writeObjectFieldStart("properties");
          g.writeStringField("kind", "problem");
          g.writeStringField("rule", p.rule().id());
          g.writeStringField("layer", p.layer());
          g.writeStringField("code", p.code());
          g.writeStringField("other", p.other());
          g.writeNumberField("area_m2", Math.round(p.areaM2() * 10) / 10.0);
          g.writeStringField("message", p.message());
          g.writeStringField("fix", p.fix());
          g.writeEndObject();
          writeGeometry(g, geometry, p.where());
          g.writeEndObject();
        }
        for (UnitCleaner.Move m : moves) {
          g.writeStartObject();
          g.writeStringField("type", "Feature");
          g.writeObjectFieldStart("properties");
          g.writeStringField("kind", "moved");
          g.writeStringField("rule", m.kind());
          g.writeStringField("code", m.to());
          g.writeStringField("other", m.from());
          g.writeNumberField("area_m2", Math.round(m.areaM2() * 10) / 10.0);
          g.writeStringField("message", moved(m));
          g.writeEndObject();
          writeGeometry(g, geometry, m.piece());
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the validation report " + file, e);
    }
  }

  private static void writeGeometry(JsonGenerator g, GeoJsonWriter writer, Geometry geometry)
      throws IOException {
    g.writeFieldName("geometry");
    if (geometry == null || geometry.isEmpty()) {
      g.writeNull();
    } else {
      g.writeRawValue(writer.write(geometry));
    }
  }

  /** What a move did, in a sentence. */
  static String moved(UnitCleaner.Move m) {
    return switch (m.kind()) {
      case "outside" -> "cut off from " + m.from() + ": outside its parent";
      case "overlap" -> "kept by " + m.to() + " (the lower code), taken from " + m.from();
      default -> "gap filled into " + m.to() + " (the longest shared border)";
    };
  }
}
