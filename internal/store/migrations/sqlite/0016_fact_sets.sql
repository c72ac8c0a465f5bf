-- 0016 fact sets: the history of facts as a row per enterprise and write
-- (issue 16). A row per fact cost an import of a million facts 2.8–3.0 s
-- of history inserts on SQLite and 3.5–4.9 s of COPY on PostgreSQL
-- (docs/performance.md, "Where the floor is"); a row per enterprise and
-- write holding its facts as a JSON array costs a tenth of that.
--
-- facts is the array [[field, period, value], …] in the order written. A
-- fact is named, as before, by an integer id: its set's id × 65536 plus its
-- place in the array (a set holds at most 65,536 facts), which is what
-- current_facts.fact_id and touch_items.fact_id hold. The view facts gives
-- the history back a row per fact, with the columns the table had.
CREATE TABLE fact_sets (
	id            INTEGER PRIMARY KEY,
	enterprise_id INTEGER NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
	source        TEXT NOT NULL CHECK (source <> ''),
	actor         TEXT NOT NULL,
	batch_id      INTEGER REFERENCES import_batches (id),
	recorded_at   TEXT NOT NULL CHECK (length(recorded_at) = 24),
	facts         TEXT NOT NULL CHECK (json_valid(facts) AND json_type(facts) = 'array')
);
CREATE INDEX fact_sets_enterprise ON fact_sets (enterprise_id, id);

-- The rows recorded so far become sets of one fact each, keeping their ids'
-- order: fact n becomes set n, its fact id n × 65536.
INSERT INTO fact_sets (id, enterprise_id, source, actor, batch_id, recorded_at, facts)
SELECT id, enterprise_id, source, actor, batch_id, recorded_at, json_array(json_array(field, period, value))
FROM facts ORDER BY id;
UPDATE current_facts SET fact_id = fact_id * 65536;

-- touch_items named facts (id) in a foreign key, which a view cannot be the
-- parent of: the table is made again without it, its fact ids renumbered.
CREATE TABLE touch_items_new (
	id          INTEGER PRIMARY KEY,
	request_id  INTEGER NOT NULL REFERENCES touch_requests (id) ON DELETE CASCADE,
	position    INTEGER NOT NULL CHECK (position >= 0),
	field       TEXT REFERENCES fields (name) ON UPDATE CASCADE,
	period      TEXT NOT NULL DEFAULT '',
	label       TEXT NOT NULL DEFAULT '',
	-- registry: answered from a fact on file; reported: by the enterprise on
	-- its form; done / not_done: checked at the visit.
	answer      TEXT CHECK (answer IS NULL OR answer IN ('registry', 'reported', 'done', 'not_done')),
	value       TEXT,
	source      TEXT, -- provenance of the value: the fact's source
	fact_id     INTEGER, -- the fact (see fact_sets) the value was taken from
	recorded_at TEXT CHECK (recorded_at IS NULL OR length(recorded_at) = 24),
	answered_at TEXT CHECK (answered_at IS NULL OR length(answered_at) = 24),
	UNIQUE (request_id, position),
	CHECK ((field IS NULL) <> (label = ''))
);
INSERT INTO touch_items_new (id, request_id, position, field, period, label, answer, value, source, fact_id, recorded_at, answered_at)
SELECT id, request_id, position, field, period, label, answer, value, source, fact_id * 65536, recorded_at, answered_at
FROM touch_items;
DROP TABLE touch_items;
ALTER TABLE touch_items_new RENAME TO touch_items;
CREATE INDEX touch_items_open ON touch_items (field, period) WHERE answer IS NULL AND field IS NOT NULL;

DROP TABLE facts;
CREATE VIEW facts (id, enterprise_id, field, period, value, source, actor, batch_id, recorded_at) AS
SELECT s.id * 65536 + j.key, s.enterprise_id, j.value ->> 0, j.value ->> 1, j.value ->> 2,
	s.source, s.actor, s.batch_id, s.recorded_at
FROM fact_sets s, json_each(s.facts) j;
