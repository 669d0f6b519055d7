package io.gridmap.layers.query.count;

import io.gridmap.layers.index.AdminLevel;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Feature;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Counts selected features by a key: an admin unit (from the 15-digit grid code a point carries,
 * whose prefixes are its village, street and district), an attribute value, or a time bucket.
 */
public final class GroupCounter {
  /** Time buckets are in China Standard Time, the city's clock. */
  public static final ZoneId CITY_TIME = ZoneId.of("Asia/Shanghai");

  private GroupCounter() {}

  /** One group: its key, a display name (admin units), and its count. */
  public record Group(String key, String name, long count) {}

  /** Counts by key; null keys are counted under "null". Sorted by count, descending, then key. */
  public static List<Group> byKey(
      LayerIndex layer,
      int[] ordinals,
      Function<Feature, String> key,
      Function<String, String> name) {
    Map<String, long[]> counts = new HashMap<>();
    for (int o : ordinals) {
      String k = key.apply(layer.feature(o));
      counts.computeIfAbsent(k == null ? "null" : k, x -> new long[1])[0]++;
    }
    List<Group> out = new ArrayList<>();
    counts.forEach((k, v) -> out.add(new Group(k, name == null ? null : name.apply(k), v[0])));
    out.sort(Comparator.comparingLong(Group::count).reversed().thenComparing(Group::key));
    return out;
  }

  /** The admin code of a level from a code of that level or below (codes tell their ancestry). */
  public static String adminPrefix(String code, AdminLevel level) {
    int digits =
        switch (level) {
          case DISTRICT -> 6;
          case STREET -> 9;
          case VILLAGE -> 12;
          case GRID -> 15;
        };
    return code == null || code.length() < digits ? null : code.substring(0, digits);
  }

  /** Time buckets. */
  public enum Bucket {
    HOUR_OF_DAY,
    DAY,
    WEEK,
    MONTH;

    /**
     * The bucket's key for an instant, e.g. "2026-03" (month), "2026-W09" (ISO week), "2026-03-01"
     * (day), "08" (hour of day).
     */
    public String key(long epochMillis) {
      ZonedDateTime t = Instant.ofEpochMilli(epochMillis).atZone(CITY_TIME);
      return switch (this) {
        case HOUR_OF_DAY -> String.format("%02d", t.getHour());
        case DAY -> t.toLocalDate().toString();
        case WEEK ->
            String.format(
                "%d-W%02d",
                t.get(IsoFields.WEEK_BASED_YEAR), t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
        case MONTH -> String.format("%d-%02d", t.getYear(), t.getMonthValue());
      };
    }
  }

  /** Counts by time bucket of a timestamp field; sorted by key (chronological). */
  public static List<Group> byTime(LayerIndex layer, int[] ordinals, int timeField, Bucket bucket) {
    Map<String, long[]> counts = new HashMap<>();
    for (int o : ordinals) {
      Object v = layer.feature(o).value(timeField);
      if (v != null) {
        counts.computeIfAbsent(bucket.key((Long) v), x -> new long[1])[0]++;
      }
    }
    List<Group> out = new ArrayList<>();
    counts.forEach((k, v) -> out.add(new Group(k, null, v[0])));
    out.sort(Comparator.comparing(Group::key));
    return out;
  }
}
