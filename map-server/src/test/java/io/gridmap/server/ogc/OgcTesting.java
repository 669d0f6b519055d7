package io.gridmap.server.ogc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridmap.server.testing.TestServer;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** Helpers for the OGC tests: JSON reads and problem+json checks. */
final class OgcTesting {
  static final ObjectMapper JSON = new ObjectMapper();

  private OgcTesting() {}

  static JsonNode json(TestServer s, String path, String... headers) throws Exception {
    HttpResponse<String> res = s.getText(path, headers);
    assertThat(res.statusCode()).as(path + " -> " + res.body()).isEqualTo(200);
    return JSON.readTree(res.body());
  }

  /** Asserts a problem+json refusal whose detail contains every fragment. */
  static JsonNode problem(TestServer s, String path, int status, String... fragments)
      throws Exception {
    HttpResponse<String> res = s.getText(path);
    assertThat(res.statusCode()).as(path + " -> " + res.body()).isEqualTo(status);
    assertThat(res.headers().firstValue("Content-Type"))
        .as(path)
        .hasValue("application/problem+json");
    JsonNode p = JSON.readTree(res.body());
    assertThat(p.get("status").asInt()).isEqualTo(status);
    for (String f : fragments) {
      assertThat(p.get("detail").asText()).as(path).contains(f);
    }
    return p;
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The path and query of an absolute link of the test server. */
  static String relative(TestServer s, String href) {
    assertThat(href).startsWith(s.baseUrl());
    return href.substring(s.baseUrl().length());
  }
}
