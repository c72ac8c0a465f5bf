-- 0004 outreach: benefit packages (政策礼包) built from eligible match
-- results, the liaisons' contacts and channel choices, the deliveries of the
-- outbox (one per package and channel), and what came of each offer (package
-- outreach).
--
-- The delivery jobs themselves are River jobs (river_job, created by River's
-- own migrations); outreach_deliveries is the outbox they work from, and the
-- record of what was delivered.

-- An enterprise's liaison (企业联络员) as the outbox reaches them, and the
-- channels they chose. The portal inbox is always on. The webhooks are the
-- enterprise's own group robots (WeCom, DingTalk); dingtalk_secret signs
-- DingTalk requests when set.
CREATE TABLE outreach_contacts (
	enterprise_id    INTEGER PRIMARY KEY REFERENCES enterprises (id) ON DELETE CASCADE,
	name             TEXT NOT NULL DEFAULT '',
	email            TEXT NOT NULL DEFAULT '',
	phone            TEXT NOT NULL DEFAULT '',
	by_email         INTEGER NOT NULL DEFAULT 0 CHECK (by_email IN (0, 1)),
	by_sms           INTEGER NOT NULL DEFAULT 0 CHECK (by_sms IN (0, 1)),
	by_wecom         INTEGER NOT NULL DEFAULT 0 CHECK (by_wecom IN (0, 1)),
	by_dingtalk      INTEGER NOT NULL DEFAULT 0 CHECK (by_dingtalk IN (0, 1)),
	wecom_webhook    TEXT NOT NULL DEFAULT '',
	dingtalk_webhook TEXT NOT NULL DEFAULT '',
	dingtalk_secret  TEXT NOT NULL DEFAULT '',
	updated_by       TEXT NOT NULL,
	updated_at       TEXT NOT NULL CHECK (length(updated_at) = 24)
);

