-- 0010 project: the park's own picture (package project and indicator):
-- investment projects with their stages, signings, funds in place and
-- milestones; signing ceremonies; the park's space and industry funds;
-- indicator values entered by the statistics and tax bureaus, and targets;
-- business-environment surveys and the reform tasks their shortfalls become.

-- Signing ceremonies (签约仪式) group the projects signed at one event.
CREATE TABLE signing_ceremonies (
	id         INTEGER PRIMARY KEY,
	code       TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 64),
	name       TEXT NOT NULL CHECK (name <> ''),
	held_on    TEXT NOT NULL CHECK (held_on GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
	park_id    INTEGER REFERENCES parks (id) ON DELETE SET NULL,
	created_at TEXT NOT NULL CHECK (length(created_at) = 24)
);

-- Investment projects (招商项目). total_investment is the total after the
-- latest signing (NULL before any); amounts are yuan with two decimals.
CREATE TABLE projects (
	id               INTEGER PRIMARY KEY,
	code             TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 64),
	name             TEXT NOT NULL CHECK (name <> ''),
	investor         TEXT NOT NULL DEFAULT '',
	enterprise_id    INTEGER REFERENCES enterprises (id) ON DELETE SET NULL,
	industry_code    TEXT CHECK (length(industry_code) BETWEEN 1 AND 5),
	park_id          INTEGER REFERENCES parks (id) ON DELETE SET NULL,
	stage            TEXT NOT NULL CHECK (stage IN ('lead', 'negotiating', 'signed', 'started', 'producing', 'dropped')),
	stage_since      TEXT NOT NULL CHECK (stage_since GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
	total_investment TEXT,
	expected_output  TEXT,
	space_kind       TEXT NOT NULL DEFAULT '' CHECK (space_kind IN ('', 'factory', 'incubator', 'land')),
	space_area       TEXT, -- square metres, decimal text
	officer_id       INTEGER REFERENCES users (id) ON DELETE SET NULL,
	last_activity    TEXT NOT NULL CHECK (last_activity GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
	created_at       TEXT NOT NULL CHECK (length(created_at) = 24),
	updated_at       TEXT NOT NULL CHECK (length(updated_at) = 24)
);
CREATE INDEX projects_park_stage ON projects (park_id, stage);

-- The dated history of stages.
CREATE TABLE project_stages (
	id         INTEGER PRIMARY KEY,
	project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
	stage      TEXT NOT NULL CHECK (stage IN ('lead', 'negotiating', 'signed', 'started', 'producing', 'dropped')),
	on_date    TEXT NOT NULL CHECK (on_date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
	actor      TEXT NOT NULL,
	created_at TEXT NOT NULL CHECK (length(created_at) = 24)
);
CREATE INDEX project_stages_project ON project_stages (project_id, on_date);

-- Signings. total_investment is the total after this signing; increase is
-- what this signing adds (the whole total at the first); is_first marks the
-- signing that counts the project. Both are rewritten for the project's
-- chain whenever a signing is added, in the same transaction.
CREATE TABLE project_signings (
	id               INTEGER PRIMARY KEY,
	project_id       INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
	signed_on        TEXT NOT NULL CHECK (signed_on GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
	total_investment TEXT NOT NULL,
	increase         TEXT NOT NULL,
	is_first         INTEGER NOT NULL CHECK (is_first IN (0, 1)),
	ceremony_id      INTEGER REFERENCES signing_ceremonies (id) ON DELETE SET NULL,
	created_at       TEXT NOT NULL CHECK (length(created_at) = 24),
	UNIQUE (project_id, signed_on)
);
CREATE INDEX project_signings_date ON project_signings (signed_on);

-- Funds in place (到位资金): yuan arrived in a month.
CREATE TABLE project_funds (
	project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
	month      TEXT NOT NULL CHECK (month GLOB '[12][0-9][0-9][0-9]-[01][0-9]'),
	amount     TEXT NOT NULL,
	PRIMARY KEY (project_id, month)
);
CREATE INDEX project_funds_month ON project_funds (month);

-- Milestones with due dates.
CREATE TABLE project_milestones (
	id         INTEGER PRIMARY KEY,
	project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
	title      TEXT NOT NULL CHECK (title <> ''),
	due_on     TEXT NOT NULL CHECK (due_on GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
	done_on    TEXT CHECK (done_on GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]')
);
CREATE INDEX project_milestones_project ON project_milestones (project_id, due_on);

-- The park's space: standard factory floors, incubator space, land quotas.
-- price is yuan per square metre and month (land: per square metre).
CREATE TABLE park_spaces (
	id         INTEGER PRIMARY KEY,
	code       TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 64),
	name       TEXT NOT NULL CHECK (name <> ''),
	park_id    INTEGER REFERENCES parks (id) ON DELETE SET NULL,
	kind       TEXT NOT NULL CHECK (kind IN ('factory', 'incubator', 'land')),
	area       TEXT NOT NULL,
	price      TEXT,
	status     TEXT NOT NULL CHECK (status IN ('available', 'reserved', 'occupied')),
	project_id INTEGER REFERENCES projects (id) ON DELETE SET NULL,
	updated_at TEXT NOT NULL CHECK (length(updated_at) = 24)
);

-- Industry funds and what they committed and invested.
CREATE TABLE industry_funds (
	id         INTEGER PRIMARY KEY,
	code       TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 64),
	name       TEXT NOT NULL CHECK (name <> ''),
	park_id    INTEGER REFERENCES parks (id) ON DELETE SET NULL,
	size       TEXT NOT NULL,
	created_at TEXT NOT NULL CHECK (length(created_at) = 24)
);
CREATE TABLE fund_investments (
	id            INTEGER PRIMARY KEY,
	fund_id       INTEGER NOT NULL REFERENCES industry_funds (id) ON DELETE CASCADE,
	kind          TEXT NOT NULL CHECK (kind IN ('commitment', 'investment')),
	project_id    INTEGER REFERENCES projects (id) ON DELETE SET NULL,
	enterprise_id INTEGER REFERENCES enterprises (id) ON DELETE SET NULL,
	amount        TEXT NOT NULL,
	on_date       TEXT NOT NULL CHECK (on_date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]')
);
CREATE INDEX fund_investments_fund ON fund_investments (fund_id, on_date);

-- Indicator values entered by hand or by file (GDP, industrial output, tax
-- revenue), append-only with provenance; the newest of a key is current.
CREATE TABLE indicator_entries (
	id          INTEGER PRIMARY KEY,
	park_id     INTEGER NOT NULL REFERENCES parks (id) ON DELETE CASCADE,
	indicator   TEXT NOT NULL CHECK (length(indicator) BETWEEN 1 AND 64),
	period      TEXT NOT NULL CHECK (length(period) BETWEEN 4 AND 7),
	value       TEXT NOT NULL,
	source      TEXT NOT NULL CHECK (source <> ''),
	actor       TEXT NOT NULL,
	recorded_at TEXT NOT NULL CHECK (length(recorded_at) = 24)
);
CREATE INDEX indicator_entries_key ON indicator_entries (park_id, indicator, period, id);

-- Targets per indicator and year.
CREATE TABLE indicator_targets (
	park_id   INTEGER NOT NULL REFERENCES parks (id) ON DELETE CASCADE,
	indicator TEXT NOT NULL CHECK (length(indicator) BETWEEN 1 AND 64),
	year      INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2999),
	value     TEXT NOT NULL,
	PRIMARY KEY (park_id, indicator, year)
);

-- Business-environment survey campaigns (营商环境评价). Answers are kept
-- without the enterprise; survey_respondents only stops a second answer.
CREATE TABLE surveys (
	id        INTEGER PRIMARY KEY,
	code      TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 64),
	title     TEXT NOT NULL CHECK (title <> ''),
	opens_on  TEXT NOT NULL CHECK (opens_on GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
	closes_on TEXT NOT NULL CHECK (closes_on GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
	created_at TEXT NOT NULL CHECK (length(created_at) = 24)
);
CREATE TABLE survey_questions (
	id              INTEGER PRIMARY KEY,
	survey_id       INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
	position        INTEGER NOT NULL,
	text_zh         TEXT NOT NULL CHECK (text_zh <> ''),
	text_en         TEXT NOT NULL CHECK (text_en <> ''),
	department_code TEXT NOT NULL REFERENCES departments (code) ON UPDATE CASCADE,
	UNIQUE (survey_id, position)
);
CREATE TABLE survey_answers (
	id          INTEGER PRIMARY KEY,
	question_id INTEGER NOT NULL REFERENCES survey_questions (id) ON DELETE CASCADE,
	score       INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5)
);
CREATE INDEX survey_answers_question ON survey_answers (question_id);
CREATE TABLE survey_respondents (
	survey_id     INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
	enterprise_id INTEGER NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
	PRIMARY KEY (survey_id, enterprise_id)
);

-- Reform tasks: a shortfall of the evaluation assigned to a department.
CREATE TABLE reform_tasks (
	id              INTEGER PRIMARY KEY,
	department_code TEXT NOT NULL REFERENCES departments (code) ON UPDATE CASCADE,
	title           TEXT NOT NULL CHECK (title <> ''),
	due_on          TEXT NOT NULL CHECK (due_on GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
	done_on         TEXT CHECK (done_on GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
	created_by      TEXT NOT NULL,
	created_at      TEXT NOT NULL CHECK (length(created_at) = 24)
);
