-- 0012 ux (issue 11): what people need to act on what they read.
--
-- An offer keeps the policy's own claim mode beside the offer mode (mode:
-- automatic or apply, which decides how it is answered): a benefit the
-- enterprise declares in its own tax filing is not "granted directly", and
-- its message says so. by_zh/by_en say by when it is claimed, the filing
-- period included for a refund dated by one.
ALTER TABLE outreach_items ADD COLUMN claim_mode TEXT NOT NULL DEFAULT ''
	CHECK (claim_mode IN ('', 'automatic', 'confirm', 'apply', 'self_declare'));
ALTER TABLE outreach_items ADD COLUMN by_zh TEXT NOT NULL DEFAULT '';
ALTER TABLE outreach_items ADD COLUMN by_en TEXT NOT NULL DEFAULT '';

-- A staff member's work phone, shown to the liaisons of the enterprises a
-- commissioner looks after.
ALTER TABLE users ADD COLUMN phone TEXT NOT NULL DEFAULT '' CHECK (length(phone) <= 40);
