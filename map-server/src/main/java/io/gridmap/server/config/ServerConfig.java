package io.gridmap.server.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The server's settings. Built from defaults, then a config file ({@code key = value} lines, {@code
 * #} comments), then command-line flags, each overriding the one before.
 */
public record ServerConfig(
    String store,
    String host,
    int port,
    String publicUrl,
    long tileCacheBytes,
    int renderThreads,
    String accessLog,
    List<String> corsOrigins,
    int maxBodyBytes,
    String tokenSecretFile,
    String apiKeysFile,
    double rateLimitPerSecond,
    double rateLimitBurst,
    boolean open311ApiKeyRequired,
    int open311PostsPerMinute,
    String auditLog,
    int maxQueryAreaKm2,
    int importMaxMb,
    boolean editsRequireIfMatch,
    Duration headerTimeout,
    Duration bodyTimeout,
    Duration idleTimeout,
    Duration wsPing,
    Duration wsStall,
    int closedDays,
    String responderRoles,
    MqttSettings mqtt,
    ClusterSettings cluster,
    int trackRetentionDays,
    Duration scheduledEditsPoll,
    Duration writeGroupPace) {

  /** The longest any of the timeouts may be: a day. */
  static final int MAX_TIMEOUT_S = 86_400;

  public ServerConfig {
    if (writeGroupPace.isNegative() || writeGroupPace.toMillis() > 1000) {
      throw new ConfigException(
          "write_group_ms must be between 0 (no gathering) and 1000, got "
              + writeGroupPace.toMillis());
    }
    if (scheduledEditsPoll.toMillis() < 10 || scheduledEditsPoll.toMillis() > 60_000) {
      throw new ConfigException(
          "scheduled_edits_poll_ms must be between 10 and 60000, got "
              + scheduledEditsPoll.toMillis());
    }
    if (trackRetentionDays < 0 || trackRetentionDays > 36_500) {
      throw new ConfigException(
          "track_retention_days must be between 0 (keep no tracks) and 36500, got "
              + trackRetentionDays);
    }
    if (closedDays < 0 || closedDays > 36_500) {
      throw new ConfigException("closed_days must be between 0 and 36500, got " + closedDays);
    }
    try {
      io.gridmap.server.incidents.ResponderRoles.parse(responderRoles);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
    if (port < 0 || port > 65535) {
      throw new ConfigException("port must be between 0 and 65535, got " + port);
    }
    if (tileCacheBytes < 0) {
      throw new ConfigException("tile_cache_mb must be >= 0, got " + tileCacheBytes);
    }
    if (renderThreads <= 0) {
      renderThreads = Runtime.getRuntime().availableProcessors();
    }
    corsOrigins = List.copyOf(corsOrigins);
    if (rateLimitPerSecond <= 0 || rateLimitBurst < 1) {
      throw new ConfigException(
          "rate_limit_per_s must be > 0 and rate_limit_burst >= 1, got "
              + rateLimitPerSecond
              + " and "
              + rateLimitBurst);
    }
    if (open311PostsPerMinute < 1) {
      throw new ConfigException(
          "open311_posts_per_minute must be >= 1, got " + open311PostsPerMinute);
    }
    if (maxQueryAreaKm2 <= 0) {
      throw new ConfigException("max_query_area_km2 must be > 0, got " + maxQueryAreaKm2);
    }
    if (importMaxMb < 1) {
      throw new ConfigException("import_max_mb must be >= 1, got " + importMaxMb);
    }
    checkSeconds(ConfigKey.HEADER_TIMEOUT, headerTimeout);
    checkSeconds(ConfigKey.BODY_TIMEOUT, bodyTimeout);
    checkSeconds(ConfigKey.IDLE_TIMEOUT, idleTimeout);
    checkSeconds(ConfigKey.WS_PING, wsPing);
    checkSeconds(ConfigKey.WS_STALL, wsStall);
  }

  private static void checkSeconds(ConfigKey key, Duration d) {
    if (d.compareTo(Duration.ofSeconds(1)) < 0
        || d.compareTo(Duration.ofSeconds(MAX_TIMEOUT_S)) > 0) {
      throw new ConfigException(
          key.name()
              + " must be between 1 and "
              + MAX_TIMEOUT_S
              + " seconds, got "
              + d.toSeconds());
    }
  }

  public static ServerConfig defaults() {
    return of(Map.of());
  }

  /** Settings from the values given, every other key at its default. */
  public static ServerConfig of(Map<String, String> values) {
    Map<String, String> v = new LinkedHashMap<>();
    for (ConfigKey k : ConfigKey.ALL) {
      v.put(k.name(), k.defaultValue());
    }
    for (var e : values.entrySet()) {
      if (ConfigKey.byName(e.getKey()).isEmpty()) {
        throw new ConfigException(
            "unknown setting '" + e.getKey() + "'; known settings: " + knownKeys());
      }
      v.put(e.getKey(), e.getValue());
    }
    return new ServerConfig(
        v.get("store"),
        v.get("host"),
        integer(v, ConfigKey.PORT),
        v.get("public_url").replaceAll("/+$", ""),
        integer(v, ConfigKey.TILE_CACHE_MB) * 1024L * 1024L,
        integer(v, ConfigKey.RENDER_THREADS),
        v.get("access_log"),
        List.of(v.get("cors_origins").split("\\s*,\\s*")),
        integer(v, ConfigKey.MAX_BODY_KB) * 1024,
        v.get("token_secret_file"),
        v.get("api_keys_file"),
        integer(v, ConfigKey.RATE_LIMIT),
        integer(v, ConfigKey.RATE_BURST),
        bool(v, ConfigKey.OPEN311_API_KEY_REQUIRED),
        integer(v, ConfigKey.OPEN311_POSTS_PER_MINUTE),
        v.get("audit_log"),
        integer(v, ConfigKey.MAX_QUERY_AREA),
        integer(v, ConfigKey.IMPORT_MAX_MB),
        bool(v, ConfigKey.EDITS_REQUIRE_IF_MATCH),
        Duration.ofSeconds(integer(v, ConfigKey.HEADER_TIMEOUT)),
        Duration.ofSeconds(integer(v, ConfigKey.BODY_TIMEOUT)),
        Duration.ofSeconds(integer(v, ConfigKey.IDLE_TIMEOUT)),
        Duration.ofSeconds(integer(v, ConfigKey.WS_PING)),
        Duration.ofSeconds(integer(v, ConfigKey.WS_STALL)),
        integer(v, ConfigKey.CLOSED_DAYS),
        v.get(ConfigKey.RESPONDER_ROLES.name()),
        new MqttSettings(
            v.get(ConfigKey.MQTT_URL.name()),
            v.get(ConfigKey.MQTT_CLIENT_ID.name()),
            v.get(ConfigKey.MQTT_TOPIC_PREFIX.name())),
        new ClusterSettings(
            bool(v, ConfigKey.CLUSTER),
            v.get(ConfigKey.CLUSTER_HOST.name()).strip(),
            integer(v, ConfigKey.CLUSTER_PORT),
            v.get(ConfigKey.CLUSTER_MEMBERS.name()).isBlank()
                ? List.of()
                : List.of(v.get(ConfigKey.CLUSTER_MEMBERS.name()).strip().split("\\s*,\\s*")),
            Duration.ofSeconds(integer(v, ConfigKey.CLUSTER_FAILURE_S)),
            v.get(ConfigKey.NODE_URL.name()).strip().replaceAll("/+$", ""),
            Duration.ofSeconds(integer(v, ConfigKey.WRITER_TURN_S))),
        integer(v, ConfigKey.TRACK_RETENTION_DAYS),
        Duration.ofMillis(integer(v, ConfigKey.SCHEDULED_EDITS_POLL_MS)),
        Duration.ofMillis(integer(v, ConfigKey.WRITE_GROUP_MS)));
  }

  /**
   * Reads a config file. Errors name the file, the line and what would be accepted.
   *
   * @param overrides values that win over the file (command-line flags)
   */
  public static ServerConfig load(Path file, Map<String, String> overrides) {
    Map<String, String> values = new LinkedHashMap<>();
    if (file != null) {
      List<String> lines;
      try {
        lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
      }
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        int eq = line.indexOf('=');
        if (eq <= 0) {
          throw new ConfigException(
              file + ":" + (i + 1) + ": expected 'key = value' but found '" + line + "'");
        }
        String key = line.substring(0, eq).strip();
        if (ConfigKey.byName(key).isEmpty()) {
          throw new ConfigException(
              file
                  + ":"
                  + (i + 1)
                  + ": unknown setting '"
                  + key
                  + "'; known settings: "
                  + knownKeys());
        }
        values.put(key, line.substring(eq + 1).strip());
      }
    }
    values.putAll(overrides);
    try {
      return of(values);
    } catch (ConfigException e) {
      throw new ConfigException((file == null ? "" : file + ": ") + e.getMessage());
    }
  }

  /** The documented keys as a commented config file, for {@code mapserver config}. */
  public static String documentedTemplate() {
    StringBuilder sb = new StringBuilder("# gridmap server settings; every key is optional.\n");
    for (ConfigKey k : ConfigKey.ALL) {
      sb.append("\n# ").append(k.description()).append('\n');
      sb.append("# ").append(k.name()).append(" = ").append(k.defaultValue()).append('\n');
    }
    return sb.toString();
  }

  private static int integer(Map<String, String> v, ConfigKey key) {
    String raw = v.get(key.name());
    try {
      return Integer.parseInt(raw.strip());
    } catch (NumberFormatException e) {
      throw new ConfigException(key.name() + " must be an integer, got '" + raw + "'");
    }
  }

  private static boolean bool(Map<String, String> v, ConfigKey key) {
    String raw = v.get(key.name()).strip();
    if (!raw.equals("true") && !raw.equals("false")) {
      throw new ConfigException(key.name() + " must be true or false, got '" + raw + "'");
    }
    return Boolean.parseBoolean(raw);
  }

  private static String knownKeys() {
    return ConfigKey.ALL.stream().map(ConfigKey::name).collect(Collectors.joining(", "));
  }

  /** How long closed incidents stay in the tiles. */
  public java.time.Duration closedWindow() {
    return java.time.Duration.ofDays(closedDays);
  }
}
