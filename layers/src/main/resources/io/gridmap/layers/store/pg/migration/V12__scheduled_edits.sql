-- Edits that take effect at a set instant (issue 13: "a re-zoning decided now, effective on the
-- 1st"). A row is the HTTP request as the planner sent it (without ?effective), who sent it (the
-- principal it is replayed as), and what became of it. The server node whose turn it is to write
-- claims a due row with one conditional update (status 'scheduled' -> 'applying'): two nodes, or a
-- node and itself after a restart, never apply one edit twice; a row left 'applying' by a node
-- that stopped becomes 'interrupted' (never tried again: it may have been written). Times are
-- epoch milliseconds, as in the GeoPackage store's table of the same name (one implementation for
-- both, JdbcScheduledEdits).
-- A whole write (generate, admin import) leaves the table as it is: a scheduled edit is checked
-- again against the map as it is at its instant.
--
-- Backward compatible (a rolling upgrade): a new table that servers of V11 never read or write.
SET LOCAL search_path TO "${flyway:defaultSchema}", "${postgis_schema}";

CREATE TABLE scheduled_edits (
  id bigserial PRIMARY KEY,
  effective_ms bigint NOT NULL,
  method text NOT NULL,
  path text NOT NULL,
  query text NOT NULL DEFAULT '',
  content_type text,
  if_match text,
  body bytea,
  subject text NOT NULL,
  role text NOT NULL,
  scope text NOT NULL DEFAULT '',
  created_ms bigint NOT NULL,
  status text NOT NULL
    CHECK (status IN ('scheduled', 'applying', 'applied', 'failed', 'cancelled', 'interrupted')),
  seq bigint,
  outcome text,
  summary text,
  done_ms bigint,
  done_by text
);

CREATE INDEX scheduled_edits_due ON scheduled_edits (status, effective_ms);
