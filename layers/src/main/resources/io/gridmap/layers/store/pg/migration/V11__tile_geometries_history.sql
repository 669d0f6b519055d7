-- The generalised polygons that changes replace or drop, with the time they stopped being drawn:
-- a tile as of a past instant (as-of) is drawn from what was drawn then, not generalised again.
-- One row per polygon replaced; id orders the rows of one feature and zoom in time.
--
-- Backward compatible (a rolling upgrade): a new table that servers of V10 never read.
SET LOCAL search_path TO "${flyway:defaultSchema}", "${postgis_schema}";

CREATE TABLE tile_geometries_history (
  id bigserial PRIMARY KEY,
  layer text NOT NULL,
  zoom smallint NOT NULL,
  fid bigint NOT NULL,
  geom geometry(Geometry, 3857) NOT NULL,
  replaced_at timestamptz NOT NULL
);
CREATE INDEX tile_geometries_history_when ON tile_geometries_history (layer, replaced_at);
