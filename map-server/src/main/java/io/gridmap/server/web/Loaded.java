package io.gridmap.server.web;

import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * A part of the server that exists only once the map is in memory (the content, the writer). The
 * server listens before it has loaded, so a route asks for the part when a request comes and gets a
 * 503 problem while loading, never a null.
 *
 * @param <T> the part
 */
public final class Loaded<T> {
  private final Promise<T> promise = Promise.promise();
  private volatile T value;
  private volatile String error;

  /** The part, or a 503 problem that says the map is still loading (or why loading failed). */
  public T get() {
    T v = value;
    if (v == null) {
      throw ApiException.unavailable(
          error == null
              ? "the map is still loading; /health says when it is ready"
              : "the map failed to load: " + error);
    }
    return v;
  }

  /** The part, or null while loading. */
  public T getOrNull() {
    return value;
  }

  /** Completes once the part is there. */
  public Future<T> ready() {
    return promise.future();
  }

  /** Why loading failed, or null. */
  public String error() {
    return error;
  }

  /** Called once by the loader. */
  public void complete(T v) {
    value = v;
    promise.complete(v);
  }

  /** Called once by the loader when it failed. */
  public void fail(Throwable e) {
    error = e.getMessage() == null ? e.toString() : e.getMessage();
    promise.fail(e);
  }
}
