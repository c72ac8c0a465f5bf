-- 0008 bulk: the fact tables as the bulk paths write them (issue 16).
--
-- The fact store copies history rows with COPY and merges current values in
-- set-based statements. A foreign-key check per row cost more than the copy
-- itself (100,000 rows: 11.1 s with the three keys of facts, 2.4 s
-- without, on the same loaded server), so on PostgreSQL the fact tables
-- carry none: the fact store checks the enterprises and fields of what it
-- writes in one anti-join per flush (facts.BulkAppend, LoadFresh) or one
-- lookup per chunk (AppendFacts), and nothing deletes enterprises, fields
-- or batches. SQLite keeps its keys, which cost nothing measurable there.
ALTER TABLE facts DROP CONSTRAINT IF EXISTS facts_enterprise_id_fkey;
ALTER TABLE facts DROP CONSTRAINT IF EXISTS facts_field_fkey;
ALTER TABLE facts DROP CONSTRAINT IF EXISTS facts_batch_id_fkey;
ALTER TABLE current_facts DROP CONSTRAINT IF EXISTS current_facts_enterprise_id_fkey;

-- An import's rows are found by the primary key above the newest id when it
-- began, with their batch: an index of batch ids, one more index entry per
-- fact row, is no longer read.
DROP INDEX IF EXISTS facts_batch;
