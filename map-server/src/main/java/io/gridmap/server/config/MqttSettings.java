package io.gridmap.server.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * Where device alarms and positions come from: an MQTT broker ({@code mqtt_url}), the client id the
 * server's persistent session is kept under ({@code mqtt_client_id}) and the first levels of every
 * device topic ({@code mqtt_topic_prefix}). See docs/devices.md.
 *
 * @param url {@code mqtt://host[:port]}, or empty: no MQTT ingest
 * @param clientId the fixed client id; the broker keeps the session (subscriptions, messages queued
 *     while the server is down) under it
 * @param topicPrefix topic levels before {@code /devices/...}, without wildcards or a trailing
 *     slash
 */
public record MqttSettings(String url, String clientId, String topicPrefix) {
  public static final int DEFAULT_PORT = 1883;

  /**
   * Client ids: MQTT 3.1.1 obliges a broker to take 1 to 23 of [0-9a-zA-Z] and lets it take more;
   * Mosquitto takes up to 65535 bytes. Kept to a set that is safe in logs and file names.
   */
  private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  /** Topic levels: no wildcards, no empty level, nothing that starts a system topic. */
  private static final Pattern TOPIC_PREFIX =
      Pattern.compile("[^/#+$\\x00-\\x1f][^/#+\\x00-\\x1f]*(/[^/#+\\x00-\\x1f]+)*");

  public MqttSettings {
    url = url == null ? "" : url.strip();
    if (!url.isEmpty()) {
      hostAndPort(url);
    }
    if (clientId == null || !CLIENT_ID.matcher(clientId).matches()) {
      throw new ConfigException(
          "mqtt_client_id must be 1 to 64 of A-Z a-z 0-9 . _ -, got '" + clientId + "'");
    }
    if (topicPrefix == null
        || topicPrefix.length() > 200
        || !TOPIC_PREFIX.matcher(topicPrefix).matches()) {
      throw new ConfigException(
          "mqtt_topic_prefix must be topic levels separated by '/', without wildcards (+ #),"
              + " empty levels, a leading '$' or a trailing '/', at most 200 characters, e.g."
              + " gridmap/v1; got '"
              + topicPrefix
              + "'");
    }
  }

  /** Whether the server subscribes at all. */
  public boolean enabled() {
    return !url.isEmpty();
  }

  /** The broker's host. */
  public String host() {
    return hostAndPort(url).getHost();
  }

  /** The broker's port, 1883 when the URL names none. */
  public int port() {
    int p = hostAndPort(url).getPort();
    return p < 0 ? DEFAULT_PORT : p;
  }

  private static URI hostAndPort(String url) {
    URI u;
    try {
      u = new URI(url);
    } catch (URISyntaxException e) {
      throw refused(url, "it is not a URL");
    }
    if (!"mqtt".equalsIgnoreCase(u.getScheme())) {
      // mqtts (TLS) and ws would need options this server does not set yet
      throw refused(url, "only the scheme mqtt:// is supported");
    }
    if (u.getHost() == null || u.getRawUserInfo() != null) {
      throw refused(url, "it needs a host and no user name or password");
    }
    if ((u.getRawPath() != null && !u.getRawPath().isEmpty() && !u.getRawPath().equals("/"))
        || u.getRawQuery() != null
        || u.getRawFragment() != null) {
      throw refused(url, "it may not have a path, query or fragment");
    }
    if (u.getPort() == 0) {
      throw refused(url, "port 0 is no broker's port");
    }
    return u;
  }

  private static ConfigException refused(String url, String why) {
    return new ConfigException(
        "mqtt_url must be empty (off) or mqtt://host[:port], e.g. mqtt://127.0.0.1:1883; got '"
            + url
            + "': "
            + why);
  }
}
