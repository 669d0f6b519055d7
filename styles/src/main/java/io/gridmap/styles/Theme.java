package io.gridmap.styles;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The base colours of one style: background, boundaries, labels and clusters. Board, site and force
 * colours are shared by every theme ({@link BoardColour}, {@link SiteColour}, {@link ForceColour})
 * so that a board looks the same on a desk and on the command-centre wall.
 *
 * @param id style id as served at {@code /styles/{id}.json}
 * @param name human name, written into the style's {@code name}
 * @param background the map's background (outside every district)
 * @param land fill of the districts
 * @param communityFill fill of urban communities (village kind {@code community})
 * @param ruralFill fill of rural villages (village kind {@code village})
 * @param districtLine district boundary
 * @param districtCasing wide soft line under the district boundary so it reads over any fill
 * @param streetLine street (镇街) boundary
 * @param villageLine village/community boundary
 * @param gridLine grid boundary
 * @param gridLabel grid names, in the grid's hue but light or dark enough to read
 * @param labelText label text
 * @param labelHalo halo around label text
 * @param pointStroke outline of point symbols
 * @param cluster fill of cluster circles
 * @param clusterText count in a cluster circle
 */
public record Theme(
    String id,
    String name,
    Colour background,
    Colour land,
    Colour communityFill,
    Colour ruralFill,
    Colour districtLine,
    Colour districtCasing,
    Colour streetLine,
    Colour villageLine,
    Colour gridLine,
    Colour gridLabel,
    Colour labelText,
    Colour labelHalo,
    Colour pointStroke,
    Colour cluster,
    Colour clusterText) {

  public Theme {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    for (Colour c :
        new Colour[] {
          background,
          land,
          communityFill,
          ruralFill,
          districtLine,
          districtCasing,
          streetLine,
          villageLine,
          gridLine,
          gridLabel,
          labelText,
          labelHalo,
          pointStroke,
          cluster,
          clusterText
        }) {
      Objects.requireNonNull(c, "theme " + id + " has a missing colour");
    }
  }

  /** The default light style: paper background, violet admin boundaries, blue grids. */
  public static final Theme LIGHT =
      new Theme(
          "default",
          "gridmap default",
          Colour.hex("#ece9e2"),
          Colour.hex("#f7f5f0"),
          Colour.hex("#efe7dd"),
          Colour.hex("#e8f0e0"),
          Colour.hex("#5b3f8c"),
          Colour.hex("#ffffff"),
          Colour.hex("#8c7bbb"),
          Colour.hex("#a398c8"),
          Colour.hex("#4a8cc2"),
          Colour.hex("#2f6f9f"),
          Colour.hex("#2b2b2b"),
          Colour.hex("#ffffff"),
          Colour.hex("#ffffff"),
          Colour.hex("#607d8b"),
          Colour.hex("#ffffff"));

  /** The dark "command centre" style for wall screens: navy ground, cyan boundaries. */
  public static final Theme DARK =
      new Theme(
          "dark",
          "gridmap command centre",
          Colour.hex("#07111c"),
          Colour.hex("#0d1b2a"),
          Colour.hex("#13263a"),
          Colour.hex("#102a26"),
          Colour.hex("#5cc8ff"),
          Colour.hex("#0a4a70"),
          Colour.hex("#3a9bd9"),
          Colour.hex("#2f7aa8"),
          Colour.hex("#2c6a8f"),
          Colour.hex("#7fb8dc"),
          Colour.hex("#d6e6f5"),
          Colour.hex("#07111c"),
          Colour.hex("#0d1b2a"),
          Colour.hex("#37576e"),
          Colour.hex("#e8f4ff"));

  /** Every theme, in the order {@code /styles} lists them. */
  public static final List<Theme> ALL = List.of(LIGHT, DARK);

  public static Optional<Theme> byId(String id) {
    return ALL.stream().filter(t -> t.id.equals(id)).findFirst();
  }
}
