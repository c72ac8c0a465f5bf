-- 0002 auth: users and commissioners' portfolios, sessions, one-time links,
-- login throttling, API tokens and the append-only audit log (package auth).
--
-- Secrets (session ids, link and API tokens) are stored as the hex SHA-256
-- of the random value the user holds; the database never has the value.

CREATE TABLE users (
	id              INTEGER PRIMARY KEY,
	login           TEXT NOT NULL UNIQUE CHECK (length(login) BETWEEN 1 AND 254), -- normalised: NFKC, lower case
	display_name    TEXT NOT NULL CHECK (display_name <> ''),
	role            TEXT NOT NULL CHECK (role IN ('admin', 'officer', 'department', 'commissioner', 'enterprise', 'leader')),
	department_code TEXT REFERENCES departments (code) ON UPDATE CASCADE,
	enterprise_id   INTEGER REFERENCES enterprises (id),
	park_id         INTEGER REFERENCES parks (id),
	disabled        INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
	password_hash   TEXT NOT NULL DEFAULT '', -- argon2id PHC string; '' until an invitation is accepted
	created_at      TEXT NOT NULL CHECK (length(created_at) = 24),
	updated_at      TEXT NOT NULL CHECK (length(updated_at) = 24),
	CHECK (role <> 'department' OR department_code IS NOT NULL),
	CHECK ((role = 'enterprise') = (enterprise_id IS NOT NULL))
);
CREATE INDEX users_enterprise ON users (enterprise_id) WHERE enterprise_id IS NOT NULL;

-- The enterprises each commissioner looks after (the commissioner issue
-- manages them; auth scopes by them).
CREATE TABLE commissioner_enterprises (
	user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	enterprise_id INTEGER NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
	assigned_at   TEXT NOT NULL CHECK (length(assigned_at) = 24),
	PRIMARY KEY (user_id, enterprise_id)
) WITHOUT ROWID;
CREATE INDEX commissioner_enterprises_enterprise ON commissioner_enterprises (enterprise_id, user_id);

CREATE TABLE sessions (
	id           TEXT PRIMARY KEY CHECK (length(id) = 64),
	user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at   TEXT NOT NULL CHECK (length(created_at) = 24),
	last_seen_at TEXT NOT NULL CHECK (length(last_seen_at) = 24),
	expires_at   TEXT NOT NULL CHECK (length(expires_at) = 24), -- the absolute limit
	client_addr  TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Invitation and password reset links: one use, until expires_at.
CREATE TABLE auth_links (
	token_hash TEXT PRIMARY KEY CHECK (length(token_hash) = 64),
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	purpose    TEXT NOT NULL CHECK (purpose IN ('invite', 'reset')),
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL CHECK (length(created_at) = 24),
	expires_at TEXT NOT NULL CHECK (length(expires_at) = 24),
	used_at    TEXT CHECK (used_at IS NULL OR length(used_at) = 24)
) WITHOUT ROWID;
CREATE INDEX auth_links_user ON auth_links (user_id);

-- Failed logins per key ('account:LOGIN' or 'addr:ADDRESS'), in the
-- database so that a lockout holds across instances.
CREATE TABLE login_throttle (
	key          TEXT PRIMARY KEY,
	failures     INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
	window_start TEXT NOT NULL CHECK (length(window_start) = 24),
	locked_until TEXT CHECK (locked_until IS NULL OR length(locked_until) = 24),
	lockouts     INTEGER NOT NULL DEFAULT 0 CHECK (lockouts >= 0),
	updated_at   TEXT NOT NULL CHECK (length(updated_at) = 24)
) WITHOUT ROWID;

CREATE TABLE api_tokens (
	id              INTEGER PRIMARY KEY,
	name            TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	display_prefix  TEXT NOT NULL, -- 'pdk_' and the first 8 characters, to tell tokens apart
	token_hash      TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
	role            TEXT NOT NULL CHECK (role IN ('officer', 'department', 'leader')),
	department_code TEXT REFERENCES departments (code) ON UPDATE CASCADE,
	park_id         INTEGER REFERENCES parks (id),
	created_by      TEXT NOT NULL,
	created_at      TEXT NOT NULL CHECK (length(created_at) = 24),
	expires_at      TEXT NOT NULL CHECK (length(expires_at) = 24),
	last_used_at    TEXT CHECK (last_used_at IS NULL OR length(last_used_at) = 24),
	revoked_at      TEXT CHECK (revoked_at IS NULL OR length(revoked_at) = 24),
	CHECK (role <> 'department' OR department_code IS NOT NULL)
);

-- Who did what, when, to what, with the state before and after. Rows are
-- only ever inserted: the triggers below refuse UPDATE and DELETE, and the
-- program has no statement that would try.
CREATE TABLE audit_log (
	id             INTEGER PRIMARY KEY,
	at             TEXT NOT NULL CHECK (length(at) = 24),
	actor_user_id  INTEGER, -- no foreign key: the log outlives what it names
	actor_token_id INTEGER,
	actor_label    TEXT NOT NULL CHECK (actor_label <> ''),
	action         TEXT NOT NULL CHECK (action <> ''),
	object_type    TEXT NOT NULL DEFAULT '',
	object_id      TEXT NOT NULL DEFAULT '',
	before_json    TEXT,
	after_json     TEXT,
	client_addr    TEXT NOT NULL DEFAULT '',
	outcome        TEXT NOT NULL CHECK (outcome IN ('success', 'failure', 'denied'))
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor_label, at);
CREATE INDEX audit_log_action ON audit_log (action, at);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id, at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only: rows cannot be changed');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only: rows cannot be deleted');
END;
