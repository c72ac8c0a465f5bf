-- 0009 appeals (package appeal) and the official working-day calendar
-- (package workday): the years an administrator loaded over the shipped
-- schedules, appeal categories with their deadlines, appeals with their
-- clock, co-handlers, timeline, attachments, measures kept as running
-- counts, the knowledge base, meetings and special service teams.

-- Years loaded from a file, each a whole official schedule that replaces the
-- shipped one of that year; its days are rows of workday_exceptions.
CREATE TABLE workday_years (
	year      INTEGER PRIMARY KEY CHECK (year BETWEEN 1000 AND 9999),
	notice    TEXT NOT NULL CHECK (length(notice) BETWEEN 1 AND 200),
	source    TEXT NOT NULL,
	loaded_by TEXT NOT NULL,
	loaded_at TEXT NOT NULL CHECK (length(loaded_at) = 24)
);

-- Categories: the lead department an appeal is routed to, the working hours
-- to acknowledge it and the working days to resolve it. Admins edit them.
CREATE TABLE appeal_categories (
	code            TEXT PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 64),
	name_zh         TEXT NOT NULL CHECK (name_zh <> ''),
	name_en         TEXT NOT NULL DEFAULT '',
	department_code TEXT REFERENCES departments (code) ON UPDATE CASCADE,
	ack_hours       INTEGER NOT NULL CHECK (ack_hours BETWEEN 1 AND 80),
	resolve_days    INTEGER NOT NULL CHECK (resolve_days BETWEEN 1 AND 120),
	position        INTEGER NOT NULL DEFAULT 0,
	active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);
-- The 12345 hotline's practice: acknowledged in 2 working hours; a
-- consultation answered in 1 working day, a request for help in 5, a
-- complaint in 10.
INSERT INTO appeal_categories (code, name_zh, name_en, department_code, ack_hours, resolve_days, position) VALUES
	('policy', '政策咨询', 'Policy consultation', 'econ', 2, 1, 1),
	('approval', '审批许可', 'Approvals and permits', 'market', 2, 5, 2),
	('land', '用地用房', 'Land and space', 'invest', 2, 10, 3),
	('finance', '融资服务', 'Financing', 'econ', 2, 5, 4),
	('talent', '人才住房', 'Talent and housing', 'hrss', 2, 5, 5),
	('utilities', '水电气网与基础设施', 'Utilities and infrastructure', 'industry', 2, 5, 6),
	('market', '市场与知识产权', 'Market and IP', 'market', 2, 5, 7),
	('complaint', '投诉', 'Complaint', NULL, 2, 10, 8),
	('other', '其他', 'Other', NULL, 2, 5, 9);

