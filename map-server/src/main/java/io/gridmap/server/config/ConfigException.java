package io.gridmap.server.config;

/** A configuration problem, with a message meant for the person running the server. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
