-- Each history row names the change that made it: its change-log position (seq). A revert of an
-- edit (POST /edits/{seq}/revert) finds the versions that change made by it; the change log itself
-- keeps only its last entries, the history keeps this for good. Rows written before are left null:
-- their change is not known.
--
-- Backward compatible (a rolling upgrade): a nullable column that servers of V7 do not write.
SET LOCAL search_path TO "${flyway:defaultSchema}", "${postgis_schema}";

ALTER TABLE feature_history ADD COLUMN seq bigint;
CREATE INDEX feature_history_seq ON feature_history (seq) WHERE seq IS NOT NULL;
