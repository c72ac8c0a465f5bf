package match

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/cockroachdb/apd/v3"

	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/policy"
	"github.com/parkdesk/parkdesk/internal/store"
)

// StoredResult is a stored result as the queries return it.
type StoredResult struct {
	EnterpriseID int64        `json:"enterprise_id"`
	USCC         string       `json:"uscc,omitempty"`
	Name         string       `json:"name,omitempty"`
	Policy       string       `json:"policy"`
	Status       string       `json:"status"`
	Amount       string       `json:"amount,omitempty"`
	NearMiss     string       `json:"near_miss,omitempty"`
	Missing      []string     `json:"missing,omitempty"`
	Explanation  *Explanation `json:"explanation,omitempty"`
	EvaluatedAt  time.Time    `json:"evaluated_at"`
}

// EnterpriseView is what matching says of one enterprise on a date: its
// benefits, its near misses, the results undetermined and the data they
// lack.
type EnterpriseView struct {
	On           string         `json:"on"`
	Benefits     []StoredResult `json:"benefits"`
	NearMisses   []StoredResult `json:"near_misses"`
	Undetermined []StoredResult `json:"undetermined"`
	// Missing lists the fields to collect, each with the policies that
	// need it.
	Missing     []FieldNeed `json:"missing"`
	TotalAmount string      `json:"total_amount"`
}

// FieldNeed is a missing field and the policies whose results wait for it.
type FieldNeed struct {
	Field    string   `json:"field"`
	Policies []string `json:"policies"`
}

// ForEnterprise returns the stored results of an enterprise on the date.
func ForEnterprise(ctx context.Context, q store.Queryer, enterpriseID int64, on time.Time) (EnterpriseView, error) {
	day := on.Format(time.DateOnly)
	v := EnterpriseView{On: day, Benefits: []StoredResult{}, NearMisses: []StoredResult{}, Undetermined: []StoredResult{}, Missing: []FieldNeed{}}
	rows, err := q.Query(ctx, `SELECT r.policy, r.status, r.amount, r.near_miss, r.missing, r.explanation, r.evaluated_at, v.version
FROM match_results r JOIN match_policy_versions v ON v.id = r.version_id
WHERE r.enterprise_id = ? AND r.on_date = ? AND (r.status <> 'ineligible' OR r.near_miss IS NOT NULL)
ORDER BY r.policy`, enterpriseID, day)
	if err != nil {
		return v, fmt.Errorf("match: results of enterprise %d: %w", enterpriseID, err)
	}
	defer rows.Close()
	var total apd.Decimal
	needs := map[string][]string{}
	for rows.Next() {
		r := StoredResult{EnterpriseID: enterpriseID}
		var amount, nearMiss, missing, explanation sql.NullString
		var version string
		if err := rows.Scan(&r.Policy, &r.Status, &amount, &nearMiss, &missing, &explanation, store.ScanTime(&r.EvaluatedAt), &version); err != nil {
			return v, fmt.Errorf("match: results of enterprise %d: %w", enterpriseID, err)
		}
		r.Amount, r.NearMiss = amount.String, nearMiss.String
		if missing.Valid {
			if err := json.Unmarshal([]byte(missing.String), &r.Missing); err != nil {
				return v, fmt.Errorf("match: stored missing fields of %d %s: %w", enterpriseID, r.Policy, err)
			}
		}
		if explanation.Valid {
			r.Explanation = new(Explanation)
			if err := json.Unmarshal([]byte(explanation.String), r.Explanation); err != nil {
				return v, fmt.Errorf("match: stored explanation of %d %s: %w", enterpriseID, r.Policy, err)
			}
			// The stored form leaves out what the result's columns hold.
			r.Explanation.Version, r.Explanation.Status, r.Explanation.Missing = version, policy.Status(r.Status), r.Missing
			if r.Explanation.Missing == nil {
				r.Explanation.Missing = []string{}
			}
			r.Explanation.Amount = nil
			if r.Amount != "" {
				a := r.Amount
				r.Explanation.Amount = &a
			}
		}
		switch r.Status {
		case "eligible":
			v.Benefits = append(v.Benefits, r)
			if r.Amount != "" {
				var d apd.Decimal
				if _, _, err := d.SetString(r.Amount); err == nil {
					arith.Add(&total, &total, &d)
				}
			}
		case "undetermined":
			v.Undetermined = append(v.Undetermined, r)
			for _, f := range r.Missing {
				needs[f] = append(needs[f], r.Policy)
			}
		default:
			v.NearMisses = append(v.NearMisses, r)
		}
	}
	if err := rows.Err(); err != nil {
		return v, err
	}
	for f, pols := range needs {
		v.Missing = append(v.Missing, FieldNeed{Field: f, Policies: pols})
	}
	slices.SortFunc(v.Missing, func(a, b FieldNeed) int {
		return cmp.Or(cmp.Compare(len(b.Policies), len(a.Policies)), cmp.Compare(a.Field, b.Field))
	})
	v.TotalAmount = fen(&total)
	return v, nil
}

