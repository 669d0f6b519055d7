package io.gridmap.server.imports;

import io.gridmap.importer.load.ImportRefused;
import io.gridmap.importer.read.ImportException;
import io.gridmap.server.web.ApiException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the import's texts read over HTTP, refusals and the summary's notes alike: the importer names
 * the CLI's options ({@code --crs}, {@code --dry-run}); here they name the query parameters ({@code
 * crs}, {@code dry_run}).
 */
final class ImportProblems {
  private ImportProblems() {}

  private static final Pattern OPTION = Pattern.compile("--([a-z][a-z-]*)");

  /** A message of the importer with its CLI options named as query parameters. */
  static String forHttp(String message) {
    Matcher m = OPTION.matcher(message == null ? "" : message);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name =
          switch (m.group(1)) {
            case "no-cluster" -> "cluster=false";
            case "repair", "replace", "dry-run" -> m.group(1).replace('-', '_') + "=true";
            default -> m.group(1).replace('-', '_');
          };
      m.appendReplacement(out, Matcher.quoteReplacement(name));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** 422 listing every problem of the file, one line each in {@code problems}; nothing written. */
  static ApiException refused(ImportRefused e) {
    JsonArray lines = new JsonArray();
    e.lines().forEach(l -> lines.add(forHttp(l)));
    String first = forHttp(e.getMessage().split("\n", 2)[0]);
    return new ApiException(
        422,
        "Import refused",
        first + " every problem is listed in problems, each with its fix",
        new JsonObject().put("problems", lines).put("count", e.count()));
  }

  /** 400 for a file the reader cannot read at all, or a coordinate system it cannot take. */
  static ApiException unreadable(ImportException e) {
    return new ApiException(
        400,
        "Bad Request",
        forHttp(e.getMessage()) + "; nothing was imported",
        new JsonObject().put("problems", new JsonArray().add(forHttp(e.getMessage()))));
  }

  /** 400 for options that cannot hold for this file (a personal field it lacks). */
  static ApiException badOptions(IllegalArgumentException e) {
    return ApiException.badRequest(forHttp(e.getMessage()) + "; nothing was imported");
  }
}
