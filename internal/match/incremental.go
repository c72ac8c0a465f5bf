package match

import (
	"context"
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
	versions, err := m.versionIDs(ctx, db, prog)
	if err != nil {
		return RangeStats{}, err
	}
	storedVersion := map[string]int64{}
	rows, err := db.Query(ctx, "SELECT policy, version_id FROM match_results WHERE enterprise_id = ? AND on_date = ?",
		enterpriseID, prog.On.Format(time.DateOnly))
	if err != nil {
		return RangeStats{}, fmt.Errorf("match: read stored versions: %w", err)
	}
	for rows.Next() {
		var p string
		var v int64
		if err := rows.Scan(&p, &v); err != nil {
			rows.Close()
			return RangeStats{}, fmt.Errorf("match: read stored versions: %w", err)
		}
		storedVersion[p] = v
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return RangeStats{}, fmt.Errorf("match: read stored versions: %w", err)
	}
	// A plainly ineligible result has no row: the coverage says which
	// policies the enterprise was evaluated against, and by what version.
	cov, err := readCoverage(ctx, db, prog.On.Format(time.DateOnly), enterpriseID, enterpriseID)
	if err != nil {
		return RangeStats{}, err
	}
	for p, rs := range cov {
		if _, ok := storedVersion[p]; !ok && len(rs) > 0 {
			storedVersion[p] = rs[0].version
		}
	}
	plans := []*vector.Plan{}
	for _, pl := range prog.Policies {
		v, had := storedVersion[pl.ID]
		if !had || v != versions[pl.ID] || readsAny(pl, changedFields) {
			plans = append(plans, pl)
		}
	}
	if len(plans) == 0 {
		return RangeStats{Enterprises: 1}, nil
	}
	c, err := LoadChunk(ctx, db, prog, enterpriseID, enterpriseID)
	if err != nil {
		return RangeStats{}, err
	}
	if c.N == 0 {
		return RangeStats{}, fmt.Errorf("match: enterprise %d: %w", enterpriseID, store.ErrNotFound)
	}
	return m.storeRange(ctx, db, prog, c, plans, enterpriseID, enterpriseID, nil, nil)
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