func fen(d *apd.Decimal) string {
	if r := roundDecimalFen(d); r != nil {
		return r.Text('f')
	}
	return d.Text('f')
}

// Group is a count and an amount under a key (an industry section, a size
// class).
type Group struct {
	Key    string `json:"key"`
	Count  int    `json:"count"`
	Amount string `json:"amount"`
	sum    apd.Decimal
}

// PolicyView is what matching says of one policy on a date.
type PolicyView struct {
	Policy       string         `json:"policy"`
	On           string         `json:"on"`
	Eligible     int            `json:"eligible"`
	Undetermined int            `json:"undetermined"`
	NearMisses   int            `json:"near_misses"`
	TotalAmount  string         `json:"total_amount"`
	ByIndustry   []Group        `json:"by_industry"` // GB/T 4754-2017 sections
	BySize       []Group        `json:"by_size"`     // large, medium, small, micro, unknown
	Enterprises  []StoredResult `json:"enterprises"` // eligible, largest amounts first, at most the limit asked
}

// ForPolicy returns the eligible enterprises of a policy on the date (at
// most limit of them, largest amounts first), its total amount and their
// distribution by industry section and size class.
func ForPolicy(ctx context.Context, q store.Queryer, policyID string, on time.Time, limit int) (PolicyView, error) {
	day := on.Format(time.DateOnly)
	v := PolicyView{Policy: policyID, On: day, ByIndustry: []Group{}, BySize: []Group{}, Enterprises: []StoredResult{}}
	lastYear := strconv.Itoa(on.Year() - 1)
	rows, err := q.Query(ctx, `SELECT r.enterprise_id, e.uscc, e.name, e.industry_code, r.status, r.amount, r.near_miss,
s.value, rv.value, ta.value, em.value
FROM match_results r JOIN enterprises e ON e.id = r.enterprise_id
LEFT JOIN current_facts s ON s.enterprise_id = r.enterprise_id AND s.field = 'enterprise_size' AND s.period = ''
LEFT JOIN current_facts rv ON rv.enterprise_id = r.enterprise_id AND rv.field = 'revenue' AND rv.period = ?
LEFT JOIN current_facts ta ON ta.enterprise_id = r.enterprise_id AND ta.field = 'total_assets' AND ta.period = ?
LEFT JOIN current_facts em ON em.enterprise_id = r.enterprise_id AND em.field = 'employees' AND em.period = ?
WHERE r.policy = ? AND r.on_date = ? AND (r.status <> 'ineligible' OR r.near_miss IS NOT NULL)`,
		lastYear, lastYear, lastYear, policyID, day)
	if err != nil {
		return v, fmt.Errorf("match: results of policy %s: %w", policyID, err)
	}
	defer rows.Close()
	var total apd.Decimal
	industry, size := map[string]*Group{}, map[string]*Group{}
	for rows.Next() {
		var r StoredResult
		var industryCode, amount, nearMiss, reported, revenue, assets, employees sql.NullString
		if err := rows.Scan(&r.EnterpriseID, &r.USCC, &r.Name, &industryCode, &r.Status, &amount, &nearMiss,
			&reported, &revenue, &assets, &employees); err != nil {
			return v, fmt.Errorf("match: results of policy %s: %w", policyID, err)
		}
		r.Policy, r.Amount, r.NearMiss = policyID, amount.String, nearMiss.String
		switch r.Status {
		case "undetermined":
			v.Undetermined++
			continue
		case "ineligible":
			v.NearMisses++
			continue
		}
		v.Eligible++
		var d apd.Decimal
		if r.Amount != "" {
			if _, _, err := d.SetString(r.Amount); err == nil {
				arith.Add(&total, &total, &d)
			}
		}
		sec := enterprise.SectionOf(industryCode.String)
		if sec == "" {
			sec = "unknown"
		}
		addGroup(industry, sec, &d)
		addGroup(size, sizeClass(industryCode.String, reported, revenue, assets, employees), &d)
		v.Enterprises = append(v.Enterprises, r)
	}
	if err := rows.Err(); err != nil {
		return v, err
	}
	v.TotalAmount = fen(&total)
	v.ByIndustry, v.BySize = groups(industry), groups(size)
	slices.SortFunc(v.Enterprises, func(a, b StoredResult) int {
		return cmp.Or(compareAmounts(b.Amount, a.Amount), cmp.Compare(a.EnterpriseID, b.EnterpriseID))
	})
	if limit >= 0 && len(v.Enterprises) > limit {
		v.Enterprises = v.Enterprises[:limit]
	}
	return v, nil
}

