package web

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cockroachdb/apd/v3"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/match"
	"github.com/parkdesk/parkdesk/internal/policy"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/web/i18n"
)

// The console's reads of the results matching stored (match_results): one
// enterprise's, one policy's, and the park's aggregates. Amounts are
// summed in SQL as whole fen (the stored text has exactly two decimals), so
// that totals are exact on both databases.

// fenSum is the SQL of the exact sum of amounts, in fen.
const fenSum = "SUM(CAST(REPLACE(r.amount, '.', '') AS BIGINT))"

// yuanOfFen writes a sum of fen, as the database returns it, as yuan with
// two decimals.
func yuanOfFen(fen sql.NullString) string {
	if !fen.Valid || fen.String == "" {
		return "0.00"
	}
	var d apd.Decimal
	if _, _, err := d.SetString(fen.String); err != nil {
		return "0.00"
	}
	d.Exponent -= 2
	var out apd.Decimal
	if _, err := decimalCtx.Quantize(&out, &d, -2); err != nil {
		return d.Text('f')
	}
	return out.Text('f')
}

// storedRow is one stored result.
type storedRow struct {
	policy, status string
	amount         sql.NullString
	nearMiss       sql.NullString
	missing        sql.NullString
	explanation    sql.NullString
	onDate         string
	version        string // of the policy file that produced it
}

// storedResults returns the current results of one enterprise (those of the
// latest date it was evaluated on) as the data contract's results: status,
// amount, missing fields and the explanation matching stored, with the
// criteria named from the policy. The sentences people read are added by
// explainResults, for the results a reader opens.
func (s *Server) storedResults(ctx context.Context, enterpriseID int64) (time.Time, []policy.Result, error) {
	db := s.deps.Store
	day, err := match.LatestDate(ctx, db, enterpriseID)
	if err != nil || day == "" {
		return time.Time{}, nil, err
	}
	on, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return time.Time{}, nil, fmt.Errorf("stored result date %q: %w", day, err)
	}
	rows, err := db.Query(ctx, `SELECT r.policy, r.status, r.amount, r.near_miss, r.missing, r.explanation, r.on_date, v.version
FROM match_results r JOIN match_policy_versions v ON v.id = r.version_id
WHERE r.enterprise_id = ? AND r.on_date = ?
ORDER BY r.policy`, enterpriseID, day)
	if err != nil {
		return time.Time{}, nil, fmt.Errorf("read the results of enterprise %d: %w", enterpriseID, err)
	}
	defer rows.Close()
	var stored []storedRow
	for rows.Next() {
		var r storedRow
		if err := rows.Scan(&r.policy, &r.status, &r.amount, &r.nearMiss, &r.missing, &r.explanation, &r.onDate, &r.version); err != nil {
			return time.Time{}, nil, err
		}
		stored = append(stored, r)
	}
	if err := rows.Err(); err != nil {
		return time.Time{}, nil, err
	}
	// A plainly ineligible result has no row of its own.
	plain, err := match.PlainIneligible(ctx, db, enterpriseID, day)
	if err != nil {
		return time.Time{}, nil, err
	}
	for _, p := range plain {
		stored = append(stored, storedRow{policy: p.Policy, status: string(policy.Ineligible), onDate: day, version: p.Version})
	}
	slices.SortFunc(stored, func(a, b storedRow) int { return strings.Compare(a.policy, b.policy) })
	lib := s.library()
	results := make([]policy.Result, 0, len(stored))
	for _, r := range stored {
		results = append(results, resultOf(lib, r))
	}
	return on, results, nil
}

// explainResults adds the policy engine's sentences to the results of the
// policies named (all when none is): the engine runs now on the
// enterprise's current facts with the same policy version, and where it
// agrees with a stored result (same status and amount) its sentences, in
// both languages, and the values it read are shown. A result the data has
// moved away from since matching keeps only what was stored, which is
// what decides.
func (s *Server) explainResults(ctx context.Context, enterpriseID int64, on time.Time, results []policy.Result, only ...string) {
	s.addSentences(ctx, enterpriseID, on, results, only)
}

