-- 0018 staged sets: an import's facts wait as a row per enterprise, file
-- and batch read (issue 16), the JSON array [[field, period, value], …]
-- that becomes their fact set, instead of a row per fact: staging a million
-- facts wrote a million rows, which the import then read back one by one.
-- n is how many facts the row holds. seq numbers the rows of a run, and
-- import_runs counts rows, not facts: staged_sets and applied_sets.
--
-- Facts staged by an import that was stopped before this migration become
-- a row each, with their seq, so that the run's counts still hold.
CREATE TABLE import_run_sets (
	run_id INTEGER NOT NULL,
	seq    INTEGER NOT NULL,
	uscc   TEXT NOT NULL,
	source TEXT NOT NULL,
	facts  TEXT NOT NULL CHECK (json_valid(facts) AND json_type(facts) = 'array'),
	n      INTEGER NOT NULL CHECK (n > 0),
	PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;

INSERT INTO import_run_sets (run_id, seq, uscc, source, facts, n)
SELECT run_id, seq, uscc, source, json_array(json_array(field, period, value)), 1 FROM import_run_facts;
DROP TABLE import_run_facts;

ALTER TABLE import_runs RENAME COLUMN staged_facts TO staged_sets;
ALTER TABLE import_runs RENAME COLUMN applied_facts TO applied_sets;
