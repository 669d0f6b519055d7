package io.gridmap.server.imports;

import static io.gridmap.server.imports.ImportIntoRunningServerTest.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Feature;
import io.gridmap.server.security.Role;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Point;

/**
 * What a live import leaves behind: the store serves it after a restart; a body past the limit is
 * 413.
 */
class ImportRestartTest {

  @Test
  void aLiveImportIsServedAgainAfterARestartOnTheSameStoreAndABodyPastTheLimitIs413()
      throws Exception {
    Path store;
    try (TestServer server =
        TestServer.startWithStore(TestCity.small(), Map.of("import_max_mb", "1"))) {
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
          String.format(
              Locale.ROOT,
              "{\"type\":\"FeatureCollection\",\"features\":["
                  + "{\"type\":\"Feature\",\"properties\":{\"code\":\"S1\",\"name\":\"Square\"},"
                  + "\"geometry\":{\"type\":\"Point\",\"coordinates\":[%f,%f]}}]}",
              p.getX(),
              p.getY());

      // a body larger than import_max_mb (1 MiB): refused, nothing imported
      String large = body + " ".repeat(1_200_000);
      HttpResponse<String> tooLarge =
          server.send(
              "POST",
              "/imports?layer=squares",
              large,
              "Authorization",
              admin,
              "Content-Type",
              "application/geo+json");
      assertThat(tooLarge.statusCode()).isEqualTo(413);
      assertThat(tooLarge.body()).contains("import_max_mb");

      HttpResponse<String> res =
          server.send(
              "POST",
              "/imports?layer=squares&visibility=public",
              body,
              "Authorization",
              admin,
              "Content-Type",
              "application/geo+json");
      assertThat(res.statusCode()).as(res.body()).isEqualTo(201);
      store = server.storeFile();
    }
    try (TestServer again = TestServer.startOnStore(store, TestServer.isolatedSettings())) {
      HttpResponse<String> items = again.getText("/collections/squares/items");
      assertThat(items.statusCode()).isEqualTo(200);
      List<String> names = JSON.readTree(items.body()).findValuesAsText("name");
      assertThat(names).containsExactly("Square");
    }
  }
}
