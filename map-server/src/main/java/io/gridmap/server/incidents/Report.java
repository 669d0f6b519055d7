package io.gridmap.server.incidents;

import java.util.List;

/**
 * One report of an incident, however it came in (a phone, another system, Open311, a device): the
 * one model the three ways in share. Coordinates are WGS84 by now (converted from GCJ-02 or BD-09
 * on the way in).
 *
 * @param lon longitude, WGS84; NaN when the report names a site instead
 * @param lat latitude, WGS84; NaN when the report names a site instead
 * @param category an {@link io.gridmap.layers.model.EventCategory} code
 * @param urgent true for an urgent incident
 * @param description what the reporter wrote (may be empty)
 * @param reporter who reported (personal; may be empty)
 * @param photos photo URLs
 * @param time when it happened or was reported, epoch millis
 * @param source worker, system, open311 or device
 * @param siteId the key site it happened at (a device's home), or null
 * @param deviceId the device that raised it, or null
 * @param requestKey what makes a retry the same report (the caller and its Idempotency-Key, or the
 *     device and its msg_id), or null
 */
public record Report(
    double lon,
    double lat,
    String category,
    boolean urgent,
    String description,
    String reporter,
    List<String> photos,
    long time,
    String source,
    Long siteId,
    String deviceId,
    String requestKey) {
  public Report {
    photos = photos == null ? List.of() : List.copyOf(photos);
  }
}
