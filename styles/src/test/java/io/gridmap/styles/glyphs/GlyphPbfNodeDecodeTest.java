package io.gridmap.styles.glyphs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridmap.styles.NodeTools;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Our glyph PBFs decode with the pbf npm package compiled from glyphs.proto, an implementation that
 * shares nothing with ours, and agree with the Java decoder glyph for glyph.
 */
@Tag("slow")
class GlyphPbfNodeDecodeTest {

  @ParameterizedTest
  @CsvSource({"Noto Sans SC Regular, 0", "Noto Sans SC Bold, 19968", "Open Sans Regular, 65280"})
  void decodesWithPbfAndTheGlyphsSchema(String fontstack, int start, @TempDir Path dir)
      throws Exception {
    byte[] pbf = new GlyphService(ShippedFonts.only(), 0).range(fontstack, start, start + 255);
    Path file = Files.write(dir.resolve(start + ".pbf"), pbf);

    NodeTools.Result r =
        NodeTools.run(NodeTools.ready(), 60, "node", "decode-glyphs.mjs", file.toString());

    assertThat(r.stderr()).isEmpty();
    assertThat(r.exitCode()).isZero();
    JsonNode stack = new ObjectMapper().readTree(r.stdout()).at("/stacks/0");
    GlyphPbfDecoder.DecodedStack java = GlyphPbfDecoder.decode(pbf).get(0);
    assertThat(stack.path("range").asText()).isEqualTo(start + "-" + (start + 255));
    assertThat(stack.path("name").asText()).isEqualTo(java.name());
    assertThat(stack.path("glyphs").size()).isEqualTo(java.glyphs().size()).isPositive();
    for (JsonNode g : stack.path("glyphs")) {
      GlyphPbfDecoder.DecodedGlyph j = java.glyph(g.path("id").asInt());
      assertThat(
              new int[] {
                g.path("width").asInt(),
                g.path("height").asInt(),
                g.path("left").asInt(),
                g.path("top").asInt(),
                g.path("advance").asInt(),
                g.path("bitmapLength").asInt()
              })
          .as("glyph %d", j.id())
          .containsExactly(
              j.width(), j.height(), j.left(), j.top(), j.advance(), j.bitmap().length);
    }
    if (start == 0) {
      JsonNode zero = null;
      for (JsonNode g : stack.path("glyphs")) {
        if (g.path("id").asInt() == '0') {
          zero = g;
        }
      }
      assertThat(zero).isNotNull();
      assertThat(zero.path("max").asInt()).isGreaterThan(192);
      assertThat(zero.path("min").asInt()).isLessThan(64);
    }
  }
}
