-- One server node writes at a time (issue 11: several nodes, one map). The node whose turn it is
-- holds this row: its name, the turn's epoch (one more at every change of holder) and when its
-- turn ends unless it renews it. Every write checks, inside its own transaction and under a share
-- lock on this row, that its node still holds the epoch it took: a node that lost its turn (paused
-- past it, cut off) can never write again with it (a fencing token). A session advisory lock alone
-- would not do: a paused process keeps its session, and so its lock.
SET LOCAL search_path TO "${flyway:defaultSchema}", "${postgis_schema}";

CREATE TABLE writer_turn (
  id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  holder text NOT NULL,
  epoch bigint NOT NULL CHECK (epoch >= 1),
  expires_at timestamptz NOT NULL
);

-- which node wrote each change, and in which turn (null: another program's row, or a store
-- written by one server before turns existed)
ALTER TABLE change_log ADD COLUMN writer text;
ALTER TABLE change_log ADD COLUMN epoch bigint;
