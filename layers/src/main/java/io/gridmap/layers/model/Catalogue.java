package io.gridmap.layers.model;

import static io.gridmap.layers.model.FieldType.BOOLEAN;
import static io.gridmap.layers.model.FieldType.INTEGER;
import static io.gridmap.layers.model.FieldType.REAL;
import static io.gridmap.layers.model.FieldType.STRING;
import static io.gridmap.layers.model.FieldType.TIMESTAMP;

import java.util.List;
import java.util.Optional;

/**
 * The layers of the map. The zoom ranges are DESIGN.md's zoom table; the derived {@code labels}
 * tile layer is not a stored layer and lives in the tiler.
 */
public final class Catalogue {
  private Catalogue() {}

  /**
   * The {@code code} of a key site or a force. The feature's id is a shorter number (see {@link
   * Feature#ID_LIMIT}); a 17-digit code is beyond what a JavaScript number holds, so it is a
   * string.
   */
  private static final String POINT_CODE =
      "17 digits: the grid code and a 2-digit number in the grid (00: its full-time worker)";

  public static final LayerDef DISTRICTS =
      new LayerDef(
          "districts",
          "Districts (区县)",
          GeometryKind.POLYGON,
          List.of(
              Field.tiled("code", STRING, "GB/T 2260 district code, 6 digits"),
              Field.tiled("name", STRING, "district name"),
              Field.tiled("population", INTEGER, "residents"),
              Field.plain("households", INTEGER, "households"),
              Field.plain("urban", BOOLEAN, "one of the nine main urban districts")),
          0,
          14,
          true,
          false);

  public static final LayerDef STREETS =
      new LayerDef(
          "streets",
          "Streets and towns (镇街)",
          GeometryKind.POLYGON,
          List.of(
              Field.tiled("code", STRING, "street code, 9 digits (district code + 3)"),
              Field.tiled("name", STRING, "name ending in 街道, 镇 or 乡"),
              Field.tiled("kind", STRING, "subdistrict, town or township"),
              Field.plain("district_code", STRING, "parent district code"),
              Field.tiled("population", INTEGER, "residents"),
              Field.plain("households", INTEGER, "households"),
              Field.plain("centre_lon", REAL, "command centre longitude (WGS84)"),
              Field.plain("centre_lat", REAL, "command centre latitude (WGS84)")),
          7,
          14,
          true,
          false);

  public static final LayerDef VILLAGES =
      new LayerDef(
          "villages",
          "Villages and communities (村/社区)",
          GeometryKind.POLYGON,
          List.of(
              Field.tiled("code", STRING, "village code, 12 digits (street code + 3)"),
              Field.tiled("name", STRING, "name ending in 社区 or 村"),
              Field.tiled("kind", STRING, "community (urban) or village (rural)"),
              Field.plain("street_code", STRING, "parent street code"),
              Field.plain("district_code", STRING, "district code"),
              Field.tiled("population", INTEGER, "residents"),
              Field.plain("households", INTEGER, "households")),
          10,
          14,
          true,
          false);

  public static final LayerDef GRIDS =
      new LayerDef(
          "grids",
          "Management grids (网格)",
          GeometryKind.POLYGON,
          List.of(
              Field.tiled("code", STRING, "grid code, 15 digits (village code + 3)"),
              Field.tiled("name", STRING, "第N网格"),
              Field.plain("village_code", STRING, "parent village code"),
              Field.plain("street_code", STRING, "street code"),
              Field.plain("district_code", STRING, "district code"),
              Field.tiled("population", INTEGER, "residents"),
              Field.tiled("households", INTEGER, "households"),
              Field.plain("worker_id", INTEGER, "id of the grid's full-time worker in forces"),
              Field.personal("worker_name", STRING, "name of the full-time grid worker")),
          12,
          14,
          true,
          false);

  public static final LayerDef KEY_SITES =
      new LayerDef(
          "key_sites",
          "Key sites (重点场所)",
          GeometryKind.POINT,
          List.of(
              Field.tiled("category", STRING, "school, clinic, canteen, enterprise, ..."),
              Field.tiled("name", STRING, "site name"),
              Field.plain("grid_code", STRING, "grid containing the site"),
              Field.plain("code", STRING, POINT_CODE),
              Field.personal(
                  "devices",
                  STRING,
                  "ids of the devices registered here (wristbands, smoke detectors),"
                      + " space-separated: their alarms become incidents at this site")),
          10,
          14,
          false,
          false);

