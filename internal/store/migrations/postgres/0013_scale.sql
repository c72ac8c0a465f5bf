-- 0013 scale: results that cost what they are worth, change counters and
-- uploads staged in the database (issues 16 and 12 point 10).

-- Which enterprises (an id range) were evaluated against which policy, on
-- which date, by which version. A plainly ineligible result (no near miss)
-- has no row of its own in match_results: an enterprise covered here with
-- no stored result for the policy and date is ineligible. A batch run
-- writes one range per partition and policy; an incremental re-evaluation
-- of an enterprise outside every range adds a range of one.
CREATE TABLE match_coverage (
	on_date      TEXT COLLATE "C" NOT NULL CHECK (on_date ~ '^[12][0-9]{3}-[01][0-9]-[0-3][0-9]$'),
	policy       TEXT NOT NULL CHECK (length(policy) BETWEEN 1 AND 64),
	first_id     BIGINT NOT NULL,
	last_id      BIGINT NOT NULL CHECK (last_id >= first_id),
	version_id   BIGINT NOT NULL REFERENCES match_policy_versions (id),
	evaluated_at TEXT NOT NULL CHECK (length(evaluated_at) = 24),
	PRIMARY KEY (on_date, policy, first_id)
);

-- Change counters: a write that changes what a cache holds advances its
-- counter in the same transaction, and every instance compares the
-- counter it computed its copy at with the database's before serving it.
CREATE TABLE change_counters (
	name  TEXT PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 64),
	value BIGINT NOT NULL
);

-- Uploads that passed their dry run and wait for their owner to confirm
-- them, on whichever instance the confirmation lands.
CREATE TABLE staged_uploads (
	id         TEXT PRIMARY KEY CHECK (length(id) BETWEEN 16 AND 64),
	owner_id   BIGINT NOT NULL,
	size       BIGINT NOT NULL CHECK (size >= 0),
	created_at TEXT NOT NULL CHECK (length(created_at) = 24),
	expires_at TEXT NOT NULL CHECK (length(expires_at) = 24)
);
CREATE INDEX staged_uploads_expires ON staged_uploads (expires_at);

CREATE TABLE staged_upload_files (
	upload_id TEXT NOT NULL REFERENCES staged_uploads (id) ON DELETE CASCADE,
	seq       INTEGER NOT NULL,
	name      TEXT NOT NULL,
	data      BYTEA NOT NULL,
	PRIMARY KEY (upload_id, seq)
);

-- The results stored before: each date and policy covers its enterprises
-- from the lowest id to the highest (a batch ran over all of them), with
-- the oldest version seen; their plainly ineligible rows go.
INSERT INTO match_coverage (on_date, policy, first_id, last_id, version_id, evaluated_at)
SELECT on_date, policy, MIN(enterprise_id), MAX(enterprise_id), MIN(version_id), MAX(evaluated_at)
FROM match_results GROUP BY on_date, policy;
DELETE FROM match_results WHERE status = 'ineligible' AND near_miss IS NULL;
