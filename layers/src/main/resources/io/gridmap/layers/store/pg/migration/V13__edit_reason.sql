-- Why an edit was made, in the editor's words (a re-zoning decision, a correction), kept with every
-- version it made so /history can say who, when, why and which operation.
--
-- Backward compatible (a rolling upgrade): servers of V11 give no reason, and their rows keep null.
-- A nullable column without a default is added without rewriting the table.
SET LOCAL search_path TO "${flyway:defaultSchema}", "${postgis_schema}";

ALTER TABLE feature_history ADD COLUMN reason text;
