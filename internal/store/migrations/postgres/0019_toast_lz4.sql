-- 0019 lz4 for the fact sets (issue 16): PostgreSQL compresses a value
-- stored out of line (TOAST), and its default, pglz, spent more of an
-- import of a million facts than the rest of the server's work on them.
-- lz4 compresses several times faster. A server built without lz4 keeps
-- pglz.
DO $$
BEGIN
	ALTER TABLE fact_sets ALTER COLUMN facts SET COMPRESSION lz4;
	ALTER TABLE current_fact_sets ALTER COLUMN facts SET COMPRESSION lz4;
	ALTER TABLE import_run_sets ALTER COLUMN facts SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
	RAISE NOTICE 'lz4 is not built in: the fact sets keep pglz';
END
$$;
