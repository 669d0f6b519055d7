package io.gridmap.importer.generate;

/**
 * The devices registered at a generated home of an elderly person living alone: a wristband (heart
 * rate, fall) and a smoke detector, with ids made from the site's id, {@code wb-<site id>} and
 * {@code smoke-<site id>}, so that a device's id says where it is registered without a lookup and
 * stays the same for a seed. A site's {@code devices} attribute lists them space-separated.
 */
public final class Devices {
  public static final String WRISTBAND_PREFIX = "wb-";
  public static final String SMOKE_DETECTOR_PREFIX = "smoke-";

  private Devices() {}

  public static String wristband(long siteId) {
    return WRISTBAND_PREFIX + siteId;
  }

  public static String smokeDetector(long siteId) {
    return SMOKE_DETECTOR_PREFIX + siteId;
  }

  /** The {@code devices} attribute of a home: its wristband and its smoke detector. */
  public static String atHome(long siteId) {
    return wristband(siteId) + " " + smokeDetector(siteId);
  }
}
