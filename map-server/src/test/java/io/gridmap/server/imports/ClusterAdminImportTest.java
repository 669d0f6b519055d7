package io.gridmap.server.imports;

import static io.gridmap.server.imports.AdminImportLiveContract.JSON;
import static io.gridmap.server.imports.AdminImportLiveContract.file;
import static io.gridmap.server.imports.AdminImportLiveContract.pieceAcross;
import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.importer.geo.FixedGrid;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.Stores;
import io.gridmap.layers.testing.TestPostgis;
import io.gridmap.server.testing.ServerProcess;
import io.gridmap.server.testing.TestCity;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.operation.overlayng.OverlayNG;

/**
 * An admin-layer import in a cluster: two server processes on one PostGIS store (as {@link
 * ClusterImportTest}). A village's grids redrawn and posted to the node that does not write are
 * forwarded to the writer, which stores them as changes; both nodes answer the new grids without a
 * restart, and on the other node the tile over the moved boundary changes while a far one is kept.
 */
@Tag("slow")
class ClusterAdminImportTest {
  @TempDir Path dir;
  private final String schema = TestPostgis.newSchema();
  private final List<ServerProcess> nodes = new ArrayList<>();

  @AfterEach
  void stop() {
    nodes.forEach(ServerProcess::close);
    TestPostgis.drop(schema);
  }

  private static long locate(ServerProcess node, Coordinate c) throws Exception {
    HttpResponse<String> res =
        node.get(String.format(Locale.ROOT, "/query/locate?lon=%.7f&lat=%.7f", c.x, c.y));
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return JSON.readTree(res.body()).get("grid").get("id").asLong();
  }

  private static String etag(ServerProcess node, String path) throws Exception {
    HttpResponse<byte[]> r = node.getBytes(path);
    assertThat(r.statusCode()).as(path).isEqualTo(200);
    return r.headers().firstValue("ETag").orElseThrow();
  }

  @Test
  void gridsRedrawnThroughTheNodeThatDoesNotWriteAreServedByBoth() throws Exception {
    String url = TestPostgis.storeUrl(schema);
    // the small city: its grids share their edges vertex for vertex, as the hierarchy check wants
    Dataset city = TestCity.small();
    try (FeatureStore s = Stores.open(url)) {
      s.write(city);
    }
    // two grids of one village with the longest shared boundary
    Layer grids = city.layer("grids");
    int code = grids.def().requireField("code");
    Map<String, Map<String, Geometry>> byVillage = new LinkedHashMap<>();
    for (Feature f : grids.features()) {
      byVillage
          .computeIfAbsent(f.string(code).substring(0, 12), k -> new LinkedHashMap<>())
          .put(f.string(code), f.geometry());
    }
    String village = null;
    String[] pair = null;
    double best = 0;
    for (var v : byVillage.entrySet()) {
      List<String> codes = new ArrayList<>(v.getValue().keySet());
      for (int i = 0; i < codes.size(); i++) {
        for (int j = i + 1; j < codes.size(); j++) {
          Geometry shared =
              v.getValue().get(codes.get(i)).intersection(v.getValue().get(codes.get(j)));
          if (shared.getDimension() == 1 && shared.getLength() > best) {
            best = shared.getLength();
            village = v.getKey();
            pair = new String[] {codes.get(i), codes.get(j)};
          }
        }
      }
    }
    assertThat(pair).as("the tiny city has a village of two neighbouring grids").isNotNull();
    Map<String, Geometry> mine = byVillage.get(village);
    Geometry a = mine.get(pair[0]);
    Geometry b = mine.get(pair[1]);
    Geometry piece =
        OverlayNG.overlay(b, pieceAcross(a, b), OverlayNG.INTERSECTION, FixedGrid.PRECISION);
    Map<String, Geometry> redrawn = new LinkedHashMap<>(mine);
    redrawn.put(pair[0], OverlayNG.overlay(a, piece, OverlayNG.UNION, FixedGrid.PRECISION));
    redrawn.put(pair[1], OverlayNG.overlay(b, piece, OverlayNG.DIFFERENCE, FixedGrid.PRECISION));
    Coordinate probe = piece.getInteriorPoint().getCoordinate();

    List<Integer> ports = ServerProcess.freePorts(2);
    for (int i = 0; i < 2; i++) {
      nodes.add(
          ServerProcess.start(
              url, ServerProcess.clusterConfig(dir, i, ports, 4), List.of("-Xmx512m")));
    }
    nodes.get(1).awaitLog("Members {size:2");
    ServerProcess a1 = nodes.get(0); // started first: it writes
    ServerProcess b1 = nodes.get(1);
    String over = ServerProcess.tilePath(14, probe.x, probe.y);
    Coordinate farthest = probe;
    for (Feature f : grids.features()) {
      Coordinate c = f.geometry().getInteriorPoint().getCoordinate();
      if (c.distance(probe) > farthest.distance(probe)) {
        farthest = c;
      }
    }
    String far = ServerProcess.tilePath(14, farthest.x, farthest.y);
    assertThat(far).isNotEqualTo(over);
    String overTag = etag(b1, over);
    String farTag = etag(b1, far);
    assertThat(locate(b1, probe)).isEqualTo(Long.parseLong(pair[1]));

    HttpResponse<String> res =
        b1.postLater("/imports?layer=grids", "application/geo+json", file(redrawn, Map.of()))
            .get(60, TimeUnit.SECONDS);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(201);
    assertThat(JSON.readTree(res.body()).get("changed").asInt()).isEqualTo(2);
    // read your own write on B at once; the writer has it
    assertThat(locate(b1, probe)).as(b1.log()).isEqualTo(Long.parseLong(pair[0]));
    assertThat(locate(a1, probe)).isEqualTo(Long.parseLong(pair[0]));
    assertThat(etag(b1, over)).isNotEqualTo(overTag);
    assertThat(etag(b1, far)).isEqualTo(farTag);
    assertThat(a1.log()).doesNotContain("could not be swapped into memory");
    assertThat(b1.log()).doesNotContain("cannot take");
    HttpResponse<String> audit = b1.get("/admin/audit?action=layer.import");
    assertThat(JSON.readTree(audit.body()).get("entries").findValuesAsText("target"))
        .containsExactly("grids");

    // the command line against the store the nodes write hands the file to the writer: the
    // village's grids as they were, served again by both nodes
    Path before = dir.resolve("grids.geojson");
    java.nio.file.Files.writeString(before, file(mine, Map.of()));
    int exit =
        io.gridmap.server.cli.Main.run(
            "import",
            "--store",
            url,
            "--layer",
            "grids",
            "--config",
            dir.resolve("server.conf").toString(),
            before.toString());
    assertThat(exit).isZero();
    // the writer answered once it served it; the other node takes it from the change log
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (ServerProcess node : nodes) {
      while (locate(node, probe) != Long.parseLong(pair[1]) && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(locate(node, probe)).as(node.base).isEqualTo(Long.parseLong(pair[1]));
    }
    audit = b1.get("/admin/audit?action=layer.import");
    assertThat(JSON.readTree(audit.body()).get("entries").findValuesAsText("actor"))
        .anyMatch(s -> s.startsWith("cli:"));
  }
}