func compareAmounts(a, b string) int {
	var x, y apd.Decimal
	x.SetString(cmp.Or(a, "0"))
	y.SetString(cmp.Or(b, "0"))
	return x.Cmp(&y)
}

// sizeClass is the reported size class, else the one derived from the last
// fiscal year's figures, as the policies read it.
func sizeClass(industryCode string, reported, revenue, assets, employees sql.NullString) string {
	if reported.Valid {
		return reported.String
	}
	var in enterprise.SizeInputs
	var rv, ta apd.Decimal
	if revenue.Valid {
		if _, _, err := rv.SetString(revenue.String); err == nil {
			in.Revenue = &rv
		}
	}
	if assets.Valid {
		if _, _, err := ta.SetString(assets.String); err == nil {
			in.Assets = &ta
		}
	}
	if employees.Valid {
		if n, err := strconv.ParseInt(employees.String, 10, 64); err == nil {
			in.Employees = &n
		}
	}
	if s, _, err := enterprise.ClassifySize(industryCode, in); err == nil && s != "" {
		return string(s)
	}
	return "unknown"
}

func addGroup(m map[string]*Group, key string, amount *apd.Decimal) {
	g := m[key]
	if g == nil {
		g = &Group{Key: key}
		m[key] = g
	}
	g.Count++
	arith.Add(&g.sum, &g.sum, amount)
}

func groups(m map[string]*Group) []Group {
	out := make([]Group, 0, len(m))
	for _, g := range m {
		g.Amount = fen(&g.sum)
		out = append(out, *g)
	}
	slices.SortFunc(out, func(a, b Group) int { return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Key, b.Key)) })
	return out
}

// PolicyTotal is one policy's line of the park-wide totals.
type PolicyTotal struct {
	Policy       string `json:"policy"`
	Eligible     int    `json:"eligible"`
	Undetermined int    `json:"undetermined"`
	NearMisses   int    `json:"near_misses"`
	Ineligible   int    `json:"ineligible"`
	Amount       string `json:"amount"`
	sum          apd.Decimal
}

// ParkTotals are the park-wide figures of a date.
type ParkTotals struct {
	On          string        `json:"on"`
	Enterprises int           `json:"enterprises"`  // evaluated on the date
	Benefiting  int           `json:"benefiting"`   // with at least one eligible result
	Amount      string        `json:"total_amount"` // of every eligible result
	Policies    []PolicyTotal `json:"policies"`
}

