package io.gridmap.server.config;

import java.util.List;
import java.util.Optional;

/**
 * One documented configuration key: its name in the config file, its default and what it does.
 * {@link #ALL} is the single list the loader validates against and {@code mapserver config} prints,
 * so the docs cannot drift from the code.
 */
public record ConfigKey(String name, String defaultValue, String description) {

  public static final ConfigKey STORE =
      new ConfigKey(
          "store",
          "data/chongqing.gpkg",
          "the feature store: a .gpkg file path or a postgresql:// URL");
  public static final ConfigKey HOST =
      new ConfigKey("host", "0.0.0.0", "address the HTTP server listens on");
  public static final ConfigKey PORT = new ConfigKey("port", "8080", "HTTP port");
  public static final ConfigKey PUBLIC_URL =
      new ConfigKey(
          "public_url",
          "",
          "base URL clients use to reach the server (for links in TileJSON); empty: taken from each request's Host header");
  public static final ConfigKey TILE_CACHE_MB =
      new ConfigKey(
          "tile_cache_mb",
          "512",
          "upper bound of the in-memory tile cache, in MiB of encoded tiles");
  public static final ConfigKey RENDER_THREADS =
      new ConfigKey("render_threads", "0", "threads that render uncached tiles; 0: one per core");
  public static final ConfigKey ACCESS_LOG =
      new ConfigKey(
          "access_log", "-", "access log: '-' for standard output, a file path, or 'off'");
  public static final ConfigKey CORS_ORIGINS =
      new ConfigKey(
          "cors_origins",
          "*",
          "origins allowed to fetch tiles and documents, comma-separated, or *");
  public static final ConfigKey MAX_BODY_KB =
      new ConfigKey("max_body_kb", "1024", "largest request body accepted, in KiB");

  public static final ConfigKey TOKEN_SECRET_FILE =
      new ConfigKey(
          "token_secret_file",
          "data/token.secret",
          "HMAC secret that signs tokens (HS256); created with 256 random bits when absent; `mapserver token` uses the same file");
  public static final ConfigKey API_KEYS_FILE =
      new ConfigKey(
          "api_keys_file",
          "data/api_keys",
          "API keys of machine clients, stored hashed; `mapserver token --api-key` adds one");
  public static final ConfigKey RATE_LIMIT =
      new ConfigKey(
          "rate_limit_per_s",
          "200",
          "requests per second per client (per token or key; per address for the public)");
  public static final ConfigKey RATE_BURST =
      new ConfigKey(
          "rate_limit_burst",
          "1000",
          "requests a client may send at once before the rate applies (a map pan fetches dozens of tiles)");
  public static final ConfigKey OPEN311_API_KEY_REQUIRED =
      new ConfigKey(
          "open311_api_key_required",
          "false",
          "true: an Open311 POST requests needs an api_key (or other credential) of role reporter, grid_worker, commander or admin; false: the public may report (docs/open311.md)");
  public static final ConfigKey OPEN311_POSTS_PER_MINUTE =
      new ConfigKey(
          "open311_posts_per_minute",
          "10",
          "Open311 service requests a client (its credential, else its address) may POST per minute: that many at once, then one every 60/n seconds; 429 with Retry-After beyond");
  public static final ConfigKey MAX_QUERY_AREA =
      new ConfigKey(
          "max_query_area_km2",
          "250000",
          "largest area a domain query under /query may be asked about (a bbox, a polygon, a radius's circle), in square kilometres; the generated city's bounding box is about 212,000");
  public static final ConfigKey IMPORT_MAX_MB =
      new ConfigKey(
          "import_max_mb",
          "256",
          "largest file POST /imports takes into a running server, in MiB (the body is streamed to a temporary file); 413 beyond");
  public static final ConfigKey AUDIT_LOG =
      new ConfigKey(
          "audit_log",
          "data/audit.jsonl",
          "append-only file of the audit entries the command line writes (tokens issued, cities generated or imported) and of the server's own before its store is loaded; the server's writes go to the store's audit_log table in their own transactions. Admins read both at /admin/audit");
  public static final ConfigKey HEADER_TIMEOUT =
      new ConfigKey(
          "header_timeout_s",
          "10",
          "seconds a new connection has to send its first complete request line and headers; a client that trickles them (slowloris) is closed");
  public static final ConfigKey BODY_TIMEOUT =
      new ConfigKey(
          "body_timeout_s",
          "30",
          "seconds a request body has to arrive in full once its headers are in, however it is paced (at 30, a 10 MiB redraw needs about 3 Mbit/s); else 408 and the connection is closed");
  public static final ConfigKey IDLE_TIMEOUT =
      new ConfigKey(
          "idle_timeout_s",
          "60",
          "seconds from the end of a response (as the server wrote it, so its download counts) until the next request's headers are complete; then the connection is closed. WebSockets are exempt");
  public static final ConfigKey WS_PING =
      new ConfigKey(
          "ws_ping_s",
          "25",
          "seconds between pings to a live WebSocket subscriber; one that leaves two pings in a row unanswered is closed. Keep it below any proxy's idle timeout");
  public static final ConfigKey WS_STALL =
      new ConfigKey(
          "ws_stall_s",
          "30",
          "seconds a live WebSocket subscriber's send queue (1 MiB) may stay full, the subscriber reading nothing or too little, before it is closed with status 1013 and its connection reset; it reconnects with ?since= and gets what it missed");

