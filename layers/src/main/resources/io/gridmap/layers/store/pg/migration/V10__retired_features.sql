-- A change may retire features (a grid split in two, two grids merged into one): the row is
-- deleted and the history keeps the feature as it last was, in a version flagged retired, so that
-- /history and a revert can tell a retirement from an ordinary version.
--
-- Backward compatible (a rolling upgrade): servers of V8 write no retirements, and their rows take
-- the default. With a constant default PostgreSQL adds the column without rewriting the table.
SET LOCAL search_path TO "${flyway:defaultSchema}", "${postgis_schema}";

ALTER TABLE feature_history ADD COLUMN retired boolean NOT NULL DEFAULT false;