// Totals returns the park-wide figures of a date: per policy and in all.
func Totals(ctx context.Context, q store.Queryer, on time.Time) (ParkTotals, error) {
	day := on.Format(time.DateOnly)
	t := ParkTotals{On: day, Policies: []PolicyTotal{}}
	rows, err := q.Query(ctx, `SELECT policy, status, near_miss IS NOT NULL, COUNT(*) FROM match_results
WHERE on_date = ? GROUP BY policy, status, near_miss IS NOT NULL`, day)
	if err != nil {
		return t, fmt.Errorf("match: totals: %w", err)
	}
	byPolicy := map[string]*PolicyTotal{}
	get := func(p string) *PolicyTotal {
		if byPolicy[p] == nil {
			byPolicy[p] = &PolicyTotal{Policy: p}
		}
		return byPolicy[p]
	}
	for rows.Next() {
		var p, status string
		var near bool
		var n int
		if err := rows.Scan(&p, &status, &near, &n); err != nil {
			rows.Close()
			return t, fmt.Errorf("match: totals: %w", err)
		}
		pt := get(p)
		switch {
		case status == "eligible":
			pt.Eligible += n
		case status == "undetermined":
			pt.Undetermined += n
		case near:
			pt.NearMisses += n
			pt.Ineligible += n
		default:
			pt.Ineligible += n
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return t, err
	}
	// Plainly ineligible results have no rows: they are the enterprises
	// evaluated less those with a stored result.
	covered, err := Covered(ctx, q, day, 0)
	if err != nil {
		return t, err
	}
	for p, n := range covered {
		pt := get(p)
		if plain := n - pt.Eligible - pt.Undetermined - pt.Ineligible; plain > 0 {
			pt.Ineligible += plain
		}
	}
	// Amounts are exact decimals: summed here, not in SQL, where SQLite
	// would sum them as floats.
	rows, err = q.Query(ctx, "SELECT policy, amount FROM match_results WHERE on_date = ? AND status = 'eligible' AND amount IS NOT NULL", day)
	if err != nil {
		return t, fmt.Errorf("match: totals: %w", err)
	}
	var total apd.Decimal
	for rows.Next() {
		var p, amount string
		if err := rows.Scan(&p, &amount); err != nil {
			rows.Close()
			return t, fmt.Errorf("match: totals: %w", err)
		}
		var d apd.Decimal
		if _, _, err := d.SetString(amount); err != nil {
			continue
		}
		pt := get(p)
		arith.Add(&pt.sum, &pt.sum, &d)
		arith.Add(&total, &total, &d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return t, err
	}
	if err := q.QueryRow(ctx, `SELECT (SELECT COUNT(*) FROM enterprises e WHERE EXISTS (SELECT 1 FROM match_coverage c
WHERE c.on_date = ? AND e.id BETWEEN c.first_id AND c.last_id)),
(SELECT COUNT(DISTINCT enterprise_id) FROM match_results WHERE on_date = ? AND status = 'eligible')`, day, day).Scan(&t.Enterprises, &t.Benefiting); err != nil {
		return t, fmt.Errorf("match: totals: %w", err)
	}
	for _, pt := range byPolicy {
		pt.Amount = fen(&pt.sum)
		t.Policies = append(t.Policies, *pt)
	}
	slices.SortFunc(t.Policies, func(a, b PolicyTotal) int { return cmp.Compare(a.Policy, b.Policy) })
	t.Amount = fen(&total)
	return t, nil
}

// MissingGroup is one field whose absence leaves results undetermined: how
// many results and enterprises wait for it, and for which policies. It is
// the list of data to collect.
type MissingGroup struct {
	Field       string         `json:"field"`
	Results     int            `json:"results"`
	Enterprises int            `json:"enterprises"`
	Policies    map[string]int `json:"policies"`
}

// MissingData groups the undetermined results of a date (of one policy,
// when policyID is not "") by missing field, the fields that would settle
// the most results first.
func MissingData(ctx context.Context, q store.Queryer, on time.Time, policyID string) ([]MissingGroup, error) {
	day := on.Format(time.DateOnly)
	query := "SELECT enterprise_id, policy, missing FROM match_results WHERE on_date = ? AND status = 'undetermined'"
	args := []any{day}
	if policyID != "" {
		query += " AND policy = ?"
		args = append(args, policyID)
	}
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("match: missing data: %w", err)
	}
	defer rows.Close()
	type acc struct {
		g    MissingGroup
		ents map[int64]bool
	}
	by := map[string]*acc{}
	for rows.Next() {
		var id int64
		var p string
		var missing sql.NullString
		if err := rows.Scan(&id, &p, &missing); err != nil {
			return nil, fmt.Errorf("match: missing data: %w", err)
		}
		var fields []string
		if missing.Valid {
			if err := json.Unmarshal([]byte(missing.String), &fields); err != nil {
				return nil, fmt.Errorf("match: stored missing fields of %d %s: %w", id, p, err)
			}
		}
		if len(fields) == 0 {
			fields = []string{"(none: an expression could not be computed)"}
		}
		for _, f := range fields {
			a := by[f]
			if a == nil {
				a = &acc{g: MissingGroup{Field: f, Policies: map[string]int{}}, ents: map[int64]bool{}}
				by[f] = a
			}
			a.g.Results++
			a.g.Policies[p]++
			a.ents[id] = true
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]MissingGroup, 0, len(by))
	for _, a := range by {
		a.g.Enterprises = len(a.ents)
		out = append(out, a.g)
	}
	slices.SortFunc(out, func(a, b MissingGroup) int {
		return cmp.Or(cmp.Compare(b.Results, a.Results), cmp.Compare(a.Field, b.Field))
	})
	return out, nil
}