  public static final LayerDef FORCES =
      new LayerDef(
          "forces",
          "Grid forces (网格力量)",
          GeometryKind.POINT,
          List.of(
              Field.tiled(
                  "role",
                  STRING,
                  "grid_worker, part_timer, police, utility, clinic_doctor, party_member,"
                      + " volunteer or delivery_rider"),
              Field.tiled("on_duty", BOOLEAN, "on duty now"),
              Field.plain("grid_code", STRING, "grid the person serves"),
              Field.personal("name", STRING, "the person's name"),
              Field.plain("updated_at", TIMESTAMP, "time of the last position"),
              Field.plain("code", STRING, POINT_CODE)),
          10,
          14,
          false,
          true);

  /**
   * Incidents (网格事件): reported, dispatched and closed in a loop (see {@link IncidentState}). The
   * first seven fields are the generated history's; the rest carry the loop. Fields that name a
   * person (the reporter, the device, who acknowledged, the notes) are personal.
   */
  public static final LayerDef EVENTS =
      new LayerDef(
          "events",
          "Events (网格事件)",
          GeometryKind.POINT,
          List.of(
              Field.tiled("category", STRING, "incident category"),
              Field.tiled("board", STRING, "party_building, economy, livelihood or safety_law"),
              Field.tiled("urgency", STRING, "normal or urgent"),
              Field.tiled(
                  "status",
                  STRING,
                  "reported, dispatched, accepted, on_site, resolved, verified, closed, escalated or"
                      + " rejected"),
              Field.plain("reported_at", TIMESTAMP, "time reported"),
              Field.plain("closed_at", TIMESTAMP, "time closed or rejected, null while open"),
              Field.plain("grid_code", STRING, "grid containing the event"),
              Field.plain("description", STRING, "what the reporter wrote"),
              Field.personal("reporter", STRING, "who reported it (name, phone or account)"),
              Field.plain("source", STRING, "worker, system, open311, device or generated"),
              Field.plain("photos", STRING, "photo URLs, space-separated"),
              Field.plain("assignee_id", INTEGER, "force id of the grid worker it is assigned to"),
              Field.plain(
                  "department", STRING, "police, urban_management or utilities when escalated"),
              Field.tiled("pinned", BOOLEAN, "pinned by a command centre"),
              Field.personal("acked_by", STRING, "who acknowledged the alarm, space-separated"),
              Field.plain("due_at", TIMESTAMP, "when the next step is due"),
              Field.tiled("overdue", BOOLEAN, "the next step is past due"),
              Field.plain("duplicate_of", INTEGER, "the first report of the same thing"),
              Field.plain("site_id", INTEGER, "the key site it happened at (a device's home)"),
              Field.personal("device_id", STRING, "the device that raised the alarm"),
              Field.plain("updated_at", TIMESTAMP, "time of the last transition"),
              Field.plain("revision", INTEGER, "1 when reported, +1 per transition (the ETag)"),
              Field.personal("note", STRING, "the note of the last transition"),
              Field.personal(
                  "responders",
                  STRING,
                  "nearest on-duty forces sent to an urgent incident: force_id:metres,"
                      + " space-separated"),
              Field.personal(
                  "request_key",
                  STRING,
                  "the reporter's Idempotency-Key or the device's msg_id: a retry finds it")),
          8,
          14,
          false,
          true);

  /** Every stored layer, parents before children. */
  public static final List<LayerDef> ALL =
      List.of(DISTRICTS, STREETS, VILLAGES, GRIDS, KEY_SITES, FORCES, EVENTS);

  /** The admin levels, top down; each tiles its parent. */
  public static final List<LayerDef> ADMIN_LEVELS = List.of(DISTRICTS, STREETS, VILLAGES, GRIDS);

  public static Optional<LayerDef> byName(String name) {
    return ALL.stream().filter(l -> l.name().equals(name)).findFirst();
  }
}
