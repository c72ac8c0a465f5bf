-- 0007 security and reliability (issue 11): the precision of numeric
-- fields, and imports staged while they are read.

-- The digits before and after the decimal point a numeric field takes;
-- NULL takes its type's default (facts/precision.go).
ALTER TABLE fields ADD COLUMN int_digits INTEGER CHECK (int_digits BETWEEN 1 AND 30);
ALTER TABLE fields ADD COLUMN decimals INTEGER CHECK (decimals BETWEEN 0 AND 20);

-- Imports (exchange.Import). What an import brings waits in these tables,
-- written in short transactions while its files are read and checked, so
-- that the database's one writer is never held for the whole import; when
-- every row is valid, the enterprises are written in one transaction that
-- also marks the run as applying, and the facts follow a chunk per
-- transaction, the run recording how far it got: an import interrupted
-- then is completed by the next one. A run with a problem is dropped and
-- writes nothing. Nothing but imports reads these rows. (Not import_stages:
-- those hold uploads awaiting their confirmation, a step before.)
CREATE TABLE import_runs (
	id            INTEGER PRIMARY KEY,
	created_at    TEXT NOT NULL CHECK (length(created_at) = 24),
	state         TEXT NOT NULL DEFAULT 'reading' CHECK (state IN ('reading', 'applying')),
	actor         TEXT NOT NULL DEFAULT '',
	batch_id      INTEGER REFERENCES import_batches (id),
	recorded_at   TEXT CHECK (recorded_at IS NULL OR length(recorded_at) = 24),
	staged_facts  INTEGER NOT NULL DEFAULT 0 CHECK (staged_facts >= 0),
	applied_facts INTEGER NOT NULL DEFAULT 0 CHECK (applied_facts >= 0),
	updated_at    TEXT CHECK (updated_at IS NULL OR length(updated_at) = 24) -- the last chunk written
);

CREATE TABLE import_run_enterprises (
	run_id        INTEGER NOT NULL,
	seq           INTEGER NOT NULL,
	uscc          TEXT NOT NULL,
	name          TEXT NOT NULL,
	registered_on TEXT NOT NULL, -- '' for none
	industry_code TEXT NOT NULL,
	park          TEXT NOT NULL,
	tags          TEXT NOT NULL, -- JSON array of tag codes
	PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;

CREATE TABLE import_run_facts (
	run_id INTEGER NOT NULL,
	seq    INTEGER NOT NULL,
	uscc   TEXT NOT NULL,
	field  TEXT NOT NULL,
	period TEXT NOT NULL,
	value  TEXT NOT NULL,
	source TEXT NOT NULL,
	PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;
