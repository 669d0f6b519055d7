-- The city in PostGIS: one table per catalogue layer (io.gridmap.layers.model.Catalogue), the
-- per-zoom generalised polygons, the dataset metadata, the feature history and the change log.
-- Applied by Flyway (PostgisStore) into the store's schema. A field added to the catalogue needs a
-- migration of its own (V2__...): PostgisSchemaTest fails while the tables and the catalogue differ.
--
-- Flyway sets the search path to the store's schema alone; PostGIS's types and functions live in
-- the schema its extension was created in, which PostgisStore passes as ${postgis_schema}.
SET LOCAL search_path TO "${flyway:defaultSchema}", "${postgis_schema}";

-- Admin levels: each a coverage of its parent. Codes nest: a street's code is its district's code
-- and 3 digits, a village's its street's and 3, a grid's its village's and 3 (GB/T 2260 and the
-- city's grid coding); the foreign keys and checks below hold that for any writer, not only ours.
-- Polygon layers hold Polygons or MultiPolygons as given (the GeoJSON a client gets is the same).

CREATE TABLE districts (
  fid bigint PRIMARY KEY CHECK (fid >= 0 AND fid < 9007199254740992),
  geom geometry(Geometry, 4326) NOT NULL CHECK (GeometryType(geom) IN ('POLYGON', 'MULTIPOLYGON')),
  personal boolean NOT NULL DEFAULT false,
  code text NOT NULL UNIQUE CHECK (code ~ '^[0-9]{6}$'),
  name text,
  population bigint,
  households bigint,
  urban boolean
);

CREATE TABLE streets (
  fid bigint PRIMARY KEY CHECK (fid >= 0 AND fid < 9007199254740992),
  geom geometry(Geometry, 4326) NOT NULL CHECK (GeometryType(geom) IN ('POLYGON', 'MULTIPOLYGON')),
  personal boolean NOT NULL DEFAULT false,
  code text NOT NULL UNIQUE CHECK (code ~ '^[0-9]{9}$'),
  name text,
  kind text,
  district_code text NOT NULL REFERENCES districts (code) DEFERRABLE INITIALLY DEFERRED,
  population bigint,
  households bigint,
  centre_lon double precision,
  centre_lat double precision,
  CHECK (left(code, 6) = district_code)
);

CREATE TABLE villages (
  fid bigint PRIMARY KEY CHECK (fid >= 0 AND fid < 9007199254740992),
  geom geometry(Geometry, 4326) NOT NULL CHECK (GeometryType(geom) IN ('POLYGON', 'MULTIPOLYGON')),
  personal boolean NOT NULL DEFAULT false,
  code text NOT NULL UNIQUE CHECK (code ~ '^[0-9]{12}$'),
  name text,
  kind text,
  street_code text NOT NULL REFERENCES streets (code) DEFERRABLE INITIALLY DEFERRED,
  district_code text NOT NULL,
  population bigint,
  households bigint,
  CHECK (left(code, 9) = street_code AND left(code, 6) = district_code)
);

CREATE TABLE grids (
  fid bigint PRIMARY KEY CHECK (fid >= 0 AND fid < 9007199254740992),
  geom geometry(Geometry, 4326) NOT NULL CHECK (GeometryType(geom) IN ('POLYGON', 'MULTIPOLYGON')),
  personal boolean NOT NULL DEFAULT false,
  code text NOT NULL UNIQUE CHECK (code ~ '^[0-9]{15}$'),
  name text,
  village_code text NOT NULL REFERENCES villages (code) DEFERRABLE INITIALLY DEFERRED,
  street_code text NOT NULL,
  district_code text NOT NULL,
  population bigint,
  households bigint,
  worker_id bigint,
  worker_name text,
  CHECK (left(code, 12) = village_code AND left(code, 9) = street_code AND left(code, 6) = district_code)
);

-- Points. Their grid codes are not foreign keys: an incident may be reported outside every grid,
-- and a grid redrawn or merged must not be blocked by the points that named it.

CREATE TABLE key_sites (
  fid bigint PRIMARY KEY CHECK (fid >= 0 AND fid < 9007199254740992),
  geom geometry(Point, 4326) NOT NULL,
  personal boolean NOT NULL DEFAULT false,
  category text,
  name text,
  grid_code text,
  code text,
  devices text
);

CREATE TABLE forces (
  fid bigint PRIMARY KEY CHECK (fid >= 0 AND fid < 9007199254740992),
  geom geometry(Point, 4326) NOT NULL,
  personal boolean NOT NULL DEFAULT false,
  role text,
  on_duty boolean,
  grid_code text,
  name text,
  updated_at timestamptz,
  code text
);

CREATE TABLE events (
  fid bigint PRIMARY KEY CHECK (fid >= 0 AND fid < 9007199254740992),
  geom geometry(Point, 4326) NOT NULL,
  personal boolean NOT NULL DEFAULT false,
  category text,
  board text,
  urgency text,
  status text,
  reported_at timestamptz,
  closed_at timestamptz,
  grid_code text,
  description text,
  reporter text,
  source text,
  photos text,
  assignee_id bigint,
  department text,
  pinned boolean,
  acked_by text,
  due_at timestamptz,
  overdue boolean,
  duplicate_of bigint,
  site_id bigint,
  device_id text,
  updated_at timestamptz,
  revision bigint,
  note text,
  responders text,
  request_key text
);

CREATE INDEX districts_geom ON districts USING gist (geom);
CREATE INDEX streets_geom ON streets USING gist (geom);
CREATE INDEX villages_geom ON villages USING gist (geom);
CREATE INDEX grids_geom ON grids USING gist (geom);
CREATE INDEX key_sites_geom ON key_sites USING gist (geom);
CREATE INDEX forces_geom ON forces USING gist (geom);
CREATE INDEX events_geom ON events USING gist (geom);

-- The coverage layers simplified per zoom as tiles draw them, in EPSG:3857 metres; a feature
-- missing at a zoom is smaller than a pixel there. Derived: regenerated by generate and by edits.
CREATE TABLE tile_geometries (
  layer text NOT NULL,
  zoom smallint NOT NULL CHECK (zoom BETWEEN 0 AND 24),
  fid bigint NOT NULL,
  geom geometry(Geometry, 3857) NOT NULL,
  PRIMARY KEY (layer, zoom, fid)
);
CREATE INDEX tile_geometries_geom ON tile_geometries USING gist (geom);

-- The dataset's metadata (io.gridmap.layers.model.DatasetMetadata as JSON): one row.
CREATE TABLE dataset_metadata (
  id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  metadata jsonb NOT NULL
);

-- Every version of every changed feature; version 1 is the feature before its first change (or the
-- version that added it), with no provenance.
CREATE TABLE feature_history (
  layer text NOT NULL,
  fid bigint NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  changed_at timestamptz,
  actor text,
  role text,
  action text,
  personal boolean NOT NULL,
  geom geometry(Geometry, 4326) NOT NULL,
  properties jsonb NOT NULL,
  PRIMARY KEY (layer, fid, version)
);

-- Every change in commit order: seq is its position, never reused; fids the features it replaced
-- or added. Keeps the last FeatureStore.LOG_RETENTION changes.
CREATE TABLE change_log (
  seq bigint GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME change_log_seq) PRIMARY KEY,
  changed_at timestamptz NOT NULL,
  actor text,
  role text,
  action text,
  layer text NOT NULL,
  fids bigint[] NOT NULL
);
