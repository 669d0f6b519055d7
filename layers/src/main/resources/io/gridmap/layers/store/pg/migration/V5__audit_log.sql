-- The audit log in the store (issue 11, point 1): every write's entry (who, with which credential,
-- what, what changed) is inserted in the write's own transaction, so the entry and the change
-- commit together or not at all, and every node of a cluster reads one log. seq is the change-log
-- position of the write it records (null for an entry without a change: a write the store
-- refused). Before this table the log was a JSON-lines file beside each server (audit_log), which
-- a server on a GeoPackage store still uses.
SET LOCAL search_path TO "${flyway:defaultSchema}", "${postgis_schema}";

CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  seq bigint,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  entry jsonb NOT NULL
);
