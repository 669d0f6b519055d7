package io.gridmap.server.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Every write, whoever makes it: one JSON entry each (time, actor, role, scope, how they
 * authenticated and with which credential, action, target, what changed), on disk before the write
 * is acknowledged, so the log survives a restart or a crash. Once the server's store is loaded the
 * entries go into the store, each in its write's transaction ({@link #keepIn}); before that, and
 * from the command line, they are lines appended to a file and forced to disk. Every write path
 * goes through {@link #record} or the writer; admins read it back with {@link #query}.
 */
public final class AuditLog implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path file;
  private final FileChannel channel;

  /**
   * The store that keeps the log in the write's transaction (PostGIS), once loaded; null: the file.
   */
  private volatile io.gridmap.layers.store.FeatureStore store;

  /** One entry. {@code changes} is what changed, as JSON-ready values. */
  public record Entry(
      Instant time,
      String actor,
      String role,
      String scope,
      String action,
      String target,
      Map<String, Object> changes) {}

  private AuditLog(Path file, FileChannel channel) {
    this.file = file;
    this.channel = channel;
  }

  public static AuditLog open(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      return new AuditLog(
          file,
          FileChannel.open(
              file,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.APPEND));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot open the audit log " + file + ": " + e.getMessage(), e);
    }
  }

  public Path file() {
    return file;
  }

  /** One entry to append. */
  public record Pending(
      Principal actor, String action, String target, Map<String, Object> changes) {}

  /**
   * From now on the log is the store's ({@link io.gridmap.layers.store.FeatureStore#keepsAudit}: a
   * PostGIS store's {@code audit_log} table, a GeoPackage store's): the writer hands each write's
   * entry ({@link #entry}) to the store with the write, so that entry and change are on disk
   * together after one commit; other entries go to the store by themselves. The file keeps what was
   * written before and what the command line writes (a token issued, a city generated or imported
   * while no server ran); {@link #query} reads both.
   */
  public void keepIn(io.gridmap.layers.store.FeatureStore store) {
    this.store = store.keepsAudit() ? store : null;
  }

  /** Whether the store keeps the log, so a write's entry goes with the write ({@link #entry}). */
  public boolean inStore() {
    return store != null;
  }

  /** Where the log is, for messages: the file, or the store and the file. */
  public String location() {
    io.gridmap.layers.store.FeatureStore s = store;
    return s == null
        ? file.toString()
        : "the audit_log table of " + s.location() + " (and " + file + " for the command line's)";
  }

  /** One entry as the log keeps it: a JSON object (time, actor, ..., changes). */
  public static String entry(Pending e) {
    return line(e.actor(), e.action(), e.target(), e.changes()).strip();
  }

  /** Appends an entry and forces it to disk. */
  public synchronized void record(
      Principal actor, String action, String target, Map<String, Object> changes) {
    recordAll(List.of(new Pending(actor, action, target, changes)));
  }

  /**
   * Appends entries in order and forces them to disk once: the writer's group of writes costs one
   * flush, not one per write. When it returns, every entry is on disk; when it throws, none of the
   * writes may proceed (some entries may have reached the file).
   */
  public synchronized void recordAll(List<Pending> entries) {
    io.gridmap.layers.store.FeatureStore s = store;
    if (s != null) {
      for (Pending e : entries) {
        s.audit(entry(e));
      }
      return;
    }
    StringBuilder all = new StringBuilder();
    for (Pending e : entries) {
      all.append(line(e.actor(), e.action(), e.target(), e.changes()));
    }
    byte[] bytes = all.toString().getBytes(StandardCharsets.UTF_8);
    try {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        channel.write(buf);
      }
      channel.force(false);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot write the audit log " + file + ": " + e.getMessage(), e);
    }
  }

  private static String line(
      Principal actor, String action, String target, Map<String, Object> changes) {
    ObjectNode n = JSON.createObjectNode();
    n.put("time", Instant.now().toString());
    n.put("actor", actor.subject());
    n.put("role", actor.role().code());
    n.put("scope", actor.scope());
    n.put("via", actor.via());
    n.put("credential", actor.credential());
    n.put("action", action);
    n.put("target", target);
    n.set("changes", JSON.valueToTree(changes));
    return n.toString() + "\n";
  }

  /**
   * The newest {@code limit} entries that {@code filter} accepts, newest first: the store's and the
   * file's merged by their time when the store keeps the log.
   */
  public List<JsonNode> query(Predicate<JsonNode> filter, int limit) {
    List<JsonNode> fromFile = queryFile(filter, limit);
    io.gridmap.layers.store.FeatureStore s = store;
    if (s == null) {
      return fromFile;
    }
    List<JsonNode> fromStore = new ArrayList<>();
    s.readAudit(
        text -> {
          try {
            JsonNode n = JSON.readTree(text);
            if (filter.test(n)) {
              fromStore.add(n);
            }
          } catch (IOException e) {
            throw new IllegalStateException("an audit entry is not JSON: " + e.getMessage(), e);
          }
          return fromStore.size() < limit;
        });
    List<JsonNode> out = new ArrayList<>(Math.min(limit, fromStore.size() + fromFile.size()));
    int i = 0;
    int j = 0;
    while (out.size() < limit && (i < fromStore.size() || j < fromFile.size())) {
      boolean storeNext =
          j == fromFile.size()
              || (i < fromStore.size() && !time(fromStore.get(i)).isBefore(time(fromFile.get(j))));
      out.add(storeNext ? fromStore.get(i++) : fromFile.get(j++));
    }
    return out;
  }

  /** An entry's time, or the epoch for one without a readable time (sorted last). */
  private static Instant time(JsonNode entry) {
    try {
      return Instant.parse(entry.path("time").asText(""));
    } catch (java.time.format.DateTimeParseException e) {
      return Instant.EPOCH;
    }
  }

  private List<JsonNode> queryFile(Predicate<JsonNode> filter, int limit) {
    Deque<JsonNode> newest = new ArrayDeque<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode n;
        try {
          n = JSON.readTree(line);
        } catch (IOException torn) {
          continue; // a line torn by a crash mid-write is skipped, never fatal
        }
        if (filter.test(n)) {
          newest.addFirst(n);
          if (newest.size() > limit) {
            newest.removeLast();
          }
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot read the audit log " + file + ": " + e.getMessage(), e);
    }
    return new ArrayList<>(newest);
  }

  @Override
  public synchronized void close() throws IOException {
    channel.close();
  }
}