-- Meetings where problems are raised: symposiums (企业家座谈会), bank,
-- government and enterprise meetings (政企银座谈会), key-project meetings.
CREATE TABLE appeal_meetings (
	id         INTEGER PRIMARY KEY,
	kind       TEXT NOT NULL CHECK (kind IN ('symposium', 'bank', 'project')),
	title      TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	held_on    TEXT NOT NULL CHECK (held_on GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
	minutes    TEXT NOT NULL DEFAULT '',
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL CHECK (length(created_at) = 24)
);
CREATE TABLE appeal_meeting_attendees (
	id              INTEGER PRIMARY KEY,
	meeting_id      INTEGER NOT NULL REFERENCES appeal_meetings (id) ON DELETE CASCADE,
	kind            TEXT NOT NULL CHECK (kind IN ('enterprise', 'department', 'bank')),
	enterprise_id   INTEGER REFERENCES enterprises (id) ON DELETE CASCADE,
	department_code TEXT REFERENCES departments (code) ON UPDATE CASCADE,
	name            TEXT NOT NULL DEFAULT ''
);
CREATE INDEX appeal_meeting_attendees_meeting ON appeal_meeting_attendees (meeting_id);

-- Special service teams (专班) for key enterprises: members from several
-- departments, a lead, tasks and milestones.
CREATE TABLE appeal_teams (
	id            INTEGER PRIMARY KEY,
	name          TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	enterprise_id INTEGER NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
	lead          TEXT NOT NULL,
	goal          TEXT NOT NULL DEFAULT '',
	created_by    TEXT NOT NULL,
	created_at    TEXT NOT NULL CHECK (length(created_at) = 24)
);
CREATE TABLE appeal_team_members (
	team_id         INTEGER NOT NULL REFERENCES appeal_teams (id) ON DELETE CASCADE,
	department_code TEXT NOT NULL REFERENCES departments (code) ON UPDATE CASCADE,
	PRIMARY KEY (team_id, department_code)
);
CREATE TABLE appeal_team_tasks (
	id              INTEGER PRIMARY KEY,
	team_id         INTEGER NOT NULL REFERENCES appeal_teams (id) ON DELETE CASCADE,
	title           TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	department_code TEXT REFERENCES departments (code) ON UPDATE CASCADE,
	milestone       INTEGER NOT NULL DEFAULT 0 CHECK (milestone IN (0, 1)),
	due_on          TEXT NOT NULL CHECK (due_on GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
	done_at         TEXT CHECK (done_at IS NULL OR length(done_at) = 24)
);
CREATE INDEX appeal_team_tasks_team ON appeal_team_tasks (team_id, due_on);

-- Appeals. The resolution clock is kept in working minutes: budget is the
-- time allowed, used the time spent before clock_from (the clock stops
-- while waiting for the enterprise: clock_from is NULL), so that a
-- deadline is clock_from plus what is left, on the calendar of the day,
-- and is recomputed when the calendar changes.
CREATE TABLE appeals (
	id              INTEGER PRIMARY KEY,
	enterprise_id   INTEGER NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
	category        TEXT NOT NULL REFERENCES appeal_categories (code) ON UPDATE CASCADE,
	title           TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	body            TEXT NOT NULL DEFAULT '',
	source          TEXT NOT NULL CHECK (source IN ('portal', 'visit', 'phone', 'meeting', 'api', 'team')),
	contact_name    TEXT NOT NULL DEFAULT '',
	contact_phone   TEXT NOT NULL DEFAULT '',
	-- received: with the receiving officer (首问负责); assigned: routed to
	-- the lead department, not yet accepted; in_progress; waiting for the
	-- enterprise (clock stopped); replied: waiting for the enterprise's
	-- confirmation; closed; merged into another appeal.
	status          TEXT NOT NULL CHECK (status IN ('received', 'assigned', 'in_progress', 'waiting', 'replied', 'closed', 'merged')),
	department_code TEXT REFERENCES departments (code) ON UPDATE CASCADE,
	owner           TEXT NOT NULL,
	received_at     TEXT NOT NULL CHECK (length(received_at) = 24),
	accepted_at     TEXT CHECK (accepted_at IS NULL OR length(accepted_at) = 24),
	ack_due_at      TEXT CHECK (ack_due_at IS NULL OR length(ack_due_at) = 24),
	budget_minutes  INTEGER NOT NULL CHECK (budget_minutes > 0),
	used_minutes    INTEGER NOT NULL DEFAULT 0 CHECK (used_minutes >= 0),
	clock_from      TEXT CHECK (clock_from IS NULL OR length(clock_from) = 24),
	due_at          TEXT CHECK (due_at IS NULL OR length(due_at) = 24),
	-- 0 none, 1 reminded at 50 %, 2 at 80 %, 3 escalated to the department
	-- head at the deadline, 4 to the committee leader after it (督办).
	level           INTEGER NOT NULL DEFAULT 0 CHECK (level BETWEEN 0 AND 4),
	next_event_at   TEXT CHECK (next_event_at IS NULL OR length(next_event_at) = 24),
	replied_at      TEXT CHECK (replied_at IS NULL OR length(replied_at) = 24),
	reply           TEXT NOT NULL DEFAULT '',
	on_time         INTEGER CHECK (on_time IS NULL OR on_time IN (0, 1)),
	closed_at       TEXT CHECK (closed_at IS NULL OR length(closed_at) = 24),
	rating          TEXT CHECK (rating IS NULL OR rating IN ('satisfied', 'basically', 'unsatisfied')),
	rating_comment  TEXT NOT NULL DEFAULT '',
	reopened        INTEGER NOT NULL DEFAULT 0 CHECK (reopened >= 0),
	merged_into     INTEGER REFERENCES appeals (id),
	meeting_id      INTEGER REFERENCES appeal_meetings (id) ON DELETE SET NULL,
	team_id         INTEGER REFERENCES appeal_teams (id) ON DELETE SET NULL,
	problem_id      INTEGER UNIQUE REFERENCES touch_problems (id) ON DELETE SET NULL,
	updated_at      TEXT NOT NULL CHECK (length(updated_at) = 24),
	CHECK (status = 'waiting' OR status IN ('replied', 'closed', 'merged') OR clock_from IS NOT NULL)
);
CREATE INDEX appeals_department ON appeals (department_code, status, due_at);
CREATE INDEX appeals_enterprise ON appeals (enterprise_id, status);
CREATE INDEX appeals_events ON appeals (next_event_at) WHERE next_event_at IS NOT NULL;
CREATE INDEX appeals_open ON appeals (status, due_at) WHERE status IN ('received', 'assigned', 'in_progress', 'waiting');

CREATE TABLE appeal_cohandlers (
	appeal_id       INTEGER NOT NULL REFERENCES appeals (id) ON DELETE CASCADE,
	department_code TEXT NOT NULL REFERENCES departments (code) ON UPDATE CASCADE,
	PRIMARY KEY (appeal_id, department_code)
);
CREATE INDEX appeal_cohandlers_department ON appeal_cohandlers (department_code, appeal_id);

-- The timeline: every change, with who, when and why.
CREATE TABLE appeal_events (
	id              INTEGER PRIMARY KEY,
	appeal_id       INTEGER NOT NULL REFERENCES appeals (id) ON DELETE CASCADE,
	at              TEXT NOT NULL CHECK (length(at) = 24),
	actor           TEXT NOT NULL,
	kind            TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 32),
	note            TEXT NOT NULL DEFAULT '',
	department_code TEXT
);
CREATE INDEX appeal_events_appeal ON appeal_events (appeal_id, id);

CREATE TABLE appeal_attachments (
	id           INTEGER PRIMARY KEY,
	appeal_id    INTEGER NOT NULL REFERENCES appeals (id) ON DELETE CASCADE,
	name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	content_type TEXT NOT NULL,
	size         INTEGER NOT NULL CHECK (size >= 0),
	data         BLOB NOT NULL,
	confidential INTEGER NOT NULL DEFAULT 0 CHECK (confidential IN (0, 1)),
	uploaded_by  TEXT NOT NULL,
	uploaded_at  TEXT NOT NULL CHECK (length(uploaded_at) = 24)
);
CREATE INDEX appeal_attachments_appeal ON appeal_attachments (appeal_id);

-- Measures as running counts per month, department and category, kept in
-- the transaction of each change, so that the dashboard never scans the
-- appeals. Each event counts in the month it happened.
CREATE TABLE appeal_measures (
	month           TEXT NOT NULL CHECK (month GLOB '[12][0-9][0-9][0-9]-[01][0-9]'),
	department_code TEXT NOT NULL, -- '' before assignment
	category        TEXT NOT NULL,
	received        INTEGER NOT NULL DEFAULT 0,
	replied         INTEGER NOT NULL DEFAULT 0,
	on_time         INTEGER NOT NULL DEFAULT 0,
	work_minutes    INTEGER NOT NULL DEFAULT 0, -- working minutes to reply, summed over replied
	closed          INTEGER NOT NULL DEFAULT 0,
	rated           INTEGER NOT NULL DEFAULT 0,
	satisfied       INTEGER NOT NULL DEFAULT 0, -- 满意 or 基本满意
	reopened        INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (month, department_code, category)
);

-- Resolved consultations, searchable: terms is the text cut into words
-- (Chinese segmentation), space-separated.
CREATE TABLE appeal_knowledge (
	id         INTEGER PRIMARY KEY,
	appeal_id  INTEGER UNIQUE REFERENCES appeals (id) ON DELETE SET NULL,
	category   TEXT NOT NULL,
	question   TEXT NOT NULL,
	answer     TEXT NOT NULL,
	terms      TEXT NOT NULL,
	created_at TEXT NOT NULL CHECK (length(created_at) = 24)
);

-- The calendar the open deadlines were last computed on.
CREATE TABLE appeal_clock (
	id       INTEGER PRIMARY KEY CHECK (id = 1),
	calendar TEXT NOT NULL
);
