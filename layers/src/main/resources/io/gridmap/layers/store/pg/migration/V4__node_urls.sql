-- Where each server node takes writes (issue 11: several nodes, one map): a node that is not the
-- writer forwards a write to the URL of the node named in writer_turn. Each node records its own
-- row whenever it asks for the turn (every fifth of writer_turn_s), so seen_at tells which nodes
-- are alive. A node of a version before this table simply has no row: writes reaching the others
-- while it holds the turn are answered 503, as before.
SET LOCAL search_path TO "${flyway:defaultSchema}", "${postgis_schema}";

CREATE TABLE nodes (
  name text PRIMARY KEY,
  url text NOT NULL,
  seen_at timestamptz NOT NULL
);
