package outreach

import (
	"context"
	"encoding/json"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/policy"
	"github.com/parkdesk/parkdesk/internal/store"
)

// BuildReport says what Build did.
type BuildReport struct {
	Offers       int // offers added to or renewed in packages
	Drafts       int // draft packages created
	AutoApproved int // packages of auto-send policies, approved at once
	Dropped      int // draft offers dropped because their result changed or went
}

// buildSpan is how many enterprise ids one transaction of Build covers: the
// work of one transaction stays small, and a SQLite reader is never kept
// waiting long.
const buildSpan = 2000

// backgroundSpan is the span of BuildInBackground: a serving instance's
// build shares SQLite's one writer with sign-ins and forms, so it holds it
// for a fraction of a second at a time.
const backgroundSpan = 250

// buildLockKey serialises Build on PostgreSQL, where several instances may
// build at once and would otherwise open two drafts for one enterprise.
const buildLockKey = 0x6f757472 // "outr"

// latestResult is the SQL condition that r is the newest result of its
// enterprise and policy: results are kept per evaluation date.
const latestResult = `r.on_date = (SELECT MAX(c.on_date) FROM match_coverage c
  WHERE c.policy = r.policy AND r.enterprise_id BETWEEN c.first_id AND c.last_id)`

// Build turns the eligible results not offered yet into offers: a result is
// offered once per policy version and amount, so a new policy, a new
// version or a changed amount is offered, and an unchanged result never
// again. Offers go into the enterprise's draft package, made when it has
// none, except those of auto-send policies, which go out at once in a
// package of their own. Draft offers whose result changed or is no longer
// eligible are dropped first, and drafts left empty with them.
func (s *Service) Build(ctx context.Context, actor auth.Principal) (BuildReport, error) {
	return s.build(ctx, actor, buildSpan, nil)
}

// BuildInBackground is Build for a serving instance: in smaller spans, and
// after each span it waits as long as the span took, so that the build holds
// the database's writer at most half the time and the requests that write
// (a sign-in, a form) wait for one short span at most, not for the whole
// build: on SQLite, back-to-back spans of thousands of enterprises at
// start-up kept sign-ins waiting for half a minute.
func (s *Service) BuildInBackground(ctx context.Context, actor auth.Principal) (BuildReport, error) {
	return s.build(ctx, actor, backgroundSpan, s.yield)
}

// yield waits after a span of a background build; tests replace it.
func (s *Service) yield(ctx context.Context, took time.Duration) error {
	if s.Yield != nil {
		return s.Yield(ctx, took)
	}
	t := time.NewTimer(took)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func (s *Service) build(ctx context.Context, actor auth.Principal, span int64, yield func(context.Context, time.Duration) error) (BuildReport, error) {
	var report BuildReport
	if err := auth.Can(actor, auth.ManagePackages, auth.Resource{}); err != nil {
		return report, err
	}
	if actor.ParkID != 0 {
		return report, apperr.Errorf(apperr.Forbidden, "building packages covers every park: ask an officer of the whole zone")
	}
	settings, err := loadSettings(ctx, s.DB)
	if err != nil {
		return report, err
	}
	var lo, hi *int64
	if err := s.DB.QueryRow(ctx, `SELECT MIN(id), MAX(id) FROM enterprises`).Scan(&lo, &hi); err != nil {
		return report, err
	}
	if lo == nil {
		return report, nil
	}
	for first := *lo; first <= *hi; first += span {
		last := first + span - 1
		start := time.Now()
		err := s.DB.InTx(ctx, func(tx *store.Tx) error {
			if tx.Dialect() == store.Postgres {
				if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(?)", int64(buildLockKey)); err != nil {
					return err
				}
			}
			b := builder{s: s, tx: tx, actor: actor, settings: settings, now: s.now(), report: &report}
			return b.span(ctx, first, last)
		})
		if err != nil {
			return report, err
		}
		if yield != nil && last < *hi {
			if err := yield(ctx, time.Since(start)); err != nil {
				return report, err
			}
		}
	}
	return report, nil
}

// builder builds the packages of one span of enterprises in a transaction.
type builder struct {
	s        *Service
	tx       *store.Tx
	actor    auth.Principal
	settings map[string]PolicySetting
	now      time.Time
	report   *BuildReport
}

// candidate is an eligible result not offered yet.
type candidate struct {
	enterpriseID int64
	policy       string
	onDate       string
	amount       string
	versionID    int64
	why          policy.Texts
}

