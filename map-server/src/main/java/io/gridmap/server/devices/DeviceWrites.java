package io.gridmap.server.devices;

import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.EventCategory;
import io.gridmap.layers.model.Feature;
import io.gridmap.server.incidents.Incidents;
import io.gridmap.server.incidents.Report;
import io.gridmap.server.live.PositionBatch;
import io.gridmap.server.live.Positions;
import io.gridmap.server.security.Principal;
import io.gridmap.server.security.Role;
import io.gridmap.server.web.ApiException;
import io.gridmap.server.web.Loaded;
import io.gridmap.server.write.Writer;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What device messages become (docs/devices.md):
 *
 * <ul>
 *   <li>an alarm of a device registered to a key site (its {@code devices} field) becomes an urgent
 *       incident at that site: heart rate, fall and SOS a {@code wristband_alarm}, smoke a {@code
 *       fire_hazard}; at a home it is personal. Its {@code request_key} is the device's {@code
 *       msg_id}, so a redelivery finds it and writes nothing, also after a restart;
 *   <li>a position of a force's tracker (device id {@code force-<force id>}) moves the force, by
 *       the rules of {@code POST /live/positions};
 *   <li>anything else (a low battery, a position of a site's device, an unregistered device) is
 *       taken and dropped ({@link Outcome#IGNORED}), logged: the broker must not redeliver it.
 * </ul>
 *
 * A refusal by the map (a site outside every grid) is dropped the same way; only a failure to write
 * (the store) fails the future, so that the broker delivers the message again.
 */
public final class DeviceWrites implements DeviceSink {
  private static final Logger LOG = LoggerFactory.getLogger(DeviceWrites.class);

  /** Who device alarms are written as: the audit log's actor. */
  static final Principal GATEWAY = new Principal("mqtt-devices", Role.REPORTER, "", "mqtt");

  /** The prefix of a force tracker's device id; the rest is the force id. */
  public static final String FORCE_PREFIX = "force-";

  private final Incidents incidents;
  private final Loaded<Writer> writer;
  private volatile Registry registry;

  private record Registry(LayerIndex sites, Map<String, Long> siteOfDevice) {}

  public DeviceWrites(Incidents incidents, Loaded<Writer> writer) {
    this.incidents = incidents;
    this.writer = writer;
  }

  @Override
  public CompletableFuture<Outcome> accept(DeviceMessage m) {
    if (m.isAlarm()) {
      return alarm(m);
    }
    if (m.deviceId().startsWith(FORCE_PREFIX)
        && m.deviceId().substring(FORCE_PREFIX.length()).matches("[0-9]{1,16}")) {
      return position(m, Long.parseLong(m.deviceId().substring(FORCE_PREFIX.length())));
    }
    return ignored(m, "a position of a device that tracks no force");
  }

  /** The site a device is registered to, from the key sites' {@code devices} field. */
  Long siteOf(String deviceId) {
    LayerIndex sites = incidents.content().index().layer(Catalogue.KEY_SITES.name());
    Registry r = registry;
    if (r == null || r.sites() != sites) {
      Map<String, Long> m = new HashMap<>();
      int devices = sites.def().fieldIndex("devices");
      for (Feature f : sites.features()) {
        if (f.value(devices) instanceof String s) {
          for (String d : s.split(" ")) {
            if (!d.isEmpty()) {
              m.put(d, f.id());
            }
          }
        }
      }
      registry = r = new Registry(sites, m);
    }
    return r.siteOfDevice().get(deviceId);
  }

  private CompletableFuture<Outcome> alarm(DeviceMessage m) {
    if (incidents.byRequestKey(m.requestKey()) != null) {
      return CompletableFuture.completedFuture(Outcome.DUPLICATE);
    }
    EventCategory category =
        switch (m.kind()) {
          case HEART_RATE, FALL, SOS -> EventCategory.WRISTBAND_ALARM;
          case SMOKE -> EventCategory.FIRE_HAZARD;
          default -> null;
        };
    if (category == null) {
      return ignored(m, "a " + m.kind().wireName() + " is no incident");
    }
    Long site = siteOf(m.deviceId());
    if (site == null) {
      return ignored(m, "the device is registered to no key site");
    }
    double lon = m.position() == null ? Double.NaN : m.position().lon();
    double lat = m.position() == null ? Double.NaN : m.position().lat();
    Report r =
        new Report(
            lon,
            lat,
            category.code(),
            true,
            describe(m),
            "device " + m.deviceId(),
            List.of(),
            m.time().toEpochMilli(),
            "device",
            site,
            m.deviceId(),
            m.requestKey());
    return incidents
        .report(GATEWAY, r)
        .handle(
            (done, failure) -> {
              if (failure == null) {
                return done.created() ? Outcome.APPLIED : Outcome.DUPLICATE;
              }
              Throwable cause = failure instanceof CompletionException c ? c.getCause() : failure;
              if (cause instanceof ApiException a && a.status() < 500) {
                LOG.warn(
                    "device {}: alarm {} dropped: {}", m.deviceId(), m.msgId(), a.getMessage());
                return Outcome.IGNORED;
              }
              throw new CompletionException(cause);
            });
  }

  /**
   * The time given to each force's last position that its device did not date, by force (at most
   * {@link #UNDATED_KEPT} forces, the least recent forgotten).
   */
  private final Map<Long, Long> undated =
      new java.util.LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
          return size() > UNDATED_KEPT;
        }
      };

  static final int UNDATED_KEPT = 100_000;

  /**
   * When a position happened, to the millisecond, as the newer-than rule compares it. A position
   * without a time of its own is dated when it was read; a burst read within one millisecond (what
   * the broker queued for a device while no node took messages) would then be "not newer" after its
   * first and dropped, leaving the force at an old position. One session delivers a device's
   * messages in the order it sent them, so each such position is dated at least a millisecond after
   * the last one of its force.
   */
  private long when(DeviceMessage m, long forceId) {
    long t = m.time().toEpochMilli();
    if (!m.datedOnReceipt()) {
      return t; // the device's own time
    }
    synchronized (undated) {
      Long last = undated.get(forceId);
      if (last != null && t <= last) {
        t = last + 1;
      }
      undated.put(forceId, t);
    }
    return t;
  }

  private CompletableFuture<Outcome> position(DeviceMessage m, long forceId) {
    PositionBatch batch =
        new PositionBatch(
            List.of(
                new PositionBatch.Position(
                    0, forceId, m.position().lon(), m.position().lat(), null, when(m, forceId))));
    Principal tracker = new Principal(Long.toString(forceId), Role.GRID_WORKER, "", "mqtt");
    return Positions.write(writer.get(), tracker, batch)
        .handle(
            (done, failure) -> {
              if (failure == null) {
                return done.accepted() > 0 ? Outcome.APPLIED : Outcome.DUPLICATE;
              }
              Throwable cause = failure instanceof CompletionException c ? c.getCause() : failure;
              if (cause instanceof ApiException a && a.status() < 500) {
                LOG.warn(
                    "device {}: position {} dropped: {}", m.deviceId(), m.msgId(), a.getMessage());
                return Outcome.IGNORED;
              }
              throw new CompletionException(cause);
            });
  }

  private static CompletableFuture<Outcome> ignored(DeviceMessage m, String why) {
    LOG.info("device {}: {} {} dropped: {}", m.deviceId(), m.kind().wireName(), m.msgId(), why);
    return CompletableFuture.completedFuture(Outcome.IGNORED);
  }

  /** The incident's text: what the device said, in the command centre's words. */
  static String describe(DeviceMessage m) {
    String v = m.value() == null ? "" : String.format(Locale.ROOT, " %.0f", m.value());
    return switch (m.kind()) {
      case HEART_RATE -> "手环告警：心率" + v + " 次/分";
      case FALL -> "手环告警：跌倒";
      case SOS -> "手环告警：紧急呼叫";
      case SMOKE -> "烟雾报警" + (v.isEmpty() ? "" : "：" + v.strip() + "%/m");
      default -> m.kind().wireName();
    };
  }
}
