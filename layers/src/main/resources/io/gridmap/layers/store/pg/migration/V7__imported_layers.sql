-- Imported layers (mapserver import): layers of any attribute schema beside the catalogue's. Each
-- has a table of its own, named for the layer, which PostgisStore creates, drops and fills in the
-- import's transaction (the same column types as the catalogue tables, geometry in EPSG:4326 with
-- a GiST index); this registry says which tables those are, what their definition is (LayerDefJson)
-- and in which order they were first imported. The external-change triggers of V2/V6 are not on
-- the imported tables: a program's SQL write into one is not seen by running servers; import the
-- layer again instead.
--
-- Backward compatible (a rolling upgrade): a new table that servers of V6 never read.
SET LOCAL search_path TO "${flyway:defaultSchema}", "${postgis_schema}";

CREATE TABLE imported_layers (
  name text PRIMARY KEY,
  position int NOT NULL,
  definition jsonb NOT NULL,
  imported_at timestamptz NOT NULL DEFAULT now()
);
