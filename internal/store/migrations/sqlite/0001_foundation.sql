-- 0001 foundation: the registry (parks, departments, tags, enterprises), the
-- data dictionary and the facts with their history.
--
-- Conventions (see package store): timestamps are TEXT in UTC, written
-- 'YYYY-MM-DDTHH:MM:SS.sssZ' (24 characters, so text order is time order);
-- dates are TEXT 'YYYY-MM-DD'; decimals are TEXT canonical decimals, never
-- REAL; booleans are INTEGER 0/1.

CREATE TABLE parks (
	id         INTEGER PRIMARY KEY,
	code       TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 64),
	name_zh    TEXT NOT NULL CHECK (name_zh <> ''),
	name_en    TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CHECK (length(created_at) = 24)
);

CREATE TABLE departments (
	id         INTEGER PRIMARY KEY,
	code       TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 64),
	name_zh    TEXT NOT NULL CHECK (name_zh <> ''),
	name_en    TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CHECK (length(created_at) = 24)
);

-- The functional departments that own the fields of the shipped data
-- dictionary, and the others the brief names. Admins add more.
INSERT INTO departments (code, name_zh, name_en) VALUES
	('econ',      '经济发展局',           'Economic Development Bureau'),
	('tax',       '税务局',               'Tax Bureau'),
	('market',    '市场监督管理局',       'Market Regulation Administration'),
	('stats',     '统计局',               'Statistics Bureau'),
	('science',   '科技局',               'Science and Technology Bureau'),
	('industry',  '工业和信息化局',       'Industry and Information Technology Bureau'),
	('hrss',      '人力资源和社会保障局', 'Human Resources and Social Security Bureau'),
	('emergency', '应急管理局',           'Emergency Management Bureau'),
	('ecology',   '生态环境局',           'Ecology and Environment Bureau'),
	('invest',    '招商局',               'Investment Promotion Bureau');

CREATE TABLE tags (
	id         INTEGER PRIMARY KEY,
	code       TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 64),
	name_zh    TEXT NOT NULL CHECK (name_zh <> ''),
	name_en    TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CHECK (length(created_at) = 24)
);

CREATE TABLE enterprises (
	id            INTEGER PRIMARY KEY,
	uscc          TEXT NOT NULL UNIQUE CHECK (length(uscc) = 18),
	name          TEXT NOT NULL CHECK (name <> ''),
	registered_on TEXT CHECK (registered_on GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
	industry_code TEXT CHECK (length(industry_code) BETWEEN 1 AND 5),
	park_id       INTEGER REFERENCES parks (id) ON DELETE SET NULL,
	created_at    TEXT NOT NULL CHECK (length(created_at) = 24),
	updated_at    TEXT NOT NULL CHECK (length(updated_at) = 24)
);
CREATE INDEX enterprises_park ON enterprises (park_id) WHERE park_id IS NOT NULL;
CREATE INDEX enterprises_industry ON enterprises (industry_code);
CREATE INDEX enterprises_name ON enterprises (name);

CREATE TABLE enterprise_tags (
	enterprise_id INTEGER NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
	tag_id        INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
	PRIMARY KEY (enterprise_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX enterprise_tags_tag ON enterprise_tags (tag_id, enterprise_id);

-- The data dictionary (数据字典). Builtin fields are written by the program
-- from its shipped dictionary; admins add the others. position keeps the
-- shipped order for display.
CREATE TABLE fields (
	name            TEXT PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 64),
	type            TEXT NOT NULL CHECK (type IN ('number', 'integer', 'money', 'ratio', 'bool', 'enum', 'date', 'text')),
	unit            TEXT NOT NULL DEFAULT '',
	shape           TEXT NOT NULL CHECK (shape IN ('timeless', 'annual', 'quarterly', 'monthly')),
	enum_values     TEXT CHECK ((type = 'enum') = (enum_values IS NOT NULL)), -- JSON array of strings
	min_value       TEXT, -- canonical decimal, inclusive
	max_value       TEXT, -- canonical decimal, inclusive
	department_code TEXT NOT NULL REFERENCES departments (code) ON UPDATE CASCADE,
	sensitivity     TEXT NOT NULL CHECK (sensitivity IN ('public', 'internal', 'confidential')),
	freshness_days  INTEGER NOT NULL DEFAULT 0 CHECK (freshness_days >= 0),
	absent_means    TEXT,
	label_zh        TEXT NOT NULL CHECK (label_zh <> ''),
	label_en        TEXT NOT NULL CHECK (label_en <> ''),
	builtin         INTEGER NOT NULL DEFAULT 0 CHECK (builtin IN (0, 1)),
	position        INTEGER NOT NULL DEFAULT 0,
	created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CHECK (length(created_at) = 24)
);
CREATE INDEX fields_department ON fields (department_code);

-- One import, API call or report that brought facts in.
CREATE TABLE import_batches (
	id         INTEGER PRIMARY KEY,
	source     TEXT NOT NULL CHECK (source <> ''), -- 'import:file.csv', 'api', 'self-report', 'department'
	actor      TEXT NOT NULL,
	row_count  INTEGER NOT NULL DEFAULT 0 CHECK (row_count >= 0),
	created_at TEXT NOT NULL CHECK (length(created_at) = 24)
);

-- Every value ever recorded, with its provenance; rows are only appended.
CREATE TABLE facts (
	id            INTEGER PRIMARY KEY,
	enterprise_id INTEGER NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
	field         TEXT NOT NULL REFERENCES fields (name),
	period        TEXT NOT NULL CHECK (period = '' OR period GLOB '[12][0-9][0-9][0-9]' OR period GLOB '[12][0-9][0-9][0-9]Q[1-4]' OR period GLOB '[12][0-9][0-9][0-9]-[01][0-9]'),
	value         TEXT NOT NULL,
	source        TEXT NOT NULL CHECK (source <> ''),
	actor         TEXT NOT NULL,
	batch_id      INTEGER REFERENCES import_batches (id),
	recorded_at   TEXT NOT NULL CHECK (length(recorded_at) = 24)
);
CREATE INDEX facts_history ON facts (enterprise_id, field, period, id);
CREATE INDEX facts_batch ON facts (batch_id) WHERE batch_id IS NOT NULL;

-- The newest value of every (enterprise, field, period), kept by the fact
-- store as it appends, so that reading the population's current values is
-- one scan in enterprise order. recorded_at is when the current value was
-- recorded; a later identical value goes to the history only.
--
-- Each row copies its facts row (fact_id): that row's foreign keys already
-- vouch for the field, so the only key checked here is the enterprise's,
-- which also removes the row with the enterprise. Checking field and fact_id
-- again would cost two more key checks on every row of a million-row import
-- (on PostgreSQL about 10 ms per 1,000 rows each, by EXPLAIN ANALYZE).
CREATE TABLE current_facts (
	enterprise_id INTEGER NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
	field         TEXT NOT NULL,
	period        TEXT NOT NULL,
	value         TEXT NOT NULL,
	fact_id       INTEGER NOT NULL, -- the facts row holding this value
	recorded_at   TEXT NOT NULL CHECK (length(recorded_at) = 24),
	PRIMARY KEY (enterprise_id, field, period)
) WITHOUT ROWID;
