package io.gridmap.server.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * API keys for machine clients. The file holds one key per line, {@code sha256-hex role scope
 * name}, never the key itself, so a leaked file grants nothing. {@code mapserver token --api-key}
 * appends to it.
 */
public final class ApiKeys {
  private final Map<String, Principal> byHash;

  private ApiKeys(Map<String, Principal> byHash) {
    this.byHash = Map.copyOf(byHash);
  }

  public static ApiKeys none() {
    return new ApiKeys(Map.of());
  }

  /** Reads the keys file; a missing file means no keys. Errors name the file and the line. */
  public static ApiKeys load(Path file) {
    if (file == null || !Files.exists(file)) {
      return none();
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read API keys file " + file + ": " + e.getMessage(), e);
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
    return new ApiKeys(keys);
  }

  /** The principal of a presented key, if it is one of ours. */
  public Optional<Principal> find(String presentedKey) {
    return Optional.ofNullable(byHash.get(Principal.sha256(presentedKey)));
  }

  /** A key's credential id: the start of the hash that begins its line in the file. */
  public static String credentialId(String key) {
    return Principal.idOfHash(Principal.sha256(key));
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
