package io.gridmap.styles;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridmap.layers.model.Board;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a map legend shows for one theme: every class the style colours, with the colour it is
 * painted in and the layer that paints it. Built from the same palettes as the style, so the two
 * cannot drift apart.
 */
public record Legend(String themeId, List<Legend.Entry> entries) {

  /** Legend groups, in display order. */
  public static final List<String> GROUPS =
      List.of("boundaries", "boards", "alerts", "key_sites", "forces", "clusters");

  /**
   * One legend line.
   *
   * @param group one of {@link #GROUPS}
   * @param key attribute value or class key, e.g. {@code safety_law}, {@code school}
   * @param label Chinese label
   * @param colour the paint colour
   * @param layerId the style layer that paints this class
   */
  public record Entry(String group, String key, String label, Colour colour, String layerId) {
    public Entry {
      Objects.requireNonNull(group, "group");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(label, "label");
      Objects.requireNonNull(colour, "colour");
      Objects.requireNonNull(layerId, "layerId");
      if (!GROUPS.contains(group)) {
        throw new IllegalArgumentException("legend group '" + group + "' is not one of " + GROUPS);
      }
    }
  }

  public Legend {
    Objects.requireNonNull(themeId, "themeId");
    entries = List.copyOf(entries);
  }

  public static Legend of(Theme t) {
    List<Entry> e = new ArrayList<>();
    e.add(new Entry("boundaries", "district", "区县界", t.districtLine(), StyleLayers.DISTRICTS_LINE));
    e.add(new Entry("boundaries", "street", "镇街界", t.streetLine(), StyleLayers.STREETS_LINE));
    e.add(new Entry("boundaries", "village", "村/社区界", t.villageLine(), StyleLayers.VILLAGES_LINE));
    e.add(new Entry("boundaries", "grid", "网格界", t.gridLine(), StyleLayers.GRIDS_LINE));
    for (Board b : Board.values()) {
      e.add(
          new Entry(
              "boards",
              b.code(),
              b.chineseName(),
              BoardColour.of(b).colour(),
              StyleLayers.events(b)));
    }
    e.add(new Entry("alerts", "urgent", "紧急事件", AlertPalette.URGENT, StyleLayers.EVENTS_URGENT));
    for (SiteColour c : SiteColour.values()) {
      e.add(new Entry("key_sites", c.code(), c.label(), c.colour(), StyleLayers.KEY_SITES));
    }
    e.add(new Entry("key_sites", "other", "其他场所", SiteColour.OTHER_COLOUR, StyleLayers.KEY_SITES));
    for (ForceColour r : ForceColour.values()) {
      e.add(new Entry("forces", r.code(), r.label(), r.colour(), StyleLayers.FORCES));
    }
    e.add(new Entry("forces", "off_duty", "不在岗", ForceColour.OFF_DUTY_COLOUR, StyleLayers.FORCES));
    e.add(new Entry("clusters", "cluster", "聚合（数字为数量）", t.cluster(), StyleLayers.EVENTS_CLUSTER));
    return new Legend(t.id(), e);
  }

  public List<Entry> group(String group) {
    return entries.stream().filter(x -> x.group().equals(group)).toList();
  }

  /**
   * JSON for the viewer: {@code {"theme": id, "entries": [{group, key, label, colour, layer}]}}.
   */
  public ObjectNode toJson() {
    ObjectNode root = Expr.NODES.objectNode();
    root.put("theme", themeId);
    ArrayNode list = root.putArray("entries");
    for (Entry x : entries) {
      ObjectNode o = list.addObject();
      o.put("group", x.group());
      o.put("key", x.key());
      o.put("label", x.label());
      o.put("colour", x.colour().hex());
      o.put("layer", x.layerId());
    }
    return root;
  }
}
