package io.gridmap.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridmap.server.config.ServerConfig;
import io.gridmap.server.security.Principal;
import io.gridmap.server.security.Role;
import io.gridmap.server.security.TokenKeys;
import io.gridmap.server.security.Tokens;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An admin-layer import handed to the running writer of a PostGIS cluster: the store says which
 * node writes ({@code FeatureStore.writerUrl}), and the file goes to its {@code POST /imports} as
 * an admin's request, signed with the server's token secret from the settings ({@code
 * token_secret_file}, as {@code mapserver token} signs). The writer plans it against the map it
 * serves and writes only what changes; every node serves it at once. The command prints the
 * writer's summary, or its problems and fails.
 */
final class AdminImportHandOver {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How long the writer may take: an import is read, checked and written in its turn. */
  static final Duration ANSWER = Duration.ofMinutes(10);

  private AdminImportHandOver() {}

  /** The body types HTTP takes, by file extension. */
  static String mediaType(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".geojson") || name.endsWith(".json")) {
      return "application/geo+json";
    }
    if (name.endsWith(".csv")) {
      return "text/csv";
    }
    if (name.endsWith(".gpkg")) {
      return "application/geopackage+sqlite3";
    }
    return null;
  }

  /**
   * Posts the import and prints the answer.
   *
   * @param query the request's options (snake_case names, as the route takes them)
   * @return the exit code: 0 when written or nothing to change
   * @throws Main.UserError for a refusal, with the writer's detail and problems
   */
  static int post(
      String writerUrl, ServerConfig config, String layer, Path file, Map<String, String> query) {
    String type = mediaType(file);
    if (type == null) {
      throw new Main.UserError(
          file.getFileName()
              + ": a server writes to the store ("
              + writerUrl
              + ") and takes the import over HTTP, which takes GeoJSON, CSV and GeoPackage;"
              + " convert the file first (ogr2ogr "
              + file.getFileName().toString().replaceAll("\\.[^.]*$", "")
              + ".gpkg "
              + file.getFileName()
              + ") and import that");
    }
    String who = "cli:" + System.getProperty("user.name", "cli");
    String token;
    Vertx vertx = Vertx.vertx();
    try {
      token =
          new Tokens(vertx, TokenKeys.loadOrCreate(Path.of(config.tokenSecretFile())))
              .issue(new Principal(who, Role.ADMIN, "", "cli"), Duration.ofMinutes(30));
    } finally {
      vertx.close();
    }
    Map<String, String> params = new LinkedHashMap<>();
    params.put("layer", layer);
    params.putAll(query);
    List<String> pairs = new ArrayList<>();
    params.forEach((k, v) -> pairs.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    URI uri = URI.create(writerUrl + "/imports?" + String.join("&", pairs));
    System.err.println(
        "import: a server writes to the store; handing the import to it: POST " + uri);
    HttpResponse<String> res;
    try {
      HttpRequest req =
          HttpRequest.newBuilder(uri)
              .timeout(ANSWER)
              .header("Authorization", "Bearer " + token)
              .header("Content-Type", type)
              .POST(HttpRequest.BodyPublishers.ofFile(file))
              .build();
      res =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(10))
              .build()
              .send(req, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new Main.UserError(
          "cannot reach the server that writes the store at "
              + writerUrl
              + ": "
              + e.getMessage()
              + "; nothing was imported");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Main.UserError("interrupted while the server imported; see its audit log");
    }
    JsonNode body;
    try {
      body = JSON.readTree(res.body());
    } catch (IOException e) {
      body = null;
    }
    if (res.statusCode() == 200 || res.statusCode() == 201) {
      System.out.println(summary(body));
      return 0;
    }
    StringBuilder why = new StringBuilder();
    why.append("the server at ")
        .append(writerUrl)
        .append(" refused the import (")
        .append(res.statusCode())
        .append("): ")
        .append(body != null && body.has("detail") ? body.get("detail").asText() : res.body());
    if (body != null && body.has("problems")) {
      body.get("problems").forEach(p -> why.append("\n  ").append(p.asText()));
    }
    if (res.statusCode() == 401) {
      why.append(
          "\n(the token was signed with token_secret_file of --config: give this command the"
              + " server's settings file)");
    }
    throw new Main.UserError(why.toString());
  }

  private static String summary(JsonNode s) {
    if (s == null) {
      return "imported";
    }
    StringBuilder b = new StringBuilder();
    b.append(s.path("file").asText())
        .append(" into ")
        .append(s.path("layer").asText())
        .append(s.path("written").asBoolean() ? " (served at once)" : " (nothing written)")
        .append(": ")
        .append(s.path("added").asInt())
        .append(" added, ")
        .append(s.path("changed").asInt())
        .append(" changed, ")
        .append(s.path("unchanged").asInt())
        .append(" unchanged, ")
        .append(s.path("retired").asInt())
        .append(" retired");
    s.path("notes").forEach(n -> b.append("\n  ").append(n.asText()));
    return b.toString();
  }
}
