-- Other systems write beside us (a work-order system, the mini-program's back end): a row they
-- insert or update in a layer table is logged in change_log, in their own transaction, and a
-- running server applies it to its map, tiles and live stream within seconds (ExternalChanges).
-- The server's own writes set gridmap.writer = 'server' for their transaction and log themselves.
--
-- What other systems may do (docs/postgis.md, "Writing from other systems"):
--   key_sites, forces, events: INSERT and UPDATE (the checks of V1 hold: types, codes, ids)
--   districts, streets, villages, grids: UPDATE of attributes only; a boundary is redrawn or a
--     unit added through the server's edit API, which keeps the levels a coverage
--   no table: DELETE (an incident is closed by its status, a person goes off duty)
SET LOCAL search_path TO "${flyway:defaultSchema}", "${postgis_schema}";

CREATE FUNCTION log_external_change() RETURNS trigger
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
  INSERT INTO change_log (changed_at, actor, role, action, layer, fids)
  VALUES (clock_timestamp(), session_user, 'external', 'external.' || lower(TG_OP), TG_TABLE_NAME,
          ARRAY[NEW.fid]);
  RETURN NULL;
END
$$;

CREATE TRIGGER districts_external AFTER INSERT OR UPDATE OR DELETE ON districts
  FOR EACH ROW EXECUTE FUNCTION log_external_change('coverage');
CREATE TRIGGER streets_external AFTER INSERT OR UPDATE OR DELETE ON streets
  FOR EACH ROW EXECUTE FUNCTION log_external_change('coverage');
CREATE TRIGGER villages_external AFTER INSERT OR UPDATE OR DELETE ON villages
  FOR EACH ROW EXECUTE FUNCTION log_external_change('coverage');
CREATE TRIGGER grids_external AFTER INSERT OR UPDATE OR DELETE ON grids
  FOR EACH ROW EXECUTE FUNCTION log_external_change('coverage');
CREATE TRIGGER key_sites_external AFTER INSERT OR UPDATE OR DELETE ON key_sites
  FOR EACH ROW EXECUTE FUNCTION log_external_change('points');
CREATE TRIGGER forces_external AFTER INSERT OR UPDATE OR DELETE ON forces
  FOR EACH ROW EXECUTE FUNCTION log_external_change('points');
CREATE TRIGGER events_external AFTER INSERT OR UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION log_external_change('points');
