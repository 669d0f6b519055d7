package io.gridmap.styles;

import io.gridmap.layers.model.SiteCategory;

/**
 * The colour of each key-site category ({@link SiteCategory}, the data's vocabulary). Every
 * category has one: a test fails when the model gains a category this list lacks.
 */
public enum SiteColour {
  SCHOOL(SiteCategory.SCHOOL, "#3f51b5"),
  KINDERGARTEN(SiteCategory.KINDERGARTEN, "#29b6f6"),
  CLINIC(SiteCategory.CLINIC, "#ec407a"),
  PHARMACY(SiteCategory.PHARMACY, "#26a69a"),
  COMMUNITY_CANTEEN(SiteCategory.COMMUNITY_CANTEEN, "#8d6e63"),
  ENTERPRISE(SiteCategory.ENTERPRISE, "#546e7a"),
  FIRE_LANE(SiteCategory.FIRE_LANE, "#8e2424"),
  VOLUNTEER_STATION(SiteCategory.VOLUNTEER_STATION, "#7cb342"),
  MARKET(SiteCategory.MARKET, "#c9a227"),
  ELDERLY_ALONE_HOME(SiteCategory.ELDERLY_ALONE_HOME, "#8e24aa");

  /** Colour of a category the data has but the model does not know (an imported dataset's). */
  public static final Colour OTHER_COLOUR = Colour.hex("#78909c");

  private final SiteCategory category;
  private final Colour colour;

  SiteColour(SiteCategory category, String hex) {
    this.category = category;
    this.colour = Colour.hex(hex);
  }

  public SiteCategory category() {
    return category;
  }

  /** The value of the {@code category} attribute. */
  public String code() {
    return category.code();
  }

  public String label() {
    return category.label();
  }

  public Colour colour() {
    return colour;
  }
}