func (b *builder) span(ctx context.Context, first, last int64) error {
	if err := b.dropStale(ctx, first, last); err != nil {
		return err
	}
	cands, err := b.candidates(ctx, first, last)
	if err != nil {
		return err
	}
	for start := 0; start < len(cands); {
		end := start
		for end < len(cands) && cands[end].enterpriseID == cands[start].enterpriseID {
			end++
		}
		if err := b.enterprise(ctx, cands[start].enterpriseID, cands[start:end]); err != nil {
			return err
		}
		start = end
	}
	return nil
}

// dropStale removes draft offers that no longer match their enterprise's
// newest result, then the drafts left empty.
func (b *builder) dropStale(ctx context.Context, first, last int64) error {
	res, err := b.tx.Exec(ctx, `DELETE FROM outreach_items
WHERE enterprise_id BETWEEN ? AND ?
  AND package_id IN (SELECT id FROM outreach_packages WHERE status = 'draft')
  AND NOT EXISTS (SELECT 1 FROM match_results r
    WHERE r.enterprise_id = outreach_items.enterprise_id AND r.policy = outreach_items.policy AND `+latestResult+`
      AND r.status = 'eligible' AND r.version_id = outreach_items.version_id
      AND COALESCE(r.amount, '') = COALESCE(outreach_items.amount, ''))`, first, last)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil || n == 0 {
		return err
	}
	b.report.Dropped += int(n)
	rows, err := b.tx.Query(ctx, `DELETE FROM outreach_packages
WHERE status = 'draft' AND enterprise_id BETWEEN ? AND ?
  AND NOT EXISTS (SELECT 1 FROM outreach_items i WHERE i.package_id = outreach_packages.id)
RETURNING id, enterprise_id`, first, last)
	if err != nil {
		return err
	}
	var emptied [][2]int64
	for rows.Next() {
		var id, enterpriseID int64
		if err := rows.Scan(&id, &enterpriseID); err != nil {
			rows.Close()
			return err
		}
		emptied = append(emptied, [2]int64{id, enterpriseID})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, e := range emptied {
		if err := auth.Audit(ctx, b.tx, auth.Entry{Actor: b.actor, Action: "outreach.package.drop", ObjectType: "package",
			ObjectID: itoa(e[0]), Before: map[string]any{"enterprise_id": e[1], "status": PackageDraft}, At: b.now}); err != nil {
			return err
		}
	}
	return nil
}

// candidates reads the newest eligible results of the span that were never
// offered with their version and amount, in enterprise order. The rows are
// read whole before anything is written: a PostgreSQL connection runs one
// statement at a time.
func (b *builder) candidates(ctx context.Context, first, last int64) ([]candidate, error) {
	rows, err := b.tx.Query(ctx, `SELECT r.enterprise_id, r.policy, r.on_date, COALESCE(r.amount, ''), r.version_id, COALESCE(r.explanation, ''), COALESCE(v.explain_meta, '')
FROM match_results r JOIN match_policy_versions v ON v.id = r.version_id
WHERE r.enterprise_id BETWEEN ? AND ? AND r.status = 'eligible' AND `+latestResult+`
  AND NOT EXISTS (SELECT 1 FROM outreach_items i
    WHERE i.enterprise_id = r.enterprise_id AND i.policy = r.policy AND i.version_id = r.version_id
      AND COALESCE(i.amount, '') = COALESCE(r.amount, ''))
ORDER BY r.enterprise_id, r.policy`, first, last)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []candidate
	for rows.Next() {
		var c candidate
		var explanation, meta string
		if err := rows.Scan(&c.enterpriseID, &c.policy, &c.onDate, &c.amount, &c.versionID, &explanation, &meta); err != nil {
			return nil, err
		}
		p, known := b.policy(c.policy)
		if !known {
			continue // a policy no longer shipped cannot be described
		}
		amount, ok := canonicalAmount(c.amount)
		if !ok {
			continue // matching writes two decimals; anything else is not an amount to offer
		}
		if worthless(p, amount) {
			continue // an offer of nothing is noise for the officer and the enterprise
		}
		c.amount = amount
		c.why = whyOfStored(explanation, meta, p)
		out = append(out, c)
	}
	return out, rows.Err()
}

func (b *builder) policy(id string) (*policy.Policy, bool) {
	if b.s.Policies == nil {
		return nil, false
	}
	return b.s.Policies.Policy(id)
}

func (b *builder) setting(id string) PolicySetting {
	if ps, ok := b.settings[id]; ok {
		return ps
	}
	return defaultSetting(id)
}

// enterprise files one enterprise's candidates: the auto-send ones in a
// package approved now, the others in its draft.
func (b *builder) enterprise(ctx context.Context, enterpriseID int64, cands []candidate) error {
	var manual, auto []candidate
	for _, c := range cands {
		if b.setting(c.policy).AutoSend {
			auto = append(auto, c)
		} else {
			manual = append(manual, c)
		}
	}
	if len(manual) > 0 {
		id, created, err := b.draftOf(ctx, enterpriseID)
		if err != nil {
			return err
		}
		for _, c := range manual {
			if err := b.offer(ctx, id, c); err != nil {
				return err
			}
		}
		action := "outreach.package.update"
		if created {
			action = "outreach.package.create"
			b.report.Drafts++
		}
		if err := b.audit(ctx, action, id, enterpriseID, PackageDraft, manual); err != nil {
			return err
		}
	}
	if len(auto) > 0 {
		var id int64
		stamp := store.FormatTime(b.now)
		if err := b.tx.QueryRow(ctx, `INSERT INTO outreach_packages (enterprise_id, status, auto_approved, created_at, approved_at, approved_by)
VALUES (?, 'approved', TRUE, ?, ?, 'auto') RETURNING id`, enterpriseID, stamp, stamp).Scan(&id); err != nil {
			return err
		}
		for _, c := range auto {
			if err := b.offer(ctx, id, c); err != nil {
				return err
			}
		}
		if _, err := queueDeliveries(ctx, b.tx, id, enterpriseID, b.now); err != nil {
			return err
		}
		b.report.AutoApproved++
		if err := b.audit(ctx, "outreach.package.auto_approve", id, enterpriseID, PackageApproved, auto); err != nil {
			return err
		}
	}
	return nil
}

func (b *builder) audit(ctx context.Context, action string, packageID, enterpriseID int64, status PackageStatus, cands []candidate) error {
	offers := make([]map[string]string, 0, len(cands))
	for _, c := range cands {
		offers = append(offers, map[string]string{"policy": c.policy, "on_date": c.onDate, "amount": c.amount})
	}
	return auth.Audit(ctx, b.tx, auth.Entry{Actor: b.actor, Action: action, ObjectType: "package", ObjectID: itoa(packageID),
		After: map[string]any{"enterprise_id": enterpriseID, "status": status, "offers": offers}, At: b.now})
}

// draftOf returns the enterprise's open draft, made when it has none.
func (b *builder) draftOf(ctx context.Context, enterpriseID int64) (id int64, created bool, err error) {
	err = b.tx.QueryRow(ctx, `SELECT id FROM outreach_packages WHERE enterprise_id = ? AND status = 'draft' ORDER BY id DESC LIMIT 1`,
		enterpriseID).Scan(&id)
	if err == nil {
		return id, false, nil
	}
	if !isNotFound(err) {
		return 0, false, err
	}
	err = b.tx.QueryRow(ctx, `INSERT INTO outreach_packages (enterprise_id, status, created_at) VALUES (?, 'draft', ?) RETURNING id`,
		enterpriseID, store.FormatTime(b.now)).Scan(&id)
	return id, true, err
}

// offer writes a candidate into a package, replacing the package's offer of
// the same policy (a draft's earlier result).
func (b *builder) offer(ctx context.Context, packageID int64, c candidate) error {
	p, _ := b.policy(c.policy)
	ps := b.setting(c.policy)
	materials, err := json.Marshal(nonNil(p.Materials()))
	if err != nil {
		return err
	}
	var amount any
	if c.amount != "" {
		amount = c.amount
	}
	title := p.Title()
	// Where to claim: the officers' setting, else the policy's own claim
	// (the electronic tax bureau, the annual CIT filing …).
	where := ps.Where
	if where.Zh == "" && where.En == "" {
		where = p.Claim().Where
	}
	claimMode, by := claimOf(p, c.onDate)
	_, err = b.tx.Exec(ctx, `INSERT INTO outreach_items (package_id, enterprise_id, policy, version_id, on_date, amount, mode,
	title_zh, title_en, why_zh, why_en, materials, where_zh, where_en, deadline, claim_mode, by_zh, by_en)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (package_id, policy) DO UPDATE SET version_id = excluded.version_id, on_date = excluded.on_date,
	amount = excluded.amount, mode = excluded.mode, title_zh = excluded.title_zh, title_en = excluded.title_en,
	why_zh = excluded.why_zh, why_en = excluded.why_en, materials = excluded.materials,
	where_zh = excluded.where_zh, where_en = excluded.where_en, deadline = excluded.deadline,
	claim_mode = excluded.claim_mode, by_zh = excluded.by_zh, by_en = excluded.by_en`,
		packageID, c.enterpriseID, c.policy, c.versionID, c.onDate, amount, string(p.Mode().OfferMode()),
		title.Zh, title.En, c.why.Zh, c.why.En, string(materials), where.Zh, where.En, deadlineFor(ps, p, b.now),
		string(claimMode), by.Zh, by.En)
	if err != nil {
		return err
	}
	b.report.Offers++
	return nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
