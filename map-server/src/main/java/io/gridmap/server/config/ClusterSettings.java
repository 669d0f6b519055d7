package io.gridmap.server.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How this node works with the others serving the same PostGIS store (docs/scaling.md).
 *
 * @param enabled whether it joins their Vert.x cluster ({@code serve --cluster})
 * @param host the address its cluster member binds to and is reached at
 * @param port its cluster member's TCP port
 * @param members the other members, {@code host:port}, joined over TCP (multicast is off)
 * @param failure how long without a heartbeat before a member counts as gone
 * @param nodeUrl the base URL other nodes forward writes to, or empty for {@code http://host:port}
 * @param writerTurn how long a node's turn to write lasts unless renewed
 */
public record ClusterSettings(
    boolean enabled,
    String host,
    int port,
    List<String> members,
    Duration failure,
    String nodeUrl,
    Duration writerTurn) {
  private static final Pattern MEMBER = Pattern.compile("[A-Za-z0-9.:\\[\\]-]+:[0-9]{1,5}");

  public ClusterSettings {
    members = List.copyOf(members);
    if (port < 1 || port > 65535) {
      throw new ConfigException("cluster_port must be between 1 and 65535, got " + port);
    }
    for (String m : members) {
      if (!MEMBER.matcher(m).matches()) {
        throw new ConfigException(
            "cluster_members must be host:port entries separated by commas, e.g."
                + " 10.0.0.5:5701,10.0.0.6:5701; got '"
                + m
                + "'");
      }
    }
    if (failure.toSeconds() < 2 || failure.toSeconds() > 300) {
      throw new ConfigException(
          "cluster_failure_s must be between 2 and 300, got " + failure.toSeconds());
    }
    if (writerTurn.toSeconds() < 2 || writerTurn.toSeconds() > 300) {
      throw new ConfigException(
          "writer_turn_s must be between 2 and 300, got " + writerTurn.toSeconds());
    }
    if (!nodeUrl.isEmpty()) {
      URI u;
      try {
        u = URI.create(nodeUrl);
      } catch (IllegalArgumentException e) {
        throw new ConfigException("node_url is not a URL: '" + nodeUrl + "'");
      }
      if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
        throw new ConfigException(
            "node_url must be http://host[:port] or https://..., got '" + nodeUrl + "'");
      }
    }
  }

  /** How often the writer renews its turn: a fifth of it, so four renewals may fail in a row. */
  public Duration turnRenewal() {
    return writerTurn.dividedBy(5);
  }

  /** The base URL other nodes forward writes to, for a server listening on host and port. */
  public String nodeUrl(String httpHost, int httpPort) {
    if (!nodeUrl.isEmpty()) {
      return nodeUrl;
    }
    String h = httpHost.equals("0.0.0.0") || httpHost.equals("::") ? "127.0.0.1" : httpHost;
    return "http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + httpPort;
  }
}
