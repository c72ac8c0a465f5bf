-- 0011 tech: the technology transfer desk (产学研对接, package tech):
-- holders, the achievement catalogue, enterprises' needs, introductions
-- followed to a contract (dockings) and docking events; and notices, so
-- that the outbox delivers messages that are not benefit packages.

-- The organisations that hold achievements: universities, institutes.
CREATE TABLE tech_holders (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE CHECK (name <> ''),
	kind       TEXT NOT NULL DEFAULT 'university' CHECK (kind IN ('university', 'institute', 'enterprise', 'other')),
	contact    TEXT NOT NULL DEFAULT '',
	phone      TEXT NOT NULL DEFAULT '',
	email      TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL CHECK (length(created_at) = 24),
	updated_at TEXT NOT NULL CHECK (length(updated_at) = 24)
);

-- Change counters of the catalogue and the needs: every write advances
-- its counter in the same transaction and stamps the row with the new
-- value, so that an instance's in-memory index reads only the rows past
-- the revision it has (and the counter row serialises the writers, so that
-- revisions commit in order).
CREATE TABLE tech_counters (
	name  TEXT PRIMARY KEY CHECK (name IN ('achievements', 'needs')),
	value INTEGER NOT NULL CHECK (value >= 0)
);
INSERT INTO tech_counters (name, value) VALUES ('achievements', 0), ('needs', 0);

-- The catalogue. keywords, transfer_modes and ip_numbers are lists joined
-- by a newline; terms is the analysed text (one line per field of the
-- ranking's schema, terms separated by spaces) and analyzer the version of
-- the analysis that made it.
CREATE TABLE tech_achievements (
	id             INTEGER PRIMARY KEY,
	code           TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 64),
	title          TEXT NOT NULL CHECK (title <> ''),
	holder_id      INTEGER NOT NULL REFERENCES tech_holders (id),
	field          TEXT NOT NULL DEFAULT '',
	keywords       TEXT NOT NULL DEFAULT '',
	abstract       TEXT NOT NULL DEFAULT '',
	maturity       TEXT NOT NULL DEFAULT '' CHECK (maturity IN ('', 'lab', 'small_pilot', 'pilot', 'demonstration', 'industrial')),
	transfer_modes TEXT NOT NULL DEFAULT '',
	ip_numbers     TEXT NOT NULL DEFAULT '',
	contact        TEXT NOT NULL DEFAULT '',
	phone          TEXT NOT NULL DEFAULT '',
	email          TEXT NOT NULL DEFAULT '',
	price          TEXT, -- yuan, two decimals; NULL is negotiable (面议)
	status         TEXT NOT NULL DEFAULT 'listed' CHECK (status IN ('listed', 'withdrawn')),
	terms          TEXT NOT NULL DEFAULT '',
	analyzer       INTEGER NOT NULL DEFAULT 0,
	revision       INTEGER NOT NULL,
	updated_by     TEXT NOT NULL,
	created_at     TEXT NOT NULL CHECK (length(created_at) = 24),
	updated_at     TEXT NOT NULL CHECK (length(updated_at) = 24)
);
CREATE INDEX tech_achievements_revision ON tech_achievements (revision);
CREATE INDEX tech_achievements_holder ON tech_achievements (holder_id);

-- Enterprises' technology needs, posted in the portal or recorded by an
-- officer from a visit or an appeal.
CREATE TABLE tech_needs (
	id            INTEGER PRIMARY KEY,
	code          TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 64),
	enterprise_id INTEGER NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
	title         TEXT NOT NULL CHECK (title <> ''),
	description   TEXT NOT NULL DEFAULT '',
	field         TEXT NOT NULL DEFAULT '',
	budget        TEXT, -- yuan, two decimals; NULL when not said
	wanted_by     TEXT CHECK (wanted_by GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
	source        TEXT NOT NULL CHECK (source IN ('portal', 'officer', 'import')),
	status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
	terms         TEXT NOT NULL DEFAULT '',
	analyzer      INTEGER NOT NULL DEFAULT 0,
	revision      INTEGER NOT NULL,
	created_by    TEXT NOT NULL,
	created_at    TEXT NOT NULL CHECK (length(created_at) = 24),
	updated_at    TEXT NOT NULL CHECK (length(updated_at) = 24)
);
CREATE INDEX tech_needs_enterprise ON tech_needs (enterprise_id, id);
CREATE INDEX tech_needs_revision ON tech_needs (revision);

