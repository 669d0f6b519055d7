package io.gridmap.server.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The HMAC secret that signs and checks tokens (HS256). Read from a file; when the file does not
 * exist it is created with 256 random bits, readable by its owner only, so that {@code mapserver
 * token} and {@code mapserver serve} on one machine agree without any set-up.
 */
public final class TokenKeys {
  private TokenKeys() {}

  /** The secret in {@code file}, created first if absent. */
  public static String loadOrCreate(Path file) {
    try {
      if (Files.exists(file)) {
        String s = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (s.length() < 32) {
          throw new IllegalArgumentException(
              "token secret "
                  + file
                  + " is too short ("
                  + s.length()
                  + " characters); it needs at least 32: delete it to have a new one made");
        }
        return s;
      }
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      byte[] bytes = new byte[32];
      new SecureRandom().nextBytes(bytes);
      String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      try {
        // owner-only from the moment it exists: no window in which others could read it
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException notPosix) {
        Files.createFile(file);
      } catch (java.nio.file.FileAlreadyExistsException raced) {
        // another process (a server and `mapserver token`) made it first: use theirs once written
        for (int i = 0; i < 20 && Files.size(file) < 32; i++) {
          try {
            Thread.sleep(50);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            break;
          }
        }
        return loadOrCreate(file);
      }
      Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
      return secret;
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read or create the token secret " + file + ": " + e.getMessage(), e);
    }
  }
}
