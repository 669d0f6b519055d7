-- Change-log positions in commit order (issue 11: nodes apply changes in the log's order, and a
-- node or a live client that has read position p has every change up to p).
--
-- Before this migration a position came from the sequence when a transaction inserted its entry,
-- and transactions commit in their own order: an open transaction could hold position 7 while 8
-- committed, so a reader that had seen 8 might still get 7 later. Nodes waited 10 s on every gap,
-- and a live client resuming from 8 never got 7.
--
-- Now every insert into change_log takes its position under one transaction-level lock, held
-- until its transaction ends: the next transaction takes a position only after the previous one
-- has committed or rolled back. So a position is visible only once every lower one is settled, and
-- a gap below a visible position is a rollback, final at once.
--
-- The lock is held from a transaction's first log entry to its end, so entries are written last:
-- the server logs after all of its row changes (PostgisEditor), and other programs' rows are
-- logged by deferred triggers that run as their transaction commits. A transaction holding the
-- lock therefore waits on no row lock, and no deadlock can form around it.
--
-- Backward compatible with the servers of V5 (a rolling upgrade): they insert entries without a
-- position and read it back with RETURNING seq; the trigger gives it, and the sequence keeps its
-- name and its value. Such a server logs between its row changes, so while one writes, a
-- concurrent external transaction may rarely be chosen as a deadlock victim (PostgreSQL detects
-- it; the program retries); that ends when the last V5 server is replaced.
SET LOCAL search_path TO "${flyway:defaultSchema}", "${postgis_schema}";

-- The locks this takes follow a writer's order, layer tables first and change_log last (a server
-- changes its rows, then logs them), so that a migration applied while servers write waits for
-- them instead of deadlocking with them; PostgisStore.migrate tries again should it still be
-- chosen as a deadlock victim (a V5 server's group of changes to several layers).

-- Other programs' rows: checked at once (a refused change fails its statement, as before), logged
-- as their transaction commits.
CREATE OR REPLACE FUNCTION log_external_change() RETURNS trigger
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
BEGIN
  IF coalesce(current_setting('gridmap.writer', true), '') = 'server' THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'gridmap: rows of % are not deleted by other systems (fid %)', TG_TABLE_NAME, OLD.fid
      USING HINT = 'change the row instead: an incident is closed by its status, a person goes off duty';
  END IF;
  IF TG_ARGV[0] = 'coverage' THEN
    IF TG_OP = 'INSERT' THEN
      RAISE EXCEPTION 'gridmap: % are added through the server''s edit API (fid %)', TG_TABLE_NAME, NEW.fid
        USING HINT = 'the admin levels are coverages: a new unit must tile its parent';
    END IF;
    IF NEW.geom IS DISTINCT FROM OLD.geom OR NEW.fid <> OLD.fid THEN
      RAISE EXCEPTION 'gridmap: the boundary or id of % fid % is changed through the server''s edit API', TG_TABLE_NAME, OLD.fid
        USING HINT = 'other systems may update the attributes of admin units, not their shapes';
    END IF;
  ELSIF TG_OP = 'UPDATE' AND NEW.fid <> OLD.fid THEN
    RAISE EXCEPTION 'gridmap: the id of % fid % does not change', TG_TABLE_NAME, OLD.fid;
  END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION log_external_row() RETURNS trigger
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
BEGIN
  IF coalesce(current_setting('gridmap.writer', true), '') = 'server' THEN
    RETURN NULL;
  END IF;
  INSERT INTO change_log (changed_at, actor, role, action, layer, fids)
  VALUES (clock_timestamp(), session_user, 'external', 'external.' || lower(TG_OP), TG_TABLE_NAME,
          ARRAY[NEW.fid]);
  RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER districts_external_log AFTER INSERT OR UPDATE ON districts
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION log_external_row();
CREATE CONSTRAINT TRIGGER streets_external_log AFTER INSERT OR UPDATE ON streets
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION log_external_row();
CREATE CONSTRAINT TRIGGER villages_external_log AFTER INSERT OR UPDATE ON villages
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION log_external_row();
CREATE CONSTRAINT TRIGGER grids_external_log AFTER INSERT OR UPDATE ON grids
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION log_external_row();
CREATE CONSTRAINT TRIGGER key_sites_external_log AFTER INSERT OR UPDATE ON key_sites
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION log_external_row();
CREATE CONSTRAINT TRIGGER forces_external_log AFTER INSERT OR UPDATE ON forces
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION log_external_row();
CREATE CONSTRAINT TRIGGER events_external_log AFTER INSERT OR UPDATE ON events
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION log_external_row();

-- the identity gave its value before any trigger could take the lock: a plain sequence of the
-- same name, continuing where the identity's stopped, given by the trigger instead
DO $$
DECLARE
  last bigint;
  called boolean;
BEGIN
  SELECT last_value, is_called INTO last, called FROM change_log_seq;
  ALTER TABLE change_log ALTER COLUMN seq DROP IDENTITY;
  CREATE SEQUENCE change_log_seq AS bigint OWNED BY change_log.seq;
  PERFORM setval('change_log_seq', last, called);
END
$$;

CREATE FUNCTION change_log_position() RETURNS trigger
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
BEGIN
  -- one lock per store (per change_log table), released as the transaction ends; 1735552368 is
  -- 'grmp', this project's class of advisory locks
  PERFORM pg_advisory_xact_lock(1735552368, (TG_RELID::bigint % 2147483647)::int);
  NEW.seq := nextval('change_log_seq');
  RETURN NEW;
END
$$;

CREATE TRIGGER change_log_position BEFORE INSERT ON change_log
  FOR EACH ROW EXECUTE FUNCTION change_log_position();
