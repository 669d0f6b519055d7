-- The forces' tracks (issue 13, point 7): one row per force per run of fixes (up to 256 fixes or an
-- hour), not a row per move: at 5,000 moves a second a row per move would be over 400 million rows
-- a day. data holds the fixes packed (TrackCodec: a format byte, then zigzag varint deltas of time
-- in ms and of lon/lat in 1e-7 degrees). The server upserts a force's open chunk in the transaction
-- of the move, and deletes whole chunks whose last fix is older than track_retention_days, in
-- bounded batches (by end_ms). Whole writes (generate, admin import) empty it with the city.
--
-- Backward compatible (a rolling upgrade): a new table that servers of V7 never read or write;
-- their moves are then missing from the tracks.
SET LOCAL search_path TO "${flyway:defaultSchema}", "${postgis_schema}";

CREATE TABLE position_tracks (
  force_id bigint NOT NULL,
  start_ms bigint NOT NULL,
  end_ms bigint NOT NULL CHECK (end_ms >= start_ms),
  points int NOT NULL CHECK (points > 0),
  data bytea NOT NULL,
  PRIMARY KEY (force_id, start_ms)
);

CREATE INDEX position_tracks_end ON position_tracks (end_ms);
