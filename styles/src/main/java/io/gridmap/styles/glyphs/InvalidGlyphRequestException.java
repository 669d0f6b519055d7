package io.gridmap.styles.glyphs;

/**
 * A glyph request the service cannot answer because its parameters are malformed (not because a
 * font lacks glyphs: that is an empty but valid PBF). The HTTP layer turns it into a 400
 * problem+json from {@link #parameter()}, {@link #value()} and {@link #acceptedForm()}.
 */
public final class InvalidGlyphRequestException extends IllegalArgumentException {
  private final String parameter;
  private final String value;
  private final String acceptedForm;

  public InvalidGlyphRequestException(
      String parameter, String value, String problem, String acceptedForm) {
    super(parameter + " '" + value + "' is not valid: " + problem + "; expected " + acceptedForm);
    this.parameter = parameter;
    this.value = value;
    this.acceptedForm = acceptedForm;
  }

  /** {@code range} or {@code fontstack}. */
  public String parameter() {
    return parameter;
  }

  public String value() {
    return value;
  }

  public String acceptedForm() {
    return acceptedForm;
  }
}