// resultOf turns a stored row into a result, naming its criteria from the
// policy of the library.
func resultOf(lib *policy.Library, r storedRow) policy.Result {
	res := policy.Result{Policy: r.policy, Version: r.version, Status: policy.Status(r.status), Missing: []string{}, Criteria: []policy.CriterionResult{}}
	if r.amount.Valid {
		var m policy.Money
		if _, _, err := m.SetString(r.amount.String); err == nil {
			res.Amount = &m
		}
	}
	if r.missing.Valid {
		_ = json.Unmarshal([]byte(r.missing.String), &res.Missing)
	}
	var pol *policy.Policy
	units := map[string]policy.CriterionInfo{}
	if lib != nil {
		if p, ok := lib.Policy(r.policy); ok {
			pol = p
			res.Mode, res.Verified = p.Mode(), p.Verified()
			for _, c := range p.Criteria() {
				units[c.ID] = c
			}
		}
	}
	var ex match.Explanation
	if r.explanation.Valid && json.Unmarshal([]byte(r.explanation.String), &ex) == nil {
		res.Mode, res.Verified = ex.Mode, ex.Verified
		for _, c := range ex.Criteria {
			info := units[c.ID]
			cr := policy.CriterionResult{ID: c.ID, Status: c.Status, Op: c.Op, Value: c.Value, Threshold: c.Threshold,
				Unit: info.Unit, Label: info.Label.En, LabelZh: info.Label.Zh, Read: []policy.Read{}}
			if cr.Label == "" {
				cr.Label, cr.LabelZh = criterionLabel(c.ID)
			}
			res.Criteria = append(res.Criteria, cr)
		}
		if nm := ex.NearMiss; nm != nil {
			res.NearMiss = &policy.NearMiss{Criterion: nm.Criterion, Value: nm.Value, Threshold: nm.Threshold, Gap: nm.Gap,
				Unit: units[nm.Criterion].Unit}
		}
	} else if r.nearMiss.Valid {
		res.NearMiss = &policy.NearMiss{Criterion: r.nearMiss.String, Unit: units[r.nearMiss.String].Unit}
	}
	if pol != nil && res.Version == "" {
		res.Version = pol.Version()
	}
	return res
}

// criterionLabel names the criteria every policy has besides its own.
func criterionLabel(id string) (en, zh string) {
	if id == "in_force" {
		return "Policy in force", "政策有效期"
	}
	return id, id
}

func (s *Server) addSentences(ctx context.Context, enterpriseID int64, on time.Time, results []policy.Result, only []string) {
	lib := s.library()
	if lib == nil {
		return
	}
	var uscc string
	if err := s.deps.Store.QueryRow(ctx, "SELECT uscc FROM enterprises WHERE id = ?", enterpriseID).Scan(&uscc); err != nil {
		return
	}
	rec, err := facts.LoadRecord(ctx, s.deps.Store, uscc)
	if err != nil {
		s.deps.Logger.Warn("explain results: load the record", "enterprise", enterpriseID, "err", err)
		return
	}
	ev := lib.NewEvaluator()
	ent := policy.FromRecord(&rec)
	for i := range results {
		r := &results[i]
		if len(only) > 0 && !slices.Contains(only, r.Policy) {
			continue
		}
		pol, ok := lib.Policy(r.Policy)
		if !ok || pol.Version() != r.Version {
			continue
		}
		live := ev.Evaluate(pol, ent, on)
		if live.Status != r.Status || moneyText(live.Amount) != moneyText(r.Amount) {
			continue
		}
		*r = live
	}
}

func moneyText(m *policy.Money) string {
	if m == nil {
		return ""
	}
	return m.String()
}

// policyResultRow is one enterprise's result for a policy, in a list.
type policyResultRow struct {
	EnterpriseID int64
	USCC, Name   string
	IndustryCode string
	Status       string
	Amount       string
	Missing      []string
	NearMiss     bool
}

// policyResults returns a page of the results of one policy on the park's
// current date, for the enterprises p may see results of, the largest
// amounts first; "ineligible" lists the near misses.
func (s *Server) policyResults(ctx context.Context, p auth.Principal, policyID, status string, pg Paging) ([]policyResultRow, int, error) {
	db := s.deps.Store
	on, err := s.currentOn(ctx)
	if err != nil || on == "" {
		return nil, 0, err
	}
	// The status is written into the SQL, from this list only, together
	// with the condition of the partial index match_results_policy, so that
	// SQLite reads the policy's results through that index instead of
	// scanning every result. The ineligible are listed by their near
	// misses, the ones worth a look; the others are only counted.
	statusSQL, ok := map[string]string{
		"eligible":     "r.status = 'eligible'",
		"undetermined": "r.status = 'undetermined'",
		"ineligible":   "r.status = 'ineligible' AND r.near_miss IS NOT NULL",
	}[status]
	if !ok {
		return nil, 0, nil
	}
	scope := auth.Scope(p, auth.ViewResults, auth.Columns{Enterprise: "r.enterprise_id"})
	where := "r.policy = ? AND r.on_date = ? AND " + statusSQL + " AND (r.status <> 'ineligible' OR r.near_miss IS NOT NULL) AND " + scope.SQL
	args := append([]any{policyID, on}, scope.Args...)
	var total int
	if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM match_results r WHERE "+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count the results of %s: %w", policyID, err)
	}
	if total == 0 {
		return nil, 0, nil
	}
	rows, err := db.Query(ctx, `SELECT e.id, e.uscc, e.name, COALESCE(e.industry_code, ''), r.status, COALESCE(r.amount, ''), r.missing, r.near_miss
FROM match_results r JOIN enterprises e ON e.id = r.enterprise_id
WHERE `+where+`
ORDER BY CAST(REPLACE(COALESCE(r.amount, '0'), '.', '') AS BIGINT) DESC, e.id
LIMIT ? OFFSET ?`, append(args, pg.Per, pg.Offset())...)
	if err != nil {
		return nil, 0, fmt.Errorf("list the results of %s: %w", policyID, err)
	}
	defer rows.Close()
	var out []policyResultRow
	for rows.Next() {
		var row policyResultRow
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
	return out, total, rows.Err()
}