  public static final ConfigKey EDITS_REQUIRE_IF_MATCH =
      new ConfigKey(
          "edits_require_if_match",
          "false",
          "true: a grid edit must say which version it changes: PATCH and PUT of /collections/grids/items/{id} an If-Match header, POST /edits/grids an etag member per grid; 428 Precondition Required without. false: writes without them are taken as before (a stale one is 412 either way). See docs/editing.md");

  public static final ConfigKey SCHEDULED_EDITS_POLL_MS =
      new ConfigKey(
          "scheduled_edits_poll_ms",
          "1000",
          "milliseconds between looks for scheduled edits (?effective=) whose instant has come, on the node whose turn it is to write: an edit is applied at most this late (10 to 60000). See docs/editing.md");

  public static final ConfigKey WRITE_GROUP_MS =
      new ConfigKey(
          "write_group_ms",
          "10",
          "milliseconds the writer lets writes gather (positions and incident transitions above all) before a commit, when its last commit began less than this ago, fewer than 4 writes wait and writes have been meeting in groups (a lone client waiting for each answer is never held): fewer, larger commits, each paying once for the store's log append and fsync, the audit log's flush and the swap into the tiles, for at most this much more latency (0 to 1000; 0: commit whatever has arrived as soon as the last commit ends). Under 1,000 changes a second, 10 took the writer from about 250 groups a second to about 100 and its share of the core from about 22% to 15%, and added 1-5 ms to a change's p50 (11 ms against 6-8 beside 35,000 cached tiles a second); under 5,000, where 4 writes wait by the time a commit ends, it changes nearly nothing. See docs/live.md");

  public static final ConfigKey CLOSED_DAYS =
      new ConfigKey(
          "closed_days",
          "7",
          "days a closed or rejected incident stays in the map's tiles after it closed (open ones are always drawn; the whole history stays in items and queries)");

  public static final ConfigKey TRACK_RETENTION_DAYS =
      new ConfigKey(
          "track_retention_days",
          "30",
          "days the forces' tracks (GET /collections/forces/items/{id}/track) are kept: older chunks are deleted whole, hourly (a track is kept up to an hour longer); 0: no track is recorded and those recorded are deleted. See docs/live.md");

  public static final ConfigKey RESPONDER_ROLES =
      new ConfigKey(
          "responder_roles",
          "",
          "which roles of on-duty forces an urgent incident of a category needs, replacing the defaults of docs/incidents.md for the categories named: category=role+role;category=role, e.g. wristband_alarm=grid_worker+clinic_doctor;fire_hazard=utility+police");

