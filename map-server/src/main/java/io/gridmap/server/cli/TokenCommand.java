package io.gridmap.server.cli;

import io.gridmap.server.config.ServerConfig;
import io.gridmap.server.security.ApiKeys;
import io.gridmap.server.security.AuditLog;
import io.gridmap.server.security.Principal;
import io.gridmap.server.security.Role;
import io.gridmap.server.security.TokenKeys;
import io.gridmap.server.security.Tokens;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Issues a signed token (or an API key) for a role and scope: for demos, tests and systems. */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = {
      "Issue a token for a role bound to an admin unit, signed with the server's secret",
      "(token_secret_file), or with --api-key a key for a machine client (stored hashed in api_keys_file).",
      "Use it as 'Authorization: Bearer <token>' or 'X-API-Key: <key>'. Every issue is audited."
    })
public final class TokenCommand implements Callable<Integer> {
  private static final Pattern TTL = Pattern.compile("(\\d+)([mhd])");

  @Option(
      names = "--role",
      required = true,
      description = "grid_worker, commander, planner, analyst or admin")
  String role;

  @Option(
      names = "--scope",
      defaultValue = "",
      description =
          "admin code the role is bound to: district (6 digits), street (9), village (12) or grid (15); empty: the whole city")
  String scope;

  @Option(
      names = "--subject",
      description =
          "who the token or key is for (a grid worker's force id); without one it is named <role>-<its id>,"
              + " a client of its own in rate limits and the audit log")
  String subject;

  @Option(
      names = "--ttl",
      defaultValue = "8h",
      description =
          "lifetime: minutes, hours or days, e.g. 30m, 8h, 7d (default: ${DEFAULT-VALUE})")
  String ttl;

  @Option(names = "--api-key", description = "make an API key instead of a token")
  boolean apiKey;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "settings file (for token_secret_file, api_keys_file, audit_log)")
  Path configFile;

  @Override
  public Integer call() throws Exception {
    Role r =
        Role.ofCode(role)
            .filter(x -> x != Role.PUBLIC)
            .orElseThrow(
                () ->
                    new Main.UserError(
                        "--role must be one of grid_worker, commander, planner, analyst, admin; got '"
                            + role
                            + "'"));
    Principal who;
    try {
      // without --subject the role's code, which names no one: Principal.ofCredential
      who = new Principal(subject == null ? r.code() : subject, r, scope, "cli");
    } catch (IllegalArgumentException e) {
      throw new Main.UserError("--scope: " + e.getMessage());
    }
    ServerConfig config = ServerConfig.load(configFile, Map.of());
    String issuer = System.getProperty("user.name", "cli");
    String out;
    String action;
    if (apiKey) {
      out = ApiKeys.create(Path.of(config.apiKeysFile()), who);
      action = "api_key.create";
    } else {
      Vertx vertx = Vertx.vertx();
      try {
        out =
            new Tokens(vertx, TokenKeys.loadOrCreate(Path.of(config.tokenSecretFile())))
                .issue(who, parseTtl(ttl));
      } finally {
        vertx.close();
      }
      action = "token.issue";
    }
    // the name and credential id the server will give the holder: the audit log links them
    Principal holder =
        Principal.ofCredential(
            who.subject(),
            r,
            who.scope(),
            apiKey ? "api_key" : "jwt",
            apiKey ? ApiKeys.credentialId(out) : Tokens.credentialId(out));
    try (AuditLog audit = AuditLog.open(Path.of(config.auditLog()))) {
      audit.record(
          new Principal(issuer, Role.ADMIN, "", "cli"),
          action,
          holder.subject(),
          Map.of(
              "role",
              r.code(),
              "scope",
              who.scope(),
              "ttl",
              apiKey ? "" : ttl,
              "credential",
              holder.credential()));
    }
    System.err.println(
        (apiKey ? "API key" : "token")
            + " for "
            + holder.subject()
            + " (credential "
            + holder.credential()
            + "), audited in "
            + config.auditLog());
    System.out.println(out);
    return 0;
  }

  static Duration parseTtl(String s) {
    Matcher m = TTL.matcher(s);
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      throw new Main.UserError(
          "--ttl must be a positive number of minutes, hours or days such as 30m, 8h or 7d; got '"
              + s
              + "'");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }
}
