package io.gridmap.styles;

import io.gridmap.layers.model.Board;

/**
 * The colour of each of the four boards (板块): the one place that says which colour a board is.
 * Styles colour events by it, the legend lists it, and the viewer can read it from here (or from
 * the style's metadata) for its board toggles.
 *
 * <p>The colours are chosen to read on both the light and the dark map and to stay well away from
 * {@link AlertPalette#URGENT}: party building is a rose crimson rather than the flag red, economy
 * an amber rather than an orange.
 */
public enum BoardColour {
  PARTY_BUILDING(Board.PARTY_BUILDING, Colour.hex("#c2185b")),
  ECONOMY(Board.ECONOMY, Colour.hex("#e6a100")),
  LIVELIHOOD(Board.LIVELIHOOD, Colour.hex("#2e9d5a")),
  SAFETY_LAW(Board.SAFETY_LAW, Colour.hex("#1e6fd9"));

  private final Board board;
  private final Colour colour;

  BoardColour(Board board, Colour colour) {
    this.board = board;
    this.colour = colour;
  }

  public Board board() {
    return board;
  }

  public Colour colour() {
    return colour;
  }

  /** Label for legends: the board's Chinese name, e.g. "平安法治". */
  public String label() {
    return board.chineseName();
  }

  public static BoardColour of(Board board) {
    for (BoardColour b : values()) {
      if (b.board == board) {
        return b;
      }
    }
    throw new IllegalArgumentException("no colour for board " + board);
  }
}
