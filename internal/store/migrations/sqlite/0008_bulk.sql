-- 0008 bulk: the fact tables as the bulk paths write them (issue 16).
--
-- An import's rows are found by the primary key above the newest id when it
-- began, with their batch: an index of batch ids, one more index entry per
-- fact row, is no longer read. (PostgreSQL also drops the fact tables'
-- foreign keys, whose row-by-row checks cost more than its COPY; SQLite's
-- cost nothing measurable and stay.)
DROP INDEX IF EXISTS facts_batch;
