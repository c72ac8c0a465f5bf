package match

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/money"
)

// PolicyRow is one enterprise's result in a policy's list.
type PolicyRow struct {
	EnterpriseID int64
	USCC, Name   string
	IndustryCode string
	Status       string
	// Amount is decimal text, "" when the result has none or the reader
	// may not see it (Withheld).
	Amount   string
	Missing  []string
	NearMiss bool
	Withheld bool
}

// policyStatuses are the lists of a policy's results: the status written
// into the SQL, from this list only, with the condition of the partial
// index match_results_policy, so that SQLite reads a policy's results
// through that index instead of scanning every result. The ineligible are
// listed by their near misses, the ones worth a look; "" lists all three.
var policyStatuses = map[string]string{
	"":             "(r.status <> 'ineligible' OR r.near_miss IS NOT NULL)",
	"eligible":     "r.status = 'eligible'",
	"undetermined": "r.status = 'undetermined'",
	"ineligible":   "r.status = 'ineligible' AND r.near_miss IS NOT NULL",
}

// Policy returns a page of the results of one policy on the park's current
// date over the enterprises p may see results of (auth.Scope of
// auth.ViewResults, in the SQL), the largest amounts first, and how many
// there are. Amounts come out through the field-visibility rule.
func (r *Results) Policy(ctx context.Context, p auth.Principal, policyID, status string, limit, offset int) ([]PolicyRow, int, error) {
	if err := auth.Can(p, auth.ViewPolicies, auth.Resource{}); err != nil {
		return nil, 0, err
	}
	statusSQL, ok := policyStatuses[status]
	if !ok {
		return nil, 0, apperr.InvalidInput("the status is not valid", apperr.Problem{Field: "status",
			Reason: fmt.Sprintf("%q is not one of eligible, undetermined, ineligible", status)})
	}
	on, err := r.CurrentOn(ctx)
	if err != nil || on == "" {
		return nil, 0, err
	}
	db := r.DB
	scope := auth.Scope(p, auth.ViewResults, auth.Columns{Enterprise: "r.enterprise_id"})
	where := "r.policy = ? AND r.on_date = ? AND " + statusSQL + " AND (r.status <> 'ineligible' OR r.near_miss IS NOT NULL) AND " + scope.SQL
	args := append([]any{policyID, on}, scope.Args...)
	var total int
	if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM match_results r WHERE "+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("match: count the results of %s: %w", policyID, err)
	}
	if total == 0 {
		return nil, 0, nil
	}
	rows, err := db.Query(ctx, `SELECT e.id, e.uscc, e.name, COALESCE(e.industry_code, ''), r.status, COALESCE(r.amount, ''), r.missing, r.near_miss
FROM match_results r JOIN enterprises e ON e.id = r.enterprise_id
WHERE `+where+`
ORDER BY `+money.SQLFen("COALESCE(r.amount, '0.00')")+` DESC, e.id
LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("match: list the results of %s: %w", policyID, err)
	}
	defer rows.Close()
	var out []PolicyRow
	for rows.Next() {
		var row PolicyRow
		var missing, near sql.NullString
		if err := rows.Scan(&row.EnterpriseID, &row.USCC, &row.Name, &row.IndustryCode, &row.Status, &row.Amount, &missing, &near); err != nil {
			return nil, 0, err
		}
		if missing.Valid {
			_ = json.Unmarshal([]byte(missing.String), &row.Missing)
		}
		row.NearMiss = near.Valid
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if len(out) > 0 {
		dict, err := r.dictionary(ctx)
		if err != nil {
			return nil, 0, err
		}
		if newMask(p, dict, r.library()).policyHides(policyID) {
			for i := range out {
				if out[i].Amount != "" {
					out[i].Amount, out[i].Withheld = "", true
				}
			}
		}
	}
	return out, total, nil
}
