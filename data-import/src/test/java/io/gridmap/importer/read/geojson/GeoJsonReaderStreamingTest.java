package io.gridmap.importer.read.geojson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.gridmap.importer.read.SourceFeature;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Point;

/**
 * A FeatureCollection of 300,000 points (about 40 MB) streams: the progress in bytes grows feature
 * by feature, long before the end, and reaches the file's size at the end. (The benchmark checks
 * the heap.)
 */
class GeoJsonReaderStreamingTest {
  static final int FEATURES = 300_000;

  @TempDir Path dir;

  @Test
  void bytesReadAdvancesFeatureByFeatureAndEndsAtTheFileSize() throws Exception {
    Path file = dir.resolve("points.geojson");
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("{\"type\":\"FeatureCollection\",\"features\":[\n");
      for (int i = 0; i < FEATURES; i++) {
        // concatenation, not String.format: formatting 600,000 doubles took seconds
        w.write(
            "{\"type\":\"Feature\",\"properties\":{\"n\":"
                + i
                + ",\"name\":\"site "
                + i
                + "\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":["
                + (106 + i * 1e-6)
                + ","
                + (29 + i * 1e-6)
                + "]}}"
                + (i + 1 < FEATURES ? "," : "")
                + "\n");
      }
      w.write("]}\n");
    }
    long size = Files.size(file);
    try (GeoJsonReader reader = GeoJsonReader.open(file)) {
      assertThat(reader.size()).isEqualTo(size);
      assertThat(reader.bytesRead()).isZero();
      long last = 0;
      int n = 0;
      int increases = 0;
      for (SourceFeature f = reader.next(); f != null; f = reader.next()) {
        long now = reader.bytesRead();
        // plain checks: 300,000 AssertJ assertions would take most of the test's time
        if (now < last || now >= size) {
          fail("after feature %d bytesRead went from %d to %d of %d", n + 1, last, now, size);
        }
        if (!Long.valueOf(n).equals(f.attributes().get("n"))
            || Math.abs(((Point) f.geometry()).getX() - (106 + n * 1e-6)) > 1e-9) {
          fail("feature %d read as %s %s", n + 1, f.attributes(), f.geometry());
        }
        increases += now > last ? 1 : 0;
        last = now;
        n++;
        if (n == 1000) {
          assertThat(now).as("progress after 1,000 of 300,000 features").isLessThan(size / 100);
        }
      }
      assertThat(n).isEqualTo(FEATURES);
      // the parser's own offset: it moves with every feature, not a buffer at a time
      assertThat(increases).isEqualTo(FEATURES);
      assertThat(reader.bytesRead()).isEqualTo(size);
    }
  }
}
