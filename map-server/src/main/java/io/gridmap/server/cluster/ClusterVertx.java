package io.gridmap.server.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.gridmap.server.config.ClusterSettings;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.concurrent.TimeUnit;

/**
 * A Vert.x joined to the other nodes of a deployment through Hazelcast: TCP-IP join on the members
 * the settings name, multicast and Hazelcast's phone-home off, heartbeats every second and a member
 * counted gone after {@code cluster_failure_s} without one. Nothing the map depends on for being
 * right travels over it: the change log and the writer's turn are in PostGIS; the cluster only
 * makes news of a change arrive at once instead of at the next poll.
 */
public final class ClusterVertx {
  private ClusterVertx() {}

  /** Starts a clustered Vert.x; blocks until it has joined (or formed) the cluster. */
  public static Vertx start(VertxOptions options, ClusterSettings settings) throws Exception {
    Config hz = hazelcastConfig(settings);
    // the event bus listens and is reached at cluster_host too: left unset, Vert.x takes the host
    // from Hazelcast's public address, "host:port", which no node can resolve, and every notice
    // was lost (nodes fell back to their one-second poll)
    options.getEventBusOptions().setHost(settings.host()).setClusterPublicHost(settings.host());
    return Vertx.builder()
        .with(options)
        .withClusterManager(new HazelcastClusterManager(hz))
        .buildClustered()
        .toCompletionStage()
        .toCompletableFuture()
        .get(120, TimeUnit.SECONDS);
  }

  /** Vert.x's own Hazelcast configuration (its maps), joined as the settings say. */
  static Config hazelcastConfig(ClusterSettings s) {
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName("gridmap");
    hz.setProperty("hazelcast.logging.type", "slf4j");
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    // the server stops Hazelcast itself, after its last write
    hz.setProperty("hazelcast.shutdownhook.enabled", "false");
    hz.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    hz.setProperty("hazelcast.max.no.heartbeat.seconds", Long.toString(s.failure().toSeconds()));
    // a lone first node need not wait 5 s for others before it forms the cluster
    hz.setProperty("hazelcast.wait.seconds.before.join", "1");
    // a node that was paused or cut off and counted gone looks for the others again soon
    hz.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    hz.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    hz.getNetworkConfig().setPort(s.port()).setPortAutoIncrement(false);
    hz.getNetworkConfig().getInterfaces().setEnabled(true).addInterface(s.host());
    hz.getNetworkConfig().setPublicAddress(s.host() + ":" + s.port());
    JoinConfig join = hz.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).addMember(s.host() + ":" + s.port());
    for (String m : s.members()) {
      join.getTcpIpConfig().addMember(m);
    }
    return hz;
  }
}