-- How the park offers a policy: whether its packages go out without an
-- officer's review, the deadline to answer by (a date, else the policy's
-- end of force, else respond_days after the package), and where to apply.
CREATE TABLE outreach_policy_settings (
	policy       TEXT PRIMARY KEY CHECK (length(policy) BETWEEN 1 AND 64),
	auto_send    INTEGER NOT NULL DEFAULT 0 CHECK (auto_send IN (0, 1)),
	deadline     TEXT CHECK (deadline GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
	respond_days INTEGER NOT NULL DEFAULT 30 CHECK (respond_days BETWEEN 1 AND 366),
	where_zh     TEXT NOT NULL DEFAULT '',
	where_en     TEXT NOT NULL DEFAULT '',
	updated_by   TEXT NOT NULL,
	updated_at   TEXT NOT NULL CHECK (length(updated_at) = 24)
);

-- A benefit package: what one enterprise is told at once. draft waits for an
-- officer; approved is in the outbox; delivered when a channel delivered it;
-- read when the liaison opened it in the portal; withdrawn when an officer
-- decided not to send it.
CREATE TABLE outreach_packages (
	id            INTEGER PRIMARY KEY,
	enterprise_id INTEGER NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
	status        TEXT NOT NULL CHECK (status IN ('draft', 'approved', 'delivered', 'read', 'withdrawn')),
	auto_approved INTEGER NOT NULL DEFAULT 0 CHECK (auto_approved IN (0, 1)),
	created_at    TEXT NOT NULL CHECK (length(created_at) = 24),
	approved_at   TEXT CHECK (length(approved_at) = 24),
	approved_by   TEXT,
	delivered_at  TEXT CHECK (length(delivered_at) = 24),
	read_at       TEXT CHECK (length(read_at) = 24),
	withdrawn_at  TEXT CHECK (length(withdrawn_at) = 24),
	withdrawn_by  TEXT,
	CHECK ((status = 'draft') = (approved_at IS NULL AND withdrawn_at IS NULL))
);
CREATE INDEX outreach_packages_enterprise ON outreach_packages (enterprise_id, id);
CREATE INDEX outreach_packages_status ON outreach_packages (status, id);
-- The realized-benefits report reads the delivered packages only.
CREATE INDEX outreach_packages_delivered ON outreach_packages (delivered_at) WHERE delivered_at IS NOT NULL;

-- One policy of a package, as it was offered: the texts are copied so that a
-- delivery sends the same words however often it is retried. The result it
-- came from is (enterprise_id, policy, on_date) with version_id and amount;
-- a result already offered with the same version and amount is not offered
-- again. status follows the offer: offered → confirmed (an automatic
-- benefit's intention) or applied → granted, or declined.
CREATE TABLE outreach_items (
	id             INTEGER PRIMARY KEY,
	package_id     INTEGER NOT NULL REFERENCES outreach_packages (id) ON DELETE CASCADE,
	enterprise_id  INTEGER NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
	policy         TEXT NOT NULL CHECK (length(policy) BETWEEN 1 AND 64),
	version_id     INTEGER NOT NULL REFERENCES match_policy_versions (id),
	on_date        TEXT NOT NULL CHECK (length(on_date) = 10),
	amount         TEXT, -- yuan with two decimals; NULL when the policy has none
	mode           TEXT NOT NULL CHECK (mode IN ('automatic', 'apply')),
	title_zh       TEXT NOT NULL,
	title_en       TEXT NOT NULL,
	why_zh         TEXT NOT NULL DEFAULT '',
	why_en         TEXT NOT NULL DEFAULT '',
	materials      TEXT NOT NULL DEFAULT '[]', -- JSON: [{"zh": …, "en": …}]
	where_zh       TEXT NOT NULL DEFAULT '',
	where_en       TEXT NOT NULL DEFAULT '',
	deadline       TEXT CHECK (length(deadline) = 10),
	status         TEXT NOT NULL DEFAULT 'offered' CHECK (status IN ('offered', 'confirmed', 'applied', 'granted', 'declined')),
	responded_at   TEXT CHECK (length(responded_at) = 24),
	responded_by   TEXT,
	decline_reason TEXT NOT NULL DEFAULT '',
	granted_amount TEXT,
	granted_on     TEXT CHECK (length(granted_on) = 10),
	granted_by     TEXT,
	granted_at     TEXT CHECK (length(granted_at) = 24),
	UNIQUE (package_id, policy),
	CHECK ((status = 'granted') = (granted_amount IS NOT NULL AND granted_on IS NOT NULL))
);
CREATE INDEX outreach_items_result ON outreach_items (enterprise_id, policy, id);

-- The outbox: one delivery per (package, channel), named by its idempotency
-- key, which also travels with the message (the e-mail's Message-ID, the
-- webhook's message) so that a receiver can drop a repeat. target is the
-- address the delivery goes to, fixed when it is queued. pending → sent, or
-- dead once its retries are spent; an officer may send a dead one again.
-- enqueued_at is set once its job is in River's queue. A worker sending it
-- holds it until lease_until, so that two jobs of one delivery (a job
-- rescued from a process that seemed dead) never send at once.
CREATE TABLE outreach_deliveries (
	id          INTEGER PRIMARY KEY,
	package_id  INTEGER NOT NULL REFERENCES outreach_packages (id) ON DELETE CASCADE,
	channel     TEXT NOT NULL CHECK (channel IN ('portal', 'email', 'sms', 'wecom', 'dingtalk')),
	idem_key    TEXT NOT NULL UNIQUE,
	target      TEXT NOT NULL DEFAULT '',
	status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dead')),
	attempts    INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
	retries     INTEGER NOT NULL DEFAULT 0 CHECK (retries >= 0), -- times an officer sent it again
	last_error  TEXT NOT NULL DEFAULT '',
	created_at  TEXT NOT NULL CHECK (length(created_at) = 24),
	lease_until TEXT CHECK (length(lease_until) = 24), -- a worker is sending it until then
	enqueued_at TEXT CHECK (length(enqueued_at) = 24),
	sent_at     TEXT CHECK (length(sent_at) = 24),
	dead_at     TEXT CHECK (length(dead_at) = 24),
	UNIQUE (package_id, channel)
);
CREATE INDEX outreach_deliveries_status ON outreach_deliveries (status, id);
