package io.gridmap.bench.cluster;

import java.util.Arrays;
import java.util.List;

/**
 * The cluster benchmark's command line.
 *
 * @param writer the base URL of the node that holds the turn to write (node A)
 * @param other the base URL of the other node (node B), which forwards writes to A
 * @param store the {@code postgresql://...?schema=S} location both serve
 * @param tokenFile a file holding an admin token both nodes accept
 * @param clients the concurrent client counts of the write-latency cases
 * @param writes timed writes per write-latency case
 * @param warmup untimed writes before each case
 * @param propagation writes to the writer timed to the other node's stream
 * @param propagationGapMs mean gap between two of them
 * @param external SQL updates timed to both streams
 * @param externalGapMs mean gap between two SQL updates
 * @param maxSeconds each case's timed part at most (then it reports what it has)
 */
record ClusterOptions(
    String writer,
    String other,
    String store,
    String tokenFile,
    List<Integer> clients,
    int writes,
    int warmup,
    int propagation,
    double propagationGapMs,
    int external,
    double externalGapMs,
    double maxSeconds) {
  static final String USAGE =
      "ClusterBench --writer URL --other URL --store postgresql://...?schema=S --token-file FILE"
          + " [--clients 1,2] [--writes 2000] [--warmup 100] [--propagation 2000]"
          + " [--propagation-gap-ms 100] [--external 2000] [--external-gap-ms 100] [--max-seconds 120]";

  ClusterOptions {
    clients = List.copyOf(clients);
    if (writes < 1 || propagation < 1 || external < 1 || warmup < 0) {
      throw new IllegalArgumentException(
          "--writes, --propagation and --external must be at least 1 and --warmup at least 0; "
              + USAGE);
    }
  }

  static ClusterOptions parse(String[] args) {
    String writer = null;
    String other = null;
    String store = null;
    String token = null;
    List<Integer> clients = List.of(1, 2);
    int writes = 2000;
    int warmup = 100;
    int propagation = 2000;
    double propagationGap = 100;
    int external = 2000;
    double gap = 100;
    double maxSeconds = 120;
    for (int i = 0; i < args.length; i++) {
      String v = i + 1 < args.length ? args[i + 1] : null;
      if (v == null) {
        throw new IllegalArgumentException(args[i] + " needs a value; " + USAGE);
      }
      switch (args[i]) {
        case "--writer" -> writer = v;
        case "--other" -> other = v;
        case "--store" -> store = v;
        case "--token-file" -> token = v;
        case "--clients" ->
            clients = Arrays.stream(v.split(",")).map(String::strip).map(Integer::valueOf).toList();
        case "--writes" -> writes = Integer.parseInt(v);
        case "--warmup" -> warmup = Integer.parseInt(v);
        case "--propagation" -> propagation = Integer.parseInt(v);
        case "--propagation-gap-ms" -> propagationGap = Double.parseDouble(v);
        case "--external" -> external = Integer.parseInt(v);
        case "--external-gap-ms" -> gap = Double.parseDouble(v);
        case "--max-seconds" -> maxSeconds = Double.parseDouble(v);
        default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; " + USAGE);
      }
      i++;
    }
    if (writer == null || other == null || store == null || token == null) {
      throw new IllegalArgumentException(
          "--writer, --other, --store and --token-file are needed; " + USAGE);
    }
    return new ClusterOptions(
        writer,
        other,
        store,
        token,
        clients,
        writes,
        warmup,
        propagation,
        propagationGap,
        external,
        gap,
        maxSeconds);
  }
}
