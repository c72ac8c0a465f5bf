package match

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/parkdesk/parkdesk/internal/match/vector"
	"github.com/parkdesk/parkdesk/internal/store"
)

// Reevaluate evaluates one enterprise again after facts of it changed (an
// import, the API), as of the date on: only the policies that read one of
// the changed fields ("industry_code" and "registered_on" name the record's
// own attributes), and any policy whose stored result for the enterprise
// was computed by another version of the policy or is missing. It stores
// the results that changed, with their change records, in one transaction,
// exactly as a batch would: the same program, the same comparison with
// what is stored.
func (m *Matcher) Reevaluate(ctx context.Context, db *store.DB, on time.Time, enterpriseID int64, changedFields []string) (RangeStats, error) {
	prog, err := m.Program(on, "")
	if err != nil {
		return RangeStats{}, err
	}
	versions, metas, err := m.versionIDs(ctx, db, prog)
	if err != nil {
		return RangeStats{}, err
	}
	day := prog.On.Format(time.DateOnly)
	now := store.FormatTime(time.Now())
	// One write transaction of few statements: on PostgreSQL each is a
	// round trip to the server, and a re-evaluation is a dozen
	// milliseconds' wait when it takes a dozen of them (issue 16). The
	// stored results and the coverage come in one query, the enterprise
	// and its facts in another, and the writes (results, change records,
	// the counter) in one batch.
	stats := RangeStats{Enterprises: 1}
	err = db.InTx(ctx, func(tx *store.Tx) error {
		stored, cov, err := readOneStored(ctx, tx, day, enterpriseID)
		if err != nil {
			return err
		}
		plans := []*vector.Plan{}
		for _, pl := range prog.Policies {
			v, had := storedVersionOf(stored, cov, enterpriseID, pl.ID)
			if !had || v != versions[pl.ID] || readsAny(pl, changedFields) {
				plans = append(plans, pl)
			}
		}
		if len(plans) == 0 {
			return nil
		}
		c, err := loadOne(ctx, tx, prog, enterpriseID)
		if err != nil {
			return err
		}
		if c.N == 0 {
			return fmt.Errorf("match: enterprise %d: %w", enterpriseID, store.ErrNotFound)
		}
		ev, err := prog.EvaluatePlans(c, DBRecords{Ctx: ctx, Q: tx}, m.Workers, plans)
		if err != nil {
			return err
		}
		p := prepareSlice(ev, 0, c.N, day, now, versions, metas, stored, cov, prog.NewExplainer())
		covChanged, err := writeCoverage(ctx, tx, ev, cov, day, now, versions, enterpriseID, enterpriseID)
		if err != nil {
			return err
		}
		var b store.Batch
		queuePrepared(&b, tx.Dialect(), p, day, now)
		if p.written > 0 || covChanged {
			tx.QueueBump(&b, store.CounterResults)
		}
		if err := tx.SendBatch(ctx, &b); err != nil {
			return fmt.Errorf("match: write results: %w", err)
		}
		stats = RangeStats{Enterprises: c.N, Results: p.results, Written: p.written, Kept: p.kept, Changes: len(p.changes),
			Exact: ev.Pending, Engine: ev.Engine}
		return nil
	})
	return stats, err
}

// storedVersionOf is the version the enterprise's stored result for the
// policy was computed by: its row's, or for a plainly ineligible result,
// which has no row, its coverage range's.
func storedVersionOf(stored map[storedKey]storedResult, cov coverage, enterpriseID int64, policyID string) (int64, bool) {
	if r, ok := stored[storedKey{enterpriseID, policyID}]; ok {
		return r.versionID, true
	}
	for _, r := range cov[policyID] {
		if r.first <= enterpriseID && enterpriseID <= r.last {
			return r.version, true
		}
	}
	return 0, false
}

// readOneStored reads one enterprise's stored results of the date and the
// coverage ranges holding it, in one query.
func readOneStored(ctx context.Context, q store.Queryer, on string, enterpriseID int64) (map[storedKey]storedResult, coverage, error) {
	rows, err := q.Query(ctx, `SELECT 0, policy, status, amount, near_miss, missing, version_id, fingerprint, 0, 0
FROM match_results WHERE enterprise_id = ? AND on_date = ?
UNION ALL
SELECT 1, policy, '', NULL, NULL, NULL, version_id, '', first_id, last_id
FROM match_coverage WHERE on_date = ? AND first_id <= ? AND last_id >= ?`, enterpriseID, on, on, enterpriseID, enterpriseID)
	if err != nil {
		return nil, nil, fmt.Errorf("match: read stored results: %w", err)
	}
	defer rows.Close()
	stored, cov := map[storedKey]storedResult{}, coverage{}
	for rows.Next() {
		var kind int
		var p string
		var r storedResult
		var amount, nearMiss, missing sql.NullString
		var first, last int64
		if err := rows.Scan(&kind, &p, &r.status, &amount, &nearMiss, &missing, &r.versionID, &r.fingerprint, &first, &last); err != nil {
			return nil, nil, fmt.Errorf("match: read stored results: %w", err)
		}
		if kind == 1 {
			cov[p] = append(cov[p], coverRange{first: first, last: last, version: r.versionID})
			continue
		}
		r.amount, r.nearMiss, r.missing = amount.String, nearMiss.String, missing.String
		stored[storedKey{enterpriseID, p}] = r
	}
	return stored, cov, rows.Err()
}

func readsAny(pl *vector.Plan, fields []string) bool {
	for _, f := range pl.Policy.Fields() {
		if slices.Contains(fields, f) {
			return true
		}
	}
	return false
}

// StalePolicies lists the policies in force on the date whose stored
// results were computed, for some enterprise, by another version of the
// policy file: each is to be matched again for everyone (a run with
// RunOptions.Policy set, or `parkdesk match --policy ID`), which rewrites
// only the results that differ.
func (m *Matcher) StalePolicies(ctx context.Context, db *store.DB, on time.Time) ([]string, error) {
	prog, err := m.Program(on, "")
	if err != nil {
		return nil, err
	}
	var stale []string
	for _, pl := range prog.Policies {
		var n int
		day := prog.On.Format(time.DateOnly)
		err := db.QueryRow(ctx, `SELECT (SELECT COUNT(*) FROM match_results r JOIN match_policy_versions v ON v.id = r.version_id
WHERE r.on_date = ? AND r.policy = ? AND v.version <> ?) + (SELECT COUNT(*) FROM match_coverage c
JOIN match_policy_versions v ON v.id = c.version_id WHERE c.on_date = ? AND c.policy = ? AND v.version <> ?)`,
			day, pl.ID, pl.Version, day, pl.ID, pl.Version).Scan(&n)
		if err != nil {
			return nil, fmt.Errorf("match: stale results of %s: %w", pl.ID, err)
		}
		if n > 0 {
			stale = append(stale, pl.ID)
		}
	}
	return stale, nil
}
