package io.gridmap.layers.testing;

/** GDAL's {@code ogrinfo} as an independent reader of our stores ({@link GdalTool}). */
public final class Ogrinfo {
  private Ogrinfo() {}

  /** Runs ogrinfo with {@code args}; fails the test unless it exits 0 within 60 s. */
  public static GdalTool.Result run(String... args) {
    return GdalTool.run("ogrinfo", "", args);
  }
}