// currentOn is the date of the park's current results: the latest date
// matching ran on ("" when it never ran).
func (s *Server) currentOn(ctx context.Context) (string, error) {
	agg, err := s.ui.aggregates.get(ctx, s.deps.Store, 0)
	if err != nil {
		return "", err
	}
	return agg.on, nil
}

// totalsByPolicy returns, per policy id, what matching found in the
// reader's park (or every park).
func (s *Server) totalsByPolicy(ctx context.Context, p auth.Principal) (map[string]policyTotals, error) {
	agg, err := s.ui.aggregates.get(ctx, s.deps.Store, p.ParkID)
	if err != nil {
		return nil, err
	}
	return agg.totals, nil
}

// enterpriseResults returns the stored results of one enterprise as the
// pages show them.
func (s *Server) enterpriseResults(ctx context.Context, l *i18n.Localizer, id int64, dict []fieldRow) (resultsView, error) {
	on, results, err := s.storedResults(ctx, id)
	if err != nil {
		return resultsView{}, err
	}
	labels := make(map[string]string, len(dict))
	for _, f := range dict {
		labels[f.Name] = l.Pick(f.LabelZh, f.LabelEn)
	}
	return buildResults(l, s.library(), on, results, labels), nil
}

// resultAggregates returns the dashboard's figures, as the reader's
// language names them.
func (s *Server) resultAggregates(ctx context.Context, l *i18n.Localizer, parkID int64) (resultAggregates, error) {
	agg, err := s.ui.aggregates.get(ctx, s.deps.Store, parkID)
	if err != nil {
		return resultAggregates{}, err
	}
	out := resultAggregates{summary: agg.summary, bySection: agg.bySection, sections: agg.sections}
	lang := string(l.Lang())
	for _, a := range agg.byPolicy {
		if pol, ok := s.policyByID(a.PolicyID); ok {
			a.Title, a.HasAmount = pol.Title().In(lang), pol.HasAmount()
		}
		out.byPolicy = append(out.byPolicy, a)
	}
	labels := map[string]string{}
	if dict, err := s.fields(ctx); err == nil {
		for _, f := range dict {
			labels[f.Name] = l.Pick(f.LabelZh, f.LabelEn)
		}
	}
	for _, m := range agg.missing {
		m.Label = labels[m.Field]
		if m.Label == "" {
			m.Label = m.Field
		}
		out.missing = append(out.missing, m)
	}
	return out, nil
}

// resultAggregates are the dashboard's figures of matching.
type resultAggregates struct {
	sections  []industryAggregate
	summary   resultSummary
	byPolicy  []policyAggregate
	bySection []industryAggregate
	missing   []missingAggregate
}

// parkAggregates is what aggregateCache keeps per park: computed in a few
// GROUP BY queries over match_results on the current date.
type parkAggregates struct {
	sections  []industryAggregate // the registry by industry section
	on        string
	summary   resultSummary
	totals    map[string]policyTotals
	byPolicy  []policyAggregate
	bySection []industryAggregate
	missing   []missingAggregate
}

