package match

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/money"
	"github.com/parkdesk/parkdesk/internal/policy"
	"github.com/parkdesk/parkdesk/internal/store"
)

// ParkResults are the park's figures of matching on its current date: the
// registry by industry section, the results by policy and by section, and
// the data whose absence leaves results undetermined. They are aggregates:
// no enterprise's value can be read off them, so that everyone who may see
// the dashboards or the policies sees them (auth.ViewDashboard,
// auth.ViewPolicies).
type ParkResults struct {
	On       string          `json:"on"` // "" when matching never ran
	Sections []SectionCount  `json:"sections"`
	Summary  ParkSummary     `json:"summary"`
	Policies []PolicyFigures `json:"policies"` // the largest value first
	// BySection are the eligible results by industry section.
	BySection []SectionFigures `json:"by_section"`
	Missing   []MissingField   `json:"missing"` // at most 25, the most needed first
}

// SectionCount is how many enterprises of the registry are in an industry
// section ("" for those without an industry code).
type SectionCount struct {
	Section     string `json:"section"`
	Enterprises int    `json:"enterprises"`
}

// ParkSummary is the park's headline figures.
type ParkSummary struct {
	HasResults          bool          `json:"has_results"`
	Enterprises         int           `json:"enterprises"` // with at least one result
	EligibleEnterprises int           `json:"eligible_enterprises"`
	Eligible            int           `json:"eligible"`
	Undetermined        int           `json:"undetermined"`
	NearMiss            int           `json:"near_miss"`
	Totals              BenefitTotals `json:"totals"`
}

// PolicyFigures are one policy's results in the park.
type PolicyFigures struct {
	Policy       string             `json:"policy"`
	Benefit      policy.BenefitKind `json:"benefit"`
	Eligible     int                `json:"eligible"`
	Undetermined int                `json:"undetermined"`
	Ineligible   int                `json:"ineligible"`
	NearMiss     int                `json:"near_miss"`
	// Amount is the sum of the eligible amounts in the policy's own kind
	// (a deduction base for a deduction); Value is what they are worth in
	// money: the amount, a deduction's tax value, nothing for a
	// qualification.
	Amount string `json:"amount"`
	Value  string `json:"value"`
}

// SectionFigures are the eligible results of one industry section.
type SectionFigures struct {
	Section  string `json:"section"`
	Eligible int    `json:"eligible"`
	Value    string `json:"value"` // in money, as PolicyFigures.Value
}

// MissingField is a field whose absence leaves results undetermined.
type MissingField struct {
	Field       string `json:"field"`
	Results     int    `json:"results"`
	Enterprises int    `json:"enterprises"`
}

// Park returns the figures of the park p belongs to (every park for a
// principal of none), from a cache that follows matching's changes
// (park_cache.go).
func (r *Results) Park(ctx context.Context, p auth.Principal) (*ParkResults, error) {
	if auth.Can(p, auth.ViewDashboard, auth.Resource{}) != nil {
		if err := auth.Can(p, auth.ViewPolicies, auth.Resource{}); err != nil {
			return nil, err
		}
	}
	r.once.Do(func() { r.parks = newParkCache(r.logger()) })
	return r.parks.get(ctx, r, p.ParkID)
}

// Invalidate marks every park's figures stale, after a change matching's
// change log does not see (an import).
func (r *Results) Invalidate() {
	r.once.Do(func() { r.parks = newParkCache(r.logger()) })
	r.parks.invalidate()
}

// parkFigures computes the park's figures in a few GROUP BY scans of the
// current date's results; parkID 0 is every park.
func (r *Results) parkFigures(ctx context.Context, parkID int64) (*ParkResults, error) {
	on, err := r.CurrentOn(ctx)
	if err != nil {
		return nil, err
	}
	return r.figuresOn(ctx, parkID, on)
}

// On returns the figures of every park on a date matching ran on, computed
// afresh: what `parkdesk match` prints after a run.
func (r *Results) On(ctx context.Context, p auth.Principal, on time.Time) (*ParkResults, error) {
	if err := auth.Can(p, auth.ViewDashboard, auth.Resource{}); err != nil {
		return nil, err
	}
	return r.figuresOn(ctx, p.ParkID, on.Format(time.DateOnly))
}

