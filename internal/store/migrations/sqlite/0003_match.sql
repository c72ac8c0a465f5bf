-- 0003 match: the results of matching enterprises against policies, what
-- changed in them (a change is what later triggers a push), and the durable
-- state of batch runs (package match).
--
-- River's own tables (river_job …) are created by its migrations
-- (rivermigrate), which matching runs beside these.

-- Every policy version results were computed with. version is the SHA-256
-- of the policy file: a result names the exact rule text that produced it.
CREATE TABLE match_policy_versions (
	id         INTEGER PRIMARY KEY,
	policy     TEXT NOT NULL CHECK (length(policy) BETWEEN 1 AND 64),
	version    TEXT NOT NULL CHECK (length(version) = 64),
	first_seen TEXT NOT NULL CHECK (length(first_seen) = 24),
	UNIQUE (policy, version)
);

-- One result per (enterprise, policy, evaluation date). missing lists the
-- fields whose absence made an undetermined result (JSON array); the
-- explanation (JSON) is kept for eligible, near-miss and undetermined
-- results. fingerprint is a hash of exactly the facts the policy reads, so
-- that a result is traced to the data and the rule (version_id) behind it.
-- A rowid table with a unique key rather than WITHOUT ROWID: rows with an
-- explanation are hundreds of bytes, too wide for a clustered key.
CREATE TABLE match_results (
	id            INTEGER PRIMARY KEY,
	enterprise_id INTEGER NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
	policy        TEXT NOT NULL CHECK (length(policy) BETWEEN 1 AND 64),
	on_date       TEXT NOT NULL CHECK (on_date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
	status        TEXT NOT NULL CHECK (status IN ('eligible', 'ineligible', 'undetermined')),
	amount        TEXT, -- yuan with two decimals; NULL when the policy has no amount or the result none
	near_miss     TEXT, -- the criterion an ineligible result nearly meets
	missing       TEXT, -- JSON array of field names
	explanation   TEXT, -- JSON
	version_id    INTEGER NOT NULL REFERENCES match_policy_versions (id),
	fingerprint   TEXT NOT NULL CHECK (length(fingerprint) = 32),
	evaluated_at  TEXT NOT NULL CHECK (length(evaluated_at) = 24),
	UNIQUE (enterprise_id, policy, on_date)
);
-- Per policy: its eligible, near-miss and undetermined enterprises. Plain
-- ineligible results, the bulk of them, stay out of the index.
CREATE INDEX match_results_policy ON match_results (policy, on_date, status, enterprise_id)
	WHERE status <> 'ineligible' OR near_miss IS NOT NULL;

-- Status and amount changes, in order. old_status is NULL for a first result.
CREATE TABLE match_changes (
	id            INTEGER PRIMARY KEY,
	enterprise_id INTEGER NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
	policy        TEXT NOT NULL,
	on_date       TEXT NOT NULL,
	old_status    TEXT,
	old_amount    TEXT,
	new_status    TEXT NOT NULL,
	new_amount    TEXT,
	version_id    INTEGER NOT NULL REFERENCES match_policy_versions (id),
	changed_at    TEXT NOT NULL CHECK (length(changed_at) = 24)
);
CREATE INDEX match_changes_enterprise ON match_changes (enterprise_id, id);

-- A batch run: every enterprise against the policies in force on on_date (or
-- one policy). run_key identifies what the run computes, so that a
-- restarted `parkdesk match` resumes the unfinished run of the same key.
CREATE TABLE match_runs (
	id          INTEGER PRIMARY KEY,
	run_key     TEXT NOT NULL,
	on_date     TEXT NOT NULL,
	policy      TEXT,
	partitions  INTEGER NOT NULL CHECK (partitions >= 0),
	started_at  TEXT NOT NULL CHECK (length(started_at) = 24),
	finished_at TEXT CHECK (length(finished_at) = 24)
);
CREATE UNIQUE INDEX match_runs_open ON match_runs (run_key) WHERE finished_at IS NULL;

-- A run's partitions: ranges of enterprise ids, each written in one
-- transaction with its done mark, so a partition is done exactly once.
CREATE TABLE match_partitions (
	run_id    INTEGER NOT NULL REFERENCES match_runs (id) ON DELETE CASCADE,
	part      INTEGER NOT NULL,
	first_id  INTEGER NOT NULL,
	last_id   INTEGER NOT NULL,
	done_at   TEXT CHECK (length(done_at) = 24),
	results   INTEGER,
	written   INTEGER,
	changes   INTEGER,
	kept      INTEGER,
	PRIMARY KEY (run_id, part)
);