-- Docking events (对接会).
CREATE TABLE tech_events (
	id         INTEGER PRIMARY KEY,
	title      TEXT NOT NULL CHECK (title <> ''),
	held_on    TEXT NOT NULL CHECK (held_on GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
	place      TEXT NOT NULL DEFAULT '',
	note       TEXT NOT NULL DEFAULT '',
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL CHECK (length(created_at) = 24)
);

-- Who signed up for an event: an enterprise or a holder.
CREATE TABLE tech_event_signups (
	id            INTEGER PRIMARY KEY,
	event_id      INTEGER NOT NULL REFERENCES tech_events (id) ON DELETE CASCADE,
	enterprise_id INTEGER REFERENCES enterprises (id) ON DELETE CASCADE,
	holder_id     INTEGER REFERENCES tech_holders (id) ON DELETE CASCADE,
	signed_up_by  TEXT NOT NULL,
	signed_up_at  TEXT NOT NULL CHECK (length(signed_up_at) = 24),
	CHECK ((enterprise_id IS NULL) <> (holder_id IS NULL)),
	UNIQUE (event_id, enterprise_id),
	UNIQUE (event_id, holder_id)
);

-- A docking: an enterprise introduced to an achievement's holder, followed
-- introduced → talks → signed (amount, mode, date) or closed (reason).
-- event_id is the docking event where the pair met, if any.
CREATE TABLE tech_dockings (
	id              INTEGER PRIMARY KEY,
	enterprise_id   INTEGER NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
	achievement_id  INTEGER NOT NULL REFERENCES tech_achievements (id),
	need_id         INTEGER REFERENCES tech_needs (id) ON DELETE SET NULL,
	event_id        INTEGER REFERENCES tech_events (id) ON DELETE SET NULL,
	stage           TEXT NOT NULL CHECK (stage IN ('introduced', 'talks', 'signed', 'closed')),
	reason          TEXT NOT NULL DEFAULT '', -- why the match was proposed (shared terms, industry fit)
	contract_amount TEXT, -- yuan, two decimals, when signed
	contract_mode   TEXT CHECK (contract_mode IN ('transfer', 'license', 'equity', 'joint')),
	signed_on       TEXT CHECK (signed_on GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
	closed_reason   TEXT NOT NULL DEFAULT '',
	introduced_by   TEXT NOT NULL,
	introduced_at   TEXT NOT NULL CHECK (length(introduced_at) = 24),
	updated_at      TEXT NOT NULL CHECK (length(updated_at) = 24),
	UNIQUE (enterprise_id, achievement_id),
	CHECK (stage <> 'signed' OR (contract_amount IS NOT NULL AND contract_mode IS NOT NULL AND signed_on IS NOT NULL)),
	CHECK (stage <> 'closed' OR closed_reason <> '')
);
CREATE INDEX tech_dockings_stage ON tech_dockings (stage, signed_on);

-- Each step of a docking, for its history.
CREATE TABLE tech_docking_steps (
	id         INTEGER PRIMARY KEY,
	docking_id INTEGER NOT NULL REFERENCES tech_dockings (id) ON DELETE CASCADE,
	stage      TEXT NOT NULL CHECK (stage IN ('introduced', 'talks', 'signed', 'closed')),
	note       TEXT NOT NULL DEFAULT '',
	actor      TEXT NOT NULL,
	at         TEXT NOT NULL CHECK (length(at) = 24)
);
CREATE INDEX tech_docking_steps_docking ON tech_docking_steps (docking_id, id);

-- Notices: messages the outbox delivers that are not benefit packages (an
-- introduction to a holder). enterprise_id is the enterprise it concerns,
-- whose contact's channels it may go by.
CREATE TABLE outreach_notices (
	id            INTEGER PRIMARY KEY,
	kind          TEXT NOT NULL CHECK (kind <> ''),
	enterprise_id INTEGER REFERENCES enterprises (id) ON DELETE CASCADE,
	subject       TEXT NOT NULL CHECK (subject <> ''),
	body          TEXT NOT NULL,
	link          TEXT NOT NULL DEFAULT '',
	created_at    TEXT NOT NULL CHECK (length(created_at) = 24)
);

-- A delivery is now of a package or of a notice. SQLite cannot drop a NOT
-- NULL, so the table is rebuilt with its rows.
CREATE TABLE outreach_deliveries_new (
	id          INTEGER PRIMARY KEY,
	package_id  INTEGER REFERENCES outreach_packages (id) ON DELETE CASCADE,
	notice_id   INTEGER REFERENCES outreach_notices (id) ON DELETE CASCADE,
	channel     TEXT NOT NULL CHECK (channel IN ('portal', 'email', 'sms', 'wecom', 'dingtalk')),
	idem_key    TEXT NOT NULL UNIQUE,
	target      TEXT NOT NULL DEFAULT '',
	status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dead')),
	attempts    INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
	retries     INTEGER NOT NULL DEFAULT 0 CHECK (retries >= 0),
	last_error  TEXT NOT NULL DEFAULT '',
	created_at  TEXT NOT NULL CHECK (length(created_at) = 24),
	lease_until TEXT CHECK (length(lease_until) = 24),
	enqueued_at TEXT CHECK (length(enqueued_at) = 24),
	sent_at     TEXT CHECK (length(sent_at) = 24),
	dead_at     TEXT CHECK (length(dead_at) = 24),
	UNIQUE (package_id, channel),
	CHECK ((package_id IS NULL) <> (notice_id IS NULL))
);
INSERT INTO outreach_deliveries_new (id, package_id, channel, idem_key, target, status, attempts, retries, last_error,
	created_at, lease_until, enqueued_at, sent_at, dead_at)
SELECT id, package_id, channel, idem_key, target, status, attempts, retries, last_error,
	created_at, lease_until, enqueued_at, sent_at, dead_at FROM outreach_deliveries;
DROP TABLE outreach_deliveries;
ALTER TABLE outreach_deliveries_new RENAME TO outreach_deliveries;
CREATE INDEX outreach_deliveries_status ON outreach_deliveries (status, id);
CREATE INDEX outreach_deliveries_notice ON outreach_deliveries (notice_id) WHERE notice_id IS NOT NULL;
