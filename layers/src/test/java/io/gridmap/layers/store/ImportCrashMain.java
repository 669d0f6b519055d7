package io.gridmap.layers.store;

import io.gridmap.layers.testing.TestImports;

/**
 * The child process of {@link ImportCrashTest}: re-imports the parks into the store at {@code
 * args[0]}. Started with {@code -Dgridmap.failpoint=store.import-before-commit}, it parks inside
 * the import's transaction with every row written, until it is killed.
 */
public final class ImportCrashMain {
  private ImportCrashMain() {}

  public static void main(String[] args) {
    try (FeatureStore store = Stores.open(args[0])) {
      store.replaceLayer(TestImports.parksAgain());
    }
    System.err.println("import committed: the failpoint was not armed");
  }
}
