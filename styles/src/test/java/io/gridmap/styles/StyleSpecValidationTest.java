package io.gridmap.styles;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The generated styles pass gl-style-validate from @maplibre/maplibre-gl-style-spec. */
@Tag("slow")
class StyleSpecValidationTest {
  private static final String BASE = "http://127.0.0.1:8080";

  @ParameterizedTest
  @ValueSource(strings = {"default", "dark"})
  void passesGlStyleValidate(String id, @TempDir Path dir) throws Exception {
    ObjectNode style = StyleDocument.byId(id, BASE).orElseThrow();
    Path file = dir.resolve(id + ".json");
    Files.writeString(
        file, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(style));

    Path tools = NodeTools.ready();
    NodeTools.Result r =
        NodeTools.run(tools, 60, "node", "node_modules/.bin/gl-style-validate", file.toString());

    assertThat(r.stdout() + r.stderr()).as("gl-style-validate output for %s", id).isEmpty();
    assertThat(r.exitCode()).as("gl-style-validate exit code for %s", id).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"default", "dark"})
  void passesGlStyleValidateWithImportedLayers(String id, @TempDir Path dir) throws Exception {
    ObjectNode style = StyleDocument.byId(id, BASE, ImportedLayersTest.IMPORTED).orElseThrow();
    Path file = dir.resolve(id + "-imported.json");
    Files.writeString(file, style.toString());

    NodeTools.Result r =
        NodeTools.run(
            NodeTools.ready(), 60, "node", "node_modules/.bin/gl-style-validate", file.toString());

    assertThat(r.stdout() + r.stderr()).as("gl-style-validate output for %s", id).isEmpty();
    assertThat(r.exitCode()).isZero();
  }

  @Test
  void theValidatorReallyRejectsABrokenStyle(@TempDir Path dir) throws Exception {
    ObjectNode style = StyleDocument.defaultStyle(BASE);
    ((ObjectNode) style.at("/layers/1")).putObject("paint").put("fill-color", 42);
    Path file = dir.resolve("broken.json");
    Files.writeString(file, style.toString());

    NodeTools.Result r =
        NodeTools.run(
            NodeTools.ready(), 60, "node", "node_modules/.bin/gl-style-validate", file.toString());

    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stdout() + r.stderr()).contains("fill-color").contains("color expected");
  }
}
