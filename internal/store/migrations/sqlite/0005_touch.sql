-- 0005 touch: the enterprise service commissioner system (package touch):
-- quiet rules, commissioners' capacity, the working-day calendar as data,
-- touch requests with the items they want, joint visits, and the problems
-- raised at visits (kept for the appeals capability).

-- One commissioner per enterprise: the portfolio table (0002) allows
-- several; the commissioner system needs exactly one to schedule by.
CREATE UNIQUE INDEX commissioner_enterprises_one ON commissioner_enterprises (enterprise_id);

-- Exceptions to the working week: holidays and make-up working days (调休).
-- The Chinese calendar of a year is rows here, loaded from a file.
CREATE TABLE workday_exceptions (
	day     TEXT PRIMARY KEY CHECK (day GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
	working INTEGER NOT NULL CHECK (working IN (0, 1)),
	name    TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;

-- Quiet rules of a park or of one enterprise (which replace its park's).
CREATE TABLE quiet_rules (
	id            INTEGER PRIMARY KEY,
	park_id       INTEGER UNIQUE REFERENCES parks (id) ON DELETE CASCADE,
	enterprise_id INTEGER UNIQUE REFERENCES enterprises (id) ON DELETE CASCADE,
	windows       TEXT NOT NULL DEFAULT '[]', -- JSON: [{"first_day":1,"last_day":20}, {"from":"2025-03-01","to":"2025-03-07"}]
	monthly_cap   INTEGER NOT NULL DEFAULT 0 CHECK (monthly_cap >= 0), -- 0: no cap
	yearly_cap    INTEGER NOT NULL DEFAULT 0 CHECK (yearly_cap >= 0),
	updated_by    TEXT NOT NULL,
	updated_at    TEXT NOT NULL CHECK (length(updated_at) = 24),
	CHECK ((park_id IS NULL) <> (enterprise_id IS NULL))
);

-- A commissioner's daily capacity when it differs from the default.
CREATE TABLE commissioner_capacity (
	user_id        INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	daily_capacity INTEGER NOT NULL CHECK (daily_capacity BETWEEN 0 AND 50),
	updated_at     TEXT NOT NULL CHECK (length(updated_at) = 24)
);

-- Joint visits: planned, confirmed by the liaison (or asked to move),
-- made and logged by the commissioner.
CREATE TABLE touch_visits (
	id              INTEGER PRIMARY KEY,
	enterprise_id   INTEGER NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
	commissioner_id INTEGER NOT NULL REFERENCES users (id),
	day             TEXT NOT NULL CHECK (day GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
	earliest        TEXT NOT NULL CHECK (earliest <= day),
	latest          TEXT NOT NULL CHECK (latest >= day),
	status          TEXT NOT NULL CHECK (status IN ('proposed', 'confirmed', 'reschedule', 'done', 'cancelled')),
	exempt_only     INTEGER NOT NULL DEFAULT 0 CHECK (exempt_only IN (0, 1)),
	quiet_break     INTEGER NOT NULL DEFAULT 0 CHECK (quiet_break IN (0, 1)),
	cap_break       INTEGER NOT NULL DEFAULT 0 CHECK (cap_break IN (0, 1)),
	asked_day       TEXT CHECK (asked_day IS NULL OR asked_day GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
	asked_note      TEXT NOT NULL DEFAULT '',
	log_note        TEXT NOT NULL DEFAULT '',
	created_at      TEXT NOT NULL CHECK (length(created_at) = 24),
	updated_at      TEXT NOT NULL CHECK (length(updated_at) = 24),
	done_at         TEXT CHECK (done_at IS NULL OR length(done_at) = 24)
);
CREATE INDEX touch_visits_enterprise ON touch_visits (enterprise_id, day);
CREATE INDEX touch_visits_commissioner ON touch_visits (commissioner_id, day);

-- A department's request to touch an enterprise.
CREATE TABLE touch_requests (
	id              INTEGER PRIMARY KEY,
	enterprise_id   INTEGER NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
	department_code TEXT NOT NULL REFERENCES departments (code) ON UPDATE CASCADE,
	kind            TEXT NOT NULL CHECK (kind IN ('visit', 'data_report', 'materials', 'inspection')),
	basis           TEXT NOT NULL CHECK (length(basis) BETWEEN 1 AND 1000), -- legal basis or inspection item
	earliest        TEXT NOT NULL CHECK (earliest GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
	latest          TEXT NOT NULL CHECK (latest GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]' AND latest >= earliest),
	on_site         INTEGER NOT NULL CHECK (on_site IN (0, 1)),
	minutes         INTEGER NOT NULL DEFAULT 60 CHECK (minutes BETWEEN 0 AND 1440),
	exemption       TEXT NOT NULL DEFAULT '' CHECK (exemption IN ('', 'complaint', 'accident', 'safety', 'statutory_deadline', 'campaign')),
	note            TEXT NOT NULL DEFAULT '',
	-- pending: waiting for a visit or for answers; planned: on a visit;
	-- done / not_done: logged at the visit; answered: every item answered
	-- without a visit; withdrawn by the department.
	status          TEXT NOT NULL CHECK (status IN ('pending', 'planned', 'done', 'not_done', 'answered', 'withdrawn')),
	visit_id        INTEGER REFERENCES touch_visits (id) ON DELETE SET NULL,
	unmet_reason    TEXT, -- why the last plan could not serve it, when it could not
	unmet_proof     TEXT, -- JSON: the cap proof
	outcome_note    TEXT NOT NULL DEFAULT '',
	filed_by        TEXT NOT NULL,
	filed_at        TEXT NOT NULL CHECK (length(filed_at) = 24),
	updated_at      TEXT NOT NULL CHECK (length(updated_at) = 24),
	CHECK (status <> 'planned' OR visit_id IS NOT NULL)
);
CREATE INDEX touch_requests_enterprise ON touch_requests (enterprise_id, status);
CREATE INDEX touch_requests_department ON touch_requests (department_code, filed_at);
CREATE INDEX touch_requests_visit ON touch_requests (visit_id) WHERE visit_id IS NOT NULL;
CREATE INDEX touch_requests_pending ON touch_requests (status, latest) WHERE status = 'pending';

-- What a request wants: data fields (answered from the registry when on
-- file and fresh, else asked on the enterprise's one form) and check items
-- or materials (answered at the visit, or on the form for remote requests).
CREATE TABLE touch_items (
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
	fact_id     INTEGER REFERENCES facts (id) ON DELETE SET NULL,
	recorded_at TEXT CHECK (recorded_at IS NULL OR length(recorded_at) = 24),
	answered_at TEXT CHECK (answered_at IS NULL OR length(answered_at) = 24),
	UNIQUE (request_id, position),
	CHECK ((field IS NULL) <> (label = ''))
);
CREATE INDEX touch_items_open ON touch_items (field, period) WHERE answer IS NULL AND field IS NOT NULL;

-- Problems raised at a visit (痛点、堵点): kept for the appeals capability,
-- which turns them into appeals and sets appeal_id.
CREATE TABLE touch_problems (
	id              INTEGER PRIMARY KEY,
	visit_id        INTEGER NOT NULL REFERENCES touch_visits (id) ON DELETE CASCADE,
	enterprise_id   INTEGER NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
	department_code TEXT REFERENCES departments (code) ON UPDATE CASCADE, -- the department it concerns, if known
	text            TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 4000),
	raised_by       TEXT NOT NULL,
	raised_at       TEXT NOT NULL CHECK (length(raised_at) = 24),
	appeal_id       INTEGER -- no foreign key: the appeals table comes later
);
CREATE INDEX touch_problems_open ON touch_problems (enterprise_id) WHERE appeal_id IS NULL;
