package match

import (
	"context"
	"fmt"

	"github.com/parkdesk/parkdesk/internal/match/vector"
	"github.com/parkdesk/parkdesk/internal/store"
)

// Coverage (match_coverage, migration 0013) records which enterprises were
// evaluated against a policy on a date, as id ranges: a plainly ineligible
// result, the most common one, has no row of its own, so that storing a
// million enterprises' results costs what the results users read are worth.
// An enterprise covered for a policy and date with no stored result is
// ineligible; one not covered was not evaluated.

type coverRange struct{ first, last, version int64 }

// coverage holds, per policy, the ranges of one date that overlap the ids a
// write covers.
type coverage map[string][]coverRange

func (c coverage) covers(policyID string, id int64) bool {
	for _, r := range c[policyID] {
		if r.first <= id && id <= r.last {
			return true
		}
	}
	return false
}

// readCoverage reads the ranges of the date that overlap first … last.
func readCoverage(ctx context.Context, q store.Queryer, on string, first, last int64) (coverage, error) {
	rows, err := q.Query(ctx, "SELECT policy, first_id, last_id, version_id FROM match_coverage WHERE on_date = ? AND first_id <= ? AND last_id >= ?",
		on, last, first)
	if err != nil {
		return nil, fmt.Errorf("match: read the coverage: %w", err)
	}
	defer rows.Close()
	out := coverage{}
	for rows.Next() {
		var p string
		var r coverRange
		if err := rows.Scan(&p, &r.first, &r.last, &r.version); err != nil {
			return nil, fmt.Errorf("match: read the coverage: %w", err)
		}
		out[p] = append(out[p], r)
	}
	return out, rows.Err()
}

// writeCoverage records that the evaluation's policies were evaluated for
// the ids first … last on the date. Ranges of a policy and date never
// overlap: the new range and those it overlaps become their union, whose
// version is the evaluation's when the new range is the whole union, else
// the oldest of them (so that StalePolicies still sees an older version's
// results). A range inside one already recorded (an incremental
// re-evaluation inside a batch's partition) changes nothing. cov holds the
// ranges of the date overlapping first … last, read in the same
// transaction.
// It reports whether it changed a range.
func writeCoverage(ctx context.Context, tx *store.Tx, ev *vector.Evaluation, cov coverage, on, now string, versions map[string]int64, first, last int64) (bool, error) {
	changed := false
	for _, o := range ev.Policies {
		id := o.Plan.ID
		lo, hi, v := first, last, versions[id]
		old := cov[id]
		if len(old) == 1 && old[0].first <= first && last <= old[0].last && (old[0].first != first || old[0].last != last) {
			continue
		}
		if len(old) == 1 && old[0].first == first && old[0].last == last && old[0].version == v {
			continue // the same range by the same version: nothing to record
		}
		changed = true
		for _, r := range old {
			lo, hi = min(lo, r.first), max(hi, r.last)
		}
		if lo != first || hi != last {
			for _, r := range old {
				v = min(v, r.version)
			}
		}
		if len(old) > 0 {
			if _, err := tx.Exec(ctx, "DELETE FROM match_coverage WHERE on_date = ? AND policy = ? AND first_id <= ? AND last_id >= ?",
				on, id, last, first); err != nil {
				return false, fmt.Errorf("match: record the coverage: %w", err)
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO match_coverage (on_date, policy, first_id, last_id, version_id, evaluated_at)
VALUES (?, ?, ?, ?, ?, ?)`, on, id, lo, hi, v, now); err != nil {
			return false, fmt.Errorf("match: record the coverage: %w", err)
		}
	}
	return changed, nil
}

// coveredSQL is the condition that the enterprise of the column was
// evaluated against the policy of the column on the date of the column.
func coveredSQL(enterprise, policy, onDate string) string {
	return "EXISTS (SELECT 1 FROM match_coverage c WHERE c.on_date = " + onDate + " AND c.policy = " + policy +
		" AND " + enterprise + " BETWEEN c.first_id AND c.last_id)"
}

// LatestDate returns the latest date the enterprise was evaluated on
// (against any policy), "" when it never was.
func LatestDate(ctx context.Context, q store.Queryer, enterpriseID int64) (string, error) {
	var on *string
	if err := q.QueryRow(ctx, "SELECT MAX(on_date) FROM match_coverage WHERE ? BETWEEN first_id AND last_id", enterpriseID).Scan(&on); err != nil {
		return "", fmt.Errorf("match: the latest date of enterprise %d: %w", enterpriseID, err)
	}
	if on == nil {
		return "", nil
	}
	return *on, nil
}

// LatestRunDate returns the latest date any enterprise was evaluated on, ""
// when none was.
func LatestRunDate(ctx context.Context, q store.Queryer) (string, error) {
	var on *string
	if err := q.QueryRow(ctx, "SELECT MAX(on_date) FROM match_coverage").Scan(&on); err != nil {
		return "", fmt.Errorf("match: the latest date: %w", err)
	}
	if on == nil {
		return "", nil
	}
	return *on, nil
}

// Covered counts, per policy, the enterprises (of the park, when parkID is
// not 0) evaluated on the date: with the stored results, whose absence is
// "ineligible", it gives every status's count.
func Covered(ctx context.Context, q store.Queryer, on string, parkID int64) (map[string]int, error) {
	query := `SELECT c.policy, COUNT(*) FROM match_coverage c JOIN enterprises e ON e.id BETWEEN c.first_id AND c.last_id
WHERE c.on_date = ?`
	args := []any{on}
	if parkID != 0 {
		query += " AND e.park_id = ?"
		args = append(args, parkID)
	}
	rows, err := q.Query(ctx, query+" GROUP BY c.policy", args...)
	if err != nil {
		return nil, fmt.Errorf("match: the enterprises evaluated: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var p string
		var n int
		if err := rows.Scan(&p, &n); err != nil {
			return nil, fmt.Errorf("match: the enterprises evaluated: %w", err)
		}
		out[p] = n
	}
	return out, rows.Err()
}

// PlainResult is a plainly ineligible result, which has no row: the policy
// and the version that evaluated it.
type PlainResult struct {
	Policy, Version string
}

// PlainIneligible lists the policies the enterprise was evaluated against
// on the date (YYYY-MM-DD) with no stored result: it is plainly ineligible
// for them.
func PlainIneligible(ctx context.Context, q store.Queryer, enterpriseID int64, on string) ([]PlainResult, error) {
	rows, err := q.Query(ctx, `SELECT c.policy, v.version FROM match_coverage c JOIN match_policy_versions v ON v.id = c.version_id
WHERE c.on_date = ? AND ? BETWEEN c.first_id AND c.last_id
  AND NOT EXISTS (SELECT 1 FROM match_results r WHERE r.enterprise_id = ? AND r.policy = c.policy AND r.on_date = c.on_date)
ORDER BY c.policy`, on, enterpriseID, enterpriseID)
	if err != nil {
		return nil, fmt.Errorf("match: the plainly ineligible results of %d: %w", enterpriseID, err)
	}
	defer rows.Close()
	var out []PlainResult
	for rows.Next() {
		var p PlainResult
		if err := rows.Scan(&p.Policy, &p.Version); err != nil {
			return nil, fmt.Errorf("match: the plainly ineligible results of %d: %w", enterpriseID, err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
