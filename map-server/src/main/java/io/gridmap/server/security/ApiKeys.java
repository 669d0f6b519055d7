package io.gridmap.server.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API keys for machine clients. The file holds one key per line, {@code sha256-hex role scope
 * name}, never the key itself, so a leaked file grants nothing. {@code mapserver token --api-key}
 * appends to it.
 *
 * <p>A running server follows the file: a lookup at most once a second compares the file's
 * modification time, size and identity with those it last read, and reads it again when they
 * differ, so keys added or removed work or stop within about a second, without a restart and
 * without a polling thread. A file broken on such a reload leaves the keys read before in place and
 * is reported in one log line.
 */
public final class ApiKeys {
  private static final Logger LOG = LoggerFactory.getLogger(ApiKeys.class);

  /** How often a lookup may look at the file: a stat call, then a read only if it changed. */
  static final Duration CHECK_EVERY = Duration.ofSeconds(1);

  /**
   * A file changed again within this time of a read may keep its time stamp and size (file systems
   * with coarse time stamps, a key swapped for one of the same length), so such a read is not
   * trusted and the file is read again at the next check.
   */
  private static final Duration SETTLE = Duration.ofSeconds(2);

  private final Path file;
  private volatile Snapshot current;
  private final AtomicLong nextCheck;
  private volatile String lastFailure;

  /** The keys of one reading of the file and what the file looked like then. */
  private record Snapshot(Map<String, Principal> byHash, Stamp stamp, boolean settled) {}

  /** What tells a changed file from an unchanged one without reading it; all null when absent. */
  private record Stamp(FileTime modified, long size, Object identity) {
    static final Stamp ABSENT = new Stamp(null, -1, null);

    static Stamp of(Path file) throws IOException {
      try {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return new Stamp(a.lastModifiedTime(), a.size(), a.fileKey());
      } catch (NoSuchFileException e) {
        return ABSENT;
      }
    }
  }

  private ApiKeys(Path file, Snapshot current, long nowNanos) {
    this.file = file;
    this.current = current;
    this.nextCheck = new AtomicLong(nowNanos + CHECK_EVERY.toNanos());
  }

  /** No keys, and no file to follow. */
  public static ApiKeys none() {
    return new ApiKeys(null, new Snapshot(Map.of(), Stamp.ABSENT, true), System.nanoTime());
  }

  /**
   * Reads the keys file and follows it from then on; a missing file means no keys (until one is
   * written). Errors name the file and the line.
   */
  public static ApiKeys load(Path file) {
    return load(file, System.nanoTime());
  }

  static ApiKeys load(Path file, long nowNanos) {
    if (file == null) {
      return none();
    }
    try {
      Stamp stamp = Stamp.of(file);
      return new ApiKeys(file, new Snapshot(parse(file), stamp, settled(stamp)), nowNanos);
    } catch (IOException e) {
      throw unreadable(file, e);
    }
  }

  /** The principal of a presented key, if it is one of ours. */
  public Optional<Principal> find(String presentedKey) {
    return find(presentedKey, System.nanoTime());
  }

  Optional<Principal> find(String presentedKey, long nowNanos) {
    refreshIfDue(nowNanos);
    return Optional.ofNullable(current.byHash().get(Principal.sha256(presentedKey)));
  }

  /** A key's credential id: the start of the hash that begins its line in the file. */
  public static String credentialId(String key) {
    return Principal.idOfHash(Principal.sha256(key));
  }

  /** How many keys are in force. */
  int size() {
    return current.byHash().size();
  }

  /**
   * Reads the file again when a second has passed since the last look and it has changed. One
   * caller at a time gets the turn; the others go on with the keys they have.
   */
  private void refreshIfDue(long nowNanos) {
    long due = nextCheck.get();
    if (file == null
        || nowNanos - due < 0
        || !nextCheck.compareAndSet(due, nowNanos + CHECK_EVERY.toNanos())) {
      return;
    }
    Snapshot before = current;
    Stamp stamp;
    try {
      // the stamp before the content: a change after it is seen by the next check
      stamp = Stamp.of(file);
    } catch (IOException e) {
      reportFailure(unreadable(file, e).getMessage(), before);
      return;
    }
    if (before.settled() && stamp.equals(before.stamp())) {
      return;
    }
    try {
      Map<String, Principal> keys = parse(file);
      current = new Snapshot(keys, stamp, settled(stamp));
      if (!keys.equals(before.byHash()) || lastFailure != null) {
        LOG.info("API keys: {} keys in force from {}", keys.size(), file);
      }
      lastFailure = null;
    } catch (IllegalArgumentException e) {
      // this version of the file is judged: read again only when it changes
      current = new Snapshot(before.byHash(), stamp, settled(stamp));
      reportFailure(e.getMessage(), before);
    }
  }

  /** One log line per distinct failure, however often the broken file is looked at. */
  private void reportFailure(String failure, Snapshot kept) {
    if (!Objects.equals(failure, lastFailure)) {
      LOG.warn("API keys: {}; keeping the {} keys read before", failure, kept.byHash().size());
    }
    lastFailure = failure;
  }

  private static boolean settled(Stamp stamp) {
    return stamp.modified() == null
        || stamp.modified().toInstant().isBefore(Instant.now().minus(SETTLE));
  }

  private static IllegalArgumentException unreadable(Path file, IOException e) {
    return new IllegalArgumentException(
        "cannot read API keys file " + file + ": " + e.getMessage(), e);
  }

  /** The keys in the file, by hash; none when it does not exist. Errors name the file and line. */
  private static Map<String, Principal> parse(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Map.of();
    } catch (IOException e) {
      throw unreadable(file, e);
    }
    Map<String, Principal> keys = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] p = line.split("\\s+");
      String where = file + ":" + (i + 1) + ": ";
      if (p.length != 4 || !p[0].matches("[0-9a-f]{64}")) {
        throw new IllegalArgumentException(
            where
                + "expected 'sha256-hex role scope name' (scope '-' for the whole city) but found '"
                + line
                + "'");
      }
      Role role =
          Role.ofCode(p[1])
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          where + "unknown role '" + p[1] + "'; roles: " + Role.codes()));
      try {
        keys.put(
            p[0],
            Principal.ofCredential(
                p[3], role, "-".equals(p[2]) ? "" : p[2], "api_key", Principal.idOfHash(p[0])));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + e.getMessage(), e);
      }
    }
    return Map.copyOf(keys);
  }

  /**
   * Makes a new random key for {@code principal}, appends its hash to {@code file}, returns the
   * key.
   */
  public static String create(Path file, Principal principal) {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    String key = "gm_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    String line =
        Principal.sha256(key)
            + " "
            + principal.role().code()
            + " "
            + (principal.scope().isEmpty() ? "-" : principal.scope())
            + " "
            + principal.subject()
            + "\n";
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(
          file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot write API keys file " + file + ": " + e.getMessage(), e);
    }
    return key;
  }
}