  public static final ConfigKey MQTT_URL =
      new ConfigKey(
          "mqtt_url",
          "",
          "MQTT broker that device alarms and positions come from, mqtt://host[:port] (e.g. mqtt://127.0.0.1:1883); empty: no MQTT ingest. See docs/devices.md");
  public static final ConfigKey MQTT_CLIENT_ID =
      new ConfigKey(
          "mqtt_client_id",
          "gridmap",
          "client id of the server's persistent MQTT session: messages published while the server is down wait at the broker under this id. Fixed, so that a restart finds them; every server on one broker needs its own");
  public static final ConfigKey MQTT_TOPIC_PREFIX =
      new ConfigKey(
          "mqtt_topic_prefix",
          "gridmap/v1",
          "topic levels before devices/{device_id}/alarm and devices/{device_id}/position");

  public static final ConfigKey CLUSTER =
      new ConfigKey(
          "cluster",
          "false",
          "join the other nodes serving the same PostGIS store in a Vert.x cluster (Hazelcast): they hear of each change at once and forward writes to the node whose turn it is (`serve --cluster`). See docs/scaling.md");
  public static final ConfigKey CLUSTER_HOST =
      new ConfigKey(
          "cluster_host",
          "127.0.0.1",
          "address this node's cluster member binds to and other nodes reach it at");
  public static final ConfigKey CLUSTER_PORT =
      new ConfigKey("cluster_port", "5701", "TCP port of this node's cluster member");
  public static final ConfigKey CLUSTER_MEMBERS =
      new ConfigKey(
          "cluster_members",
          "",
          "the other nodes' cluster members, host:port comma-separated (TCP-IP join; multicast is off); empty: this node alone until others name it");
  public static final ConfigKey CLUSTER_FAILURE_S =
      new ConfigKey(
          "cluster_failure_s",
          "10",
          "seconds without a heartbeat before a cluster member counts as gone (heartbeats every second)");
  public static final ConfigKey NODE_URL =
      new ConfigKey(
          "node_url",
          "",
          "the base URL other nodes forward writes to this node at, e.g. http://10.0.0.5:8080; empty: http://{host}:{port}, with 127.0.0.1 for host 0.0.0.0");
  public static final ConfigKey WRITER_TURN_S =
      new ConfigKey(
          "writer_turn_s",
          "8",
          "on a shared PostGIS store, how long a node's turn to write lasts unless renewed (renewed every fifth of it): a writer that dies or pauses is replaced within this and a fifth of it");

  public static final List<ConfigKey> ALL =
      List.of(
          STORE,
          HOST,
          PORT,
          PUBLIC_URL,
          TILE_CACHE_MB,
          RENDER_THREADS,
          ACCESS_LOG,
          CORS_ORIGINS,
          MAX_BODY_KB,
          TOKEN_SECRET_FILE,
          API_KEYS_FILE,
          RATE_LIMIT,
          RATE_BURST,
          OPEN311_API_KEY_REQUIRED,
          OPEN311_POSTS_PER_MINUTE,
          AUDIT_LOG,
          MAX_QUERY_AREA,
          IMPORT_MAX_MB,
          EDITS_REQUIRE_IF_MATCH,
          SCHEDULED_EDITS_POLL_MS,
          WRITE_GROUP_MS,
          HEADER_TIMEOUT,
          BODY_TIMEOUT,
          IDLE_TIMEOUT,
          WS_PING,
          WS_STALL,
          CLOSED_DAYS,
          TRACK_RETENTION_DAYS,
          RESPONDER_ROLES,
          MQTT_URL,
          MQTT_CLIENT_ID,
          MQTT_TOPIC_PREFIX,
          CLUSTER,
          CLUSTER_HOST,
          CLUSTER_PORT,
          CLUSTER_MEMBERS,
          CLUSTER_FAILURE_S,
          NODE_URL,
          WRITER_TURN_S);

  public static Optional<ConfigKey> byName(String name) {
    return ALL.stream().filter(k -> k.name.equals(name)).findFirst();
  }
}