func computeAggregates(ctx context.Context, db *store.DB, parkID int64) (*parkAggregates, error) {
	agg := &parkAggregates{totals: map[string]policyTotals{}, summary: resultSummary{Amount: "0.00"}}
	sections, err := enterprisesBySection(ctx, db, parkID)
	if err != nil {
		return nil, err
	}
	agg.sections = sections
	var on sql.NullString
	if err := db.QueryRow(ctx, "SELECT MAX(on_date) FROM match_coverage").Scan(&on); err != nil {
		return nil, fmt.Errorf("the date of the results: %w", err)
	}
	if !on.Valid {
		return agg, nil
	}
	agg.on = on.String
	from, args := "match_results r", []any{on.String}
	if parkID != 0 {
		from = "match_results r JOIN enterprises e ON e.id = r.enterprise_id AND e.park_id = ?"
		args = []any{parkID, on.String}
	}
	rows, err := db.Query(ctx, `SELECT r.policy, r.status, COUNT(*), SUM(CASE WHEN r.near_miss IS NULL THEN 0 ELSE 1 END), `+fenSum+`
FROM `+from+` WHERE r.on_date = ? GROUP BY r.policy, r.status ORDER BY r.policy`, args...)
	if err != nil {
		return nil, fmt.Errorf("results by policy: %w", err)
	}
	byPolicy := map[string]*policyAggregate{}
	var order []string
	total := "0.00"
	for rows.Next() {
		var policyID, status string
		var n, near int
		var fen sql.NullString
		if err := rows.Scan(&policyID, &status, &n, &near, &fen); err != nil {
			rows.Close()
			return nil, err
		}
		t := agg.totals[policyID]
		a, ok := byPolicy[policyID]
		if !ok {
			a = &policyAggregate{PolicyID: policyID, Title: policyID, Amount: "0.00"}
			byPolicy[policyID] = a
			order = append(order, policyID)
		}
		switch status {
		case "eligible":
			t.Eligible, a.Eligible = n, n
			t.Amount, a.Amount = yuanOfFen(fen), yuanOfFen(fen)
			agg.summary.Eligible += n
			total = addDecimal(total, a.Amount)
		case "undetermined":
			t.Undetermined, a.Undetermined = n, n
			agg.summary.Undetermined += n
		case "ineligible":
			t.Ineligible = n
		}
		t.NearMiss += near
		agg.summary.NearMiss += near
		agg.totals[policyID] = t
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// A plainly ineligible result has no row: every enterprise evaluated
	// without an eligible or undetermined result is ineligible.
	covered, err := match.Covered(ctx, db, on.String, parkID)
	if err != nil {
		return nil, err
	}
	for policyID, n := range covered {
		t := agg.totals[policyID]
		t.Ineligible = max(0, n-t.Eligible-t.Undetermined)
		agg.totals[policyID] = t
	}
	agg.summary.Amount, agg.summary.HasResults = total, true
	for _, id := range order {
		agg.byPolicy = append(agg.byPolicy, *byPolicy[id])
	}
	sortByAmount(agg.byPolicy)

	if err := db.QueryRow(ctx, "SELECT COUNT(DISTINCT r.enterprise_id) FROM "+from+" WHERE r.on_date = ? AND r.status = 'eligible'", args...).
		Scan(&agg.summary.EligibleEnterprises); err != nil {
		return nil, fmt.Errorf("eligible enterprises: %w", err)
	}

	sectionFrom := "match_results r JOIN enterprises e ON e.id = r.enterprise_id"
	if parkID != 0 {
		sectionFrom += " AND e.park_id = ?"
	}
	rows, err = db.Query(ctx, `SELECT COALESCE(substr(e.industry_code, 1, 1), ''), COUNT(*), `+fenSum+`
FROM `+sectionFrom+` WHERE r.on_date = ? AND r.status = 'eligible' GROUP BY 1`, args...)
	if err != nil {
		return nil, fmt.Errorf("results by industry: %w", err)
	}
	for rows.Next() {
		var a industryAggregate
		var fen sql.NullString
		if err := rows.Scan(&a.Section, &a.Eligible, &fen); err != nil {
			rows.Close()
			return nil, err
		}
		a.Amount = yuanOfFen(fen)
		agg.bySection = append(agg.bySection, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	missingSQL := `SELECT j.value, COUNT(*), COUNT(DISTINCT r.enterprise_id) FROM ` + from + `, json_each(r.missing) j
WHERE r.on_date = ? AND r.status = 'undetermined' GROUP BY j.value ORDER BY 2 DESC, 1 LIMIT 25`
	if db.Dialect() == store.Postgres {
		missingSQL = `SELECT j.value, COUNT(*), COUNT(DISTINCT r.enterprise_id) FROM ` + from + `, jsonb_array_elements_text(r.missing::jsonb) j(value)
WHERE r.on_date = ? AND r.status = 'undetermined' GROUP BY j.value ORDER BY 2 DESC, 1 LIMIT 25`
	}
	rows, err = db.Query(ctx, missingSQL, args...)
	if err != nil {
		return nil, fmt.Errorf("missing data: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var m missingAggregate
		if err := rows.Scan(&m.Field, &m.Results, &m.Enterprises); err != nil {
			return nil, err
		}
		agg.missing = append(agg.missing, m)
	}
	return agg, rows.Err()
}

func sortByAmount(list []policyAggregate) {
	slices.SortStableFunc(list, func(a, b policyAggregate) int { return compareDecimal(b.Amount, a.Amount) })
}
