package io.gridmap.server.imports;

import static io.gridmap.server.imports.ImportIntoRunningServerTest.JSON;
import static io.gridmap.server.imports.ImportIntoRunningServerTest.collection;
import static io.gridmap.server.imports.ImportIntoRunningServerTest.square;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridmap.layers.geo.WebMercator;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.Stores;
import io.gridmap.layers.testing.TestPostgis;
import io.gridmap.server.security.Role;
import io.gridmap.server.testing.MvtFeatures;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import io.gridmap.tiler.geo.TileCoord;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Point;

/** {@code POST /imports} into a server on PostGIS: served at once, audited in the store, kept. */
class ImportIntoPostgisTest {
  private final String schema = TestPostgis.newSchema();

  @AfterEach
  void drop() {
    TestPostgis.drop(schema);
  }

  @Test
  void anAdminsImportIsServedAtOnceAuditedInTheStoreAndServedAgainAfterARestart() throws Exception {
    String url = TestPostgis.storeUrl(schema);
    try (FeatureStore s = Stores.open(url)) {
      s.write(TestCity.small());
    }
    try (TestServer server = TestServer.startOnStore(url, Map.of())) {
      String admin = server.bearer(Role.ADMIN, "");
      LayerIndex districts = server.server().content().index().layer("districts");
      int code = districts.def().fieldIndex("code");
      Point p = null;
      for (Feature f : districts.features()) {
        if ("500103".equals(f.value(code))) {
          p = f.geometry().getInteriorPoint();
        }
      }
      String body =
          collection(
              List.of(
                  square("P1", "North park", p.getX(), p.getY() + 0.0005, 0.0004),
                  square("P2", "East park", p.getX() + 0.0005, p.getY(), 0.0004)));
      HttpResponse<String> res =
          server.send(
              "POST",
              "/imports?layer=parks&visibility=public",
              body,
              "Authorization",
              admin,
              "Content-Type",
              "application/geo+json");
      assertThat(res.statusCode()).as(res.body()).isEqualTo(201);
      assertThat(JSON.readTree(res.body()).get("added").asLong()).isEqualTo(2);

      HttpResponse<String> items = server.getText("/collections/parks/items");
      assertThat(items.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(items.body()).get("features").size()).isEqualTo(2);
      TileCoord over =
          TileCoord.containing(
              WebMercator.x(p.getX() + 0.0002), WebMercator.y(p.getY() + 0.0007), 14);
      HttpResponse<byte[]> tile = server.get("/tiles/cq/14/" + over.x() + "/" + over.y() + ".mvt");
      assertThat(MvtFeatures.of(tile.body()).layers()).contains("parks");
      HttpResponse<String> audit =
          server.getText("/admin/audit?action=layer.import", "Authorization", admin);
      JsonNode entries = JSON.readTree(audit.body()).get("entries");
      assertThat(entries.findValuesAsText("target")).contains("parks");
    }
    try (TestServer again = TestServer.startOnStore(url, Map.of())) {
      HttpResponse<String> items = again.getText("/collections/parks/items");
      assertThat(items.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(items.body()).get("features").size()).isEqualTo(2);
    }
  }
}