func (r *Results) figuresOn(ctx context.Context, parkID int64, on string) (*ParkResults, error) {
	db := r.DB
	out := &ParkResults{Sections: []SectionCount{}, Policies: []PolicyFigures{}, BySection: []SectionFigures{}, Missing: []MissingField{}}
	out.Summary.Totals = zeroTotals()
	sections, err := sectionCounts(ctx, db, parkID)
	if err != nil {
		return nil, err
	}
	out.Sections = sections
	if on == "" {
		return out, nil
	}
	out.On = on
	lib := r.library()
	kindOf := func(policyID string) policy.BenefitKind {
		if lib != nil {
			if pol, ok := lib.Policy(policyID); ok && pol.Benefit().Kind != "" {
				return pol.Benefit().Kind
			}
		}
		return policy.Cash
	}
	park := ""
	args := []any{on}
	if parkID != 0 {
		park = " AND e.park_id = ?"
		args = append(args, parkID)
	}
	from := "match_results r JOIN enterprises e ON e.id = r.enterprise_id"

	// Counts and sums by policy and status.
	rows, err := db.Query(ctx, `SELECT r.policy, r.status, COUNT(*), SUM(CASE WHEN r.near_miss IS NULL THEN 0 ELSE 1 END), `+money.SQLSum("r.amount")+`
FROM `+from+` WHERE r.on_date = ?`+park+` GROUP BY r.policy, r.status ORDER BY r.policy`, args...)
	if err != nil {
		return nil, fmt.Errorf("match: results by policy: %w", err)
	}
	byPolicy := map[string]*PolicyFigures{}
	var order []string
	amounts := map[string]money.Fen{}
	for rows.Next() {
		var id, status string
		var n, near int
		var sum money.Fen
		if err := rows.Scan(&id, &status, &n, &near, &sum); err != nil {
			rows.Close()
			return nil, err
		}
		f, ok := byPolicy[id]
		if !ok {
			f = &PolicyFigures{Policy: id, Benefit: kindOf(id)}
			byPolicy[id] = f
			order = append(order, id)
		}
		switch status {
		case "eligible":
			f.Eligible = n
			amounts[id] = sum
			out.Summary.Eligible += n
		case "undetermined":
			f.Undetermined = n
			out.Summary.Undetermined += n
		case "ineligible":
			f.Ineligible = n
		}
		f.NearMiss += near
		out.Summary.NearMiss += near
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// A plainly ineligible result has no row: every enterprise evaluated
	// without an eligible or undetermined result is ineligible.
	covered, err := Covered(ctx, db, on, parkID)
	if err != nil {
		return nil, err
	}
	for id, n := range covered {
		f, ok := byPolicy[id]
		if !ok {
			f = &PolicyFigures{Policy: id, Benefit: kindOf(id)}
			byPolicy[id] = f
			order = append(order, id)
		}
		f.Ineligible = max(0, n-f.Eligible-f.Undetermined)
	}
	out.Summary.HasResults = true

	// A deduction is worth its tax value, which depends on each
	// enterprise's rate: worked out per eligible result.
	deductionTax, taxBySection, unvalued, err := r.deductionTaxValues(ctx, lib, on, parkID, byPolicy)
	if err != nil {
		return nil, err
	}
	var sum benefitSum
	for _, id := range order {
		f := byPolicy[id]
		amount := amounts[id]
		f.Amount = amount.String()
		value := amount
		switch f.Benefit {
		case policy.Deduction:
			tax := deductionTax[id]
			value = tax
			sum.deduction += amount
			sum.deductionTax += tax
		case policy.Qualification:
			value = 0
			sum.qualification += amount
		case policy.TaxSaving:
			sum.tax += amount
		default:
			sum.cash += amount
		}
		f.Value = value.String()
		out.Policies = append(out.Policies, *f)
	}
	sum.unvalued = unvalued
	out.Summary.Totals = sum.totals()
	slices.SortStableFunc(out.Policies, func(a, b PolicyFigures) int { return compareAmounts(b.Value, a.Value) })

	evaluated := `SELECT COUNT(*) FROM enterprises e WHERE EXISTS (SELECT 1 FROM match_coverage c
WHERE c.on_date = ? AND e.id BETWEEN c.first_id AND c.last_id)`
	if parkID != 0 {
		evaluated += " AND e.park_id = ?"
	}
	if err := db.QueryRow(ctx, evaluated, args...).Scan(&out.Summary.Enterprises); err != nil {
		return nil, fmt.Errorf("match: enterprises evaluated: %w", err)
	}
	if err := db.QueryRow(ctx, "SELECT COUNT(DISTINCT r.enterprise_id) FROM "+from+" WHERE r.on_date = ?"+park+" AND r.status = 'eligible'", args...).
		Scan(&out.Summary.EligibleEnterprises); err != nil {
		return nil, fmt.Errorf("match: eligible enterprises: %w", err)
	}

	// By industry section and policy, so that each sums in its kind.
	rows, err = db.Query(ctx, `SELECT COALESCE(substr(e.industry_code, 1, 1), ''), r.policy, COUNT(*), `+money.SQLSum("r.amount")+`
FROM `+from+` WHERE r.on_date = ?`+park+` AND r.status = 'eligible' GROUP BY 1, 2`, args...)
	if err != nil {
		return nil, fmt.Errorf("match: results by industry: %w", err)
	}
	bySection := map[string]*SectionFigures{}
	values := map[string]money.Fen{}
	for rows.Next() {
		var sec, id string
		var n int
		var amount money.Fen
		if err := rows.Scan(&sec, &id, &n, &amount); err != nil {
			rows.Close()
			return nil, err
		}
		s, ok := bySection[sec]
		if !ok {
			s = &SectionFigures{Section: sec}
			bySection[sec] = s
		}
		s.Eligible += n
		switch kindOf(id) {
		case policy.Cash, policy.TaxSaving:
			values[sec] += amount
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for sec, tax := range taxBySection {
		values[sec] += tax
	}
	for sec, s := range bySection {
		s.Value = values[sec].String()
		out.BySection = append(out.BySection, *s)
	}
	slices.SortFunc(out.BySection, func(a, b SectionFigures) int { return cmp.Compare(a.Section, b.Section) })

	missing, err := missingFields(ctx, db, on, park, args)
	if err != nil {
		return nil, err
	}
	out.Missing = missing
	return out, nil
}

// deductionTaxValues works out the tax value of every eligible result of
// the deduction policies, by policy and by industry section, and counts
// those whose rate cannot be settled.
func (r *Results) deductionTaxValues(ctx context.Context, lib *policy.Library, on string, parkID int64, byPolicy map[string]*PolicyFigures) (map[string]money.Fen, map[string]money.Fen, int, error) {
	byPol, bySec := map[string]money.Fen{}, map[string]money.Fen{}
	if lib == nil {
		return byPol, bySec, 0, nil
	}
	day, err := time.Parse(time.DateOnly, on)
	if err != nil {
		return nil, nil, 0, fmt.Errorf("match: results date %q: %w", on, err)
	}
	unvalued := 0
	for id, f := range byPolicy {
		pol, ok := lib.Policy(id)
		if !ok || f.Benefit != policy.Deduction || f.Eligible == 0 {
			continue
		}
		query := `SELECT r.enterprise_id, r.amount, COALESCE(substr(e.industry_code, 1, 1), '') FROM match_results r JOIN enterprises e ON e.id = r.enterprise_id
WHERE r.policy = ? AND r.on_date = ? AND r.status = 'eligible' AND r.amount IS NOT NULL`
		args := []any{id, on}
		if parkID != 0 {
			query += " AND e.park_id = ?"
			args = append(args, parkID)
		}
		rows, err := r.DB.Query(ctx, query, args...)
		if err != nil {
			return nil, nil, 0, fmt.Errorf("match: deductions of %s: %w", id, err)
		}
		type row struct {
			id      int64
			amount  string
			section string
		}
		var list []row
		for rows.Next() {
			var x row
			if err := rows.Scan(&x.id, &x.amount, &x.section); err != nil {
				rows.Close()
				return nil, nil, 0, err
			}
			list = append(list, x)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, nil, 0, err
		}
		ids := make([]int64, len(list))
		for i, x := range list {
			ids[i] = x.id
		}
		records, err := facts.RecordsByID(ctx, r.DB, ids)
		if err != nil {
			return nil, nil, 0, err
		}
		ev := lib.NewEvaluator()
		for _, x := range list {
			rec, ok := records[x.id]
			var m policy.Money
			if _, _, err := m.SetString(x.amount); !ok || err != nil {
				unvalued++
				continue
			}
			_, value, ok := ev.TaxValue(pol, policy.FromRecord(&rec), day, &m)
			if !ok {
				unvalued++
				continue
			}
			fen := moneyFen(value)
			byPol[id] += fen
			bySec[x.section] += fen
		}
	}
	return byPol, bySec, unvalued, nil
}

// sectionCounts counts the registry by industry section (门类).
func sectionCounts(ctx context.Context, db *store.DB, parkID int64) ([]SectionCount, error) {
	where, args := "", []any{}
	if parkID != 0 {
		where, args = " WHERE park_id = ?", append(args, parkID)
	}
	rows, err := db.Query(ctx, `SELECT COALESCE(substr(industry_code, 1, 1), ''), COUNT(*) FROM enterprises`+where+
		` GROUP BY 1 ORDER BY 2 DESC, 1`, args...)
	if err != nil {
		return nil, fmt.Errorf("match: enterprises by industry: %w", err)
	}
	defer rows.Close()
	out := []SectionCount{}
	for rows.Next() {
		var c SectionCount
		if err := rows.Scan(&c.Section, &c.Enterprises); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// missingFields groups the undetermined results by the fields they lack.
func missingFields(ctx context.Context, db *store.DB, on, park string, args []any) ([]MissingField, error) {
	from := "match_results r JOIN enterprises e ON e.id = r.enterprise_id, json_each(r.missing) j"
	if db.Dialect() == store.Postgres {
		from = "match_results r JOIN enterprises e ON e.id = r.enterprise_id, jsonb_array_elements_text(r.missing::jsonb) j(value)"
	}
	rows, err := db.Query(ctx, `SELECT j.value, COUNT(*), COUNT(DISTINCT r.enterprise_id) FROM `+from+`
WHERE r.on_date = ?`+park+` AND r.status = 'undetermined' GROUP BY j.value ORDER BY 2 DESC, 1 LIMIT 25`, args...)
	if err != nil {
		return nil, fmt.Errorf("match: missing data: %w", err)
	}
	defer rows.Close()
	out := []MissingField{}
	for rows.Next() {
		var m MissingField
		if err := rows.Scan(&m.Field, &m.Results, &m.Enterprises); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// changeKey moves whenever matching writes a result or the registry
// changes, on any instance (store.Counters).
func changeKey(ctx context.Context, db *store.DB) (int64, error) {
	return store.CounterKey(ctx, db, store.CounterResults, store.CounterRegistry)
}
