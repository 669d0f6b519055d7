package io.gridmap.layers.store;

import java.util.concurrent.locks.LockSupport;

/**
 * Named places in the store's write path where a crash test stops the writer, to kill the process
 * there and see what the store holds after. Off unless the JVM starts with {@code
 * -Dgridmap.failpoint=NAME} (never a setting of the config file); then the thread that reaches NAME
 * prints {@code failpoint NAME: parked} to standard error and parks for good, holding whatever it
 * holds open (a transaction, a lock), until the process is killed.
 *
 * <p>Hand-written: a few lines where a fault-injection library would bring an agent and a DSL.
 */
public final class Failpoint {
  private Failpoint() {}

  /** Inside a change's transaction, its rows written, before the commit. */
  public static final String BEFORE_COMMIT = "store.before-commit";

  /** Right after a change's commit, before the writer hears of it. */
  public static final String AFTER_COMMIT = "store.after-commit";

  /**
   * Inside an import's transaction ({@code replaceLayer}), every row written, before the commit.
   */
  public static final String IMPORT_BEFORE_COMMIT = "store.import-before-commit";

  private static final String ARMED = System.getProperty("gridmap.failpoint", "");

  /** Parks the calling thread for good when {@code name} is the armed failpoint. */
  public static void hit(String name) {
    if (!ARMED.equals(name)) {
      return;
    }
    System.err.println("failpoint " + name + ": parked");
    System.err.flush();
    while (true) {
      LockSupport.park();
    }
  }
}
