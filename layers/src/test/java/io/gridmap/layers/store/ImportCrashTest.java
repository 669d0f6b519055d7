package io.gridmap.layers.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.testing.TestDatasets;
import io.gridmap.layers.testing.TestImports;
import io.gridmap.layers.testing.TestPostgis;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * An import killed with SIGKILL inside its transaction, every row of the new version written and
 * not yet committed ({@link Failpoint#IMPORT_BEFORE_COMMIT}): the store holds the previous version
 * of the layer, whole, and opens as before.
 */
@EnabledOnOs(OS.LINUX) // SIGKILL through Process.destroyForcibly
class ImportCrashTest {
  @TempDir Path dir;

  @Test
  void aGeoPackageKeepsThePreviousVersionOfTheLayer() throws Exception {
    String file = dir.resolve("city.gpkg").toString();
    Dataset tiny = prepare(file);
    killInsideTheImport(file);
    try (FeatureStore s = Stores.open(file)) {
      ImportedLayerContract.assertHolds(s.read(), tiny, TestImports.parks());
      assertThat(s.importedLayers()).containsExactly(TestImports.PARKS);
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("ok");
      }
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM rtree_parks_geom")) {
        rs.next();
        assertThat(rs.getInt(1)).as("R-tree entries of the previous parks").isEqualTo(2);
      }
    }
    assertThat(io.gridmap.layers.testing.Ogrinfo.run("-so", "-ro", file, "parks").stdout())
        .contains("Feature Count: 2", "Geometry: Multi Polygon");
  }

  @Test
  void postgisKeepsThePreviousVersionOfTheLayerAndNoAuditEntryOfTheKilledImport() throws Exception {
    String schema = TestPostgis.newSchema();
    try {
      String url = TestPostgis.storeUrl(schema);
      Dataset tiny = prepare(url);
      killInsideTheImport(url);
      try (FeatureStore s = Stores.open(url)) {
        ImportedLayerContract.assertHolds(s.read(), tiny, TestImports.parks());
        assertThat(s.importedLayers()).containsExactly(TestImports.PARKS);
      }
      try (Connection c = TestPostgis.connect();
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT count(*) FROM \"" + schema + "\".audit_log")) {
        rs.next();
        assertThat(rs.getInt(1)).as("audit entries: the first import's only").isEqualTo(1);
      }
    } finally {
      TestPostgis.drop(schema);
    }
  }

  /** A city with the parks imported once. */
  private static Dataset prepare(String location) {
    Dataset tiny = TestDatasets.tiny();
    try (FeatureStore s = Stores.open(location)) {
      s.write(tiny);
      s.replaceLayer(TestImports.parks());
    }
    return tiny;
  }

  /** Runs {@link ImportCrashMain} until it parks at the failpoint, then kills it with SIGKILL. */
  private static void killInsideTheImport(String location) throws Exception {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    Process child =
        new ProcessBuilder(
                java,
                "-Xmx256m",
                "-Dgridmap.failpoint=" + Failpoint.IMPORT_BEFORE_COMMIT,
                "-cp",
                System.getProperty("java.class.path"),
                ImportCrashMain.class.getName(),
                location)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    String parked = "failpoint " + Failpoint.IMPORT_BEFORE_COMMIT + ": parked";
    StringBuilder stderr = new StringBuilder();
    CompletableFuture<Boolean> reached =
        CompletableFuture.supplyAsync(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(child.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  synchronized (stderr) {
                    stderr.append(line).append('\n');
                  }
                  if (line.equals(parked)) {
                    return true;
                  }
                }
              } catch (java.io.IOException e) {
                // the pipe closed: the child died
              }
              return false;
            });
    try {
      boolean atFailpoint = reached.get(120, TimeUnit.SECONDS);
      synchronized (stderr) {
        assertThat(atFailpoint)
            .as("the child parked at the failpoint; its stderr:\n%s", stderr)
            .isTrue();
      }
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("the child died").isTrue();
      assertThat(child.exitValue()).as("killed by SIGKILL (128 + 9)").isEqualTo(137);
    } finally {
      child.destroyForcibly();
      child.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
