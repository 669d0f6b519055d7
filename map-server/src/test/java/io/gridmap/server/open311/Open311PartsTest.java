package io.gridmap.server.open311;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridmap.server.incidents.Report;
import io.gridmap.server.web.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** The Open311 parts without a server: the Spark writer, the form reader, the private links. */
class Open311PartsTest {

  @Test
  void sparkWritesListsAsSingularElementsInXmlAndDropsTheRootInJson() throws Exception {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("service_request_id", "42");
    r.put("lat", 29.5630001);
    r.put("absent", null);
    assertThat(new String(Spark.json(List.of(r)), StandardCharsets.UTF_8))
        .isEqualTo("[{\"service_request_id\":\"42\",\"lat\":29.5630001}]");
    Element root =
        Open311Test.xml(
                new String(Spark.xml("service_requests", List.of(r)), StandardCharsets.UTF_8))
            .getDocumentElement();
    assertThat(root.getTagName()).isEqualTo("service_requests");
    Element request = Open311Test.children(root).get(0);
    assertThat(request.getTagName()).isEqualTo("request");
    assertThat(Open311Test.names(request)).containsExactly("service_request_id", "lat");
    assertThat(Open311Test.child(request, "lat")).isEqualTo("29.5630001");
    assertThat(Spark.singular("services")).isEqualTo("service");
    assertThat(Spark.singular("errors")).isEqualTo("error");
    assertThat(Spark.singular("formats")).isEqualTo("format");
  }

  @Test
  void sparkKeepsXmlReadableWhateverAStoredTextHolds() throws Exception {
    String nasty = "a\u0000b\ud800c\uFFFEd <&> \"e\" 😀\n";
    byte[] xml = Spark.xml("errors", List.of(Map.of("description", nasty)));
    Element e =
        Open311Test.children(
                Open311Test.xml(new String(xml, StandardCharsets.UTF_8)).getDocumentElement())
            .get(0);
    assertThat(Open311Test.child(e, "description"))
        .isEqualTo("a\uFFFDb\uFFFDc\uFFFDd <&> \"e\" 😀\n");
  }

  @Test
  void theFormIsDecodedAsBrowsersAndPerlEncodeIt() {
    RequestForm f =
        RequestForm.parse(
            ("service_code=road_damage&lat=29.563&long=106.577&description=a+b%0Ac%E4%B8%AD"
                    + "&first_name=%E4%B8%89&last_name=&media_url=https%3A%2F%2Fx.example%2F1.jpg"
                    + "&media_url=https%3A%2F%2Fx.example%2F2.jpg&attribute%5Bfixmystreet_id%5D=7&&api_key=")
                .getBytes(StandardCharsets.UTF_8));
    Report r = f.report(1_000L, "open311:k");
    assertThat(r.category()).isEqualTo("road_damage");
    assertThat(r.lat()).isEqualTo(29.563);
    assertThat(r.lon()).isEqualTo(106.577);
    assertThat(r.description()).isEqualTo("a b\nc中");
    assertThat(r.reporter()).isEqualTo("三");
    assertThat(r.photos()).containsExactly("https://x.example/1.jpg", "https://x.example/2.jpg");
    assertThat(r.source()).isEqualTo("open311");
    assertThat(r.urgent()).isFalse();
    assertThat(r.requestKey()).isEqualTo("open311:k");
    assertThat(r.time()).isEqualTo(1_000L);
    assertThat(f.apiKey()).as("empty is absent").isNull();
  }

  @Test
  void theFormRefusesWhatItCannotReadNamingIt() {
    for (String[] c :
        new String[][] {
          {"lat=%zz", "malformed"},
          {"lat=29&lat=30&service_code=road_damage&long=106", "lat"},
          {"attribute[a=1", "attribute[a"},
          {"callback=x", "callback"},
          {"a=1&".repeat(300), "parameters"},
        }) {
      assertThatThrownBy(
              () -> RequestForm.parse(c[0].getBytes(StandardCharsets.UTF_8)).report(0, "open311:k"))
          .as(c[0])
          .isInstanceOf(ApiException.class)
          .hasMessageContaining(c[1]);
    }
  }

  @Test
  void aPrivateLinkSecretIsRandomUnlessARetryKeyMakesItTheSame() {
    PrivateLinks a = new PrivateLinks("s".repeat(43));
    PrivateLinks b = new PrivateLinks("t".repeat(43));
    String one = PrivateLinks.random();
    assertThat(PrivateLinks.wellFormed(one)).isTrue();
    assertThat(PrivateLinks.random()).isNotEqualTo(one);
    assertThat(a.forRetry("ip:1.2.3.4", "k")).isEqualTo(a.forRetry("ip:1.2.3.4", "k"));
    assertThat(a.forRetry("ip:1.2.3.4", "k")).isNotEqualTo(a.forRetry("ip:1.2.3.5", "k"));
    assertThat(a.forRetry("ip:1.2.3.4", "k")).isNotEqualTo(b.forRetry("ip:1.2.3.4", "k"));
    assertThat(PrivateLinks.wellFormed(a.forRetry("ip:1.2.3.4", "k"))).isTrue();
    assertThat(PrivateLinks.requestKey(one))
        .startsWith("open311:")
        .hasSize(8 + 64)
        .doesNotContain(one);
  }

  @Test
  void theSettingsAreCheckedNamingTheKey() {
    var defaults = io.gridmap.server.config.ServerConfig.defaults();
    assertThat(defaults.open311ApiKeyRequired()).isFalse();
    assertThat(defaults.open311PostsPerMinute()).isEqualTo(10);
    var on =
        io.gridmap.server.config.ServerConfig.of(
            Map.of("open311_api_key_required", "true", "open311_posts_per_minute", "3"));
    assertThat(on.open311ApiKeyRequired()).isTrue();
    assertThat(on.open311PostsPerMinute()).isEqualTo(3);
    for (String[] bad :
        new String[][] {
          {"open311_api_key_required", "yes"},
          {"open311_posts_per_minute", "0"},
          {"open311_posts_per_minute", "ten"}
        }) {
      assertThatThrownBy(() -> io.gridmap.server.config.ServerConfig.of(Map.of(bad[0], bad[1])))
          .as(bad[0] + "=" + bad[1])
          .isInstanceOf(io.gridmap.server.config.ConfigException.class)
          .hasMessageContaining(bad[0]);
    }
  }
}
