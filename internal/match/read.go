package match

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/match/vector"
	"github.com/parkdesk/parkdesk/internal/policy"
	"github.com/parkdesk/parkdesk/internal/store"
)

// Results is the one read model of the results matching stored: an
// enterprise's, a policy's, the park's totals and the data missing. The
// console, the portal, the JSON API and the command line all read results
// through it, so that they cannot disagree about who sees what, how
// amounts add up, or which values a reader may not see (read_mask.go).
type Results struct {
	DB *store.DB
	// Library is the policy library in force (nil when none is loaded);
	// it names criteria, says each policy's benefit kind and explains.
	Library func() *policy.Library
	// Dictionary returns the data dictionary, which says each field's
	// sensitivity; nil reads it from the database on each call.
	Dictionary func(context.Context) (*facts.Dictionary, error)
	Logger     *slog.Logger

	once  sync.Once
	parks *parkCache
}

func (r *Results) library() *policy.Library {
	if r.Library == nil {
		return nil
	}
	return r.Library()
}

func (r *Results) dictionary(ctx context.Context) (*facts.Dictionary, error) {
	if r.Dictionary != nil {
		return r.Dictionary(ctx)
	}
	return facts.LoadDictionary(ctx, r.DB)
}

func (r *Results) logger() *slog.Logger {
	if r.Logger != nil {
		return r.Logger
	}
	return slog.Default()
}

// Explain says which results get the policy engine's sentences: none, all,
// or those of the policies named.
type Explain struct {
	All      bool
	Policies []string
	// NearMisses explains the results with a near miss: what meeting
	// them is worth, which only the engine's run on today's facts knows.
	NearMisses bool
}

func (x Explain) wants(res *policy.Result) bool {
	return x.All || slices.Contains(x.Policies, res.Policy) || x.NearMisses && res.NearMiss != nil
}

func (x Explain) any() bool { return x.All || len(x.Policies) > 0 || x.NearMisses }

// EnterpriseResults are an enterprise's current results, as its reader may
// see them.
type EnterpriseResults struct {
	// On is the date the results are of (zero when it was never matched).
	On      time.Time
	Results []policy.Result
	// Totals add the eligible amounts like to like.
	Totals BenefitTotals
	// Withheld is true when values were left out because the reader may
	// not see a field they come from (read_mask.go).
	Withheld bool
}

// Enterprise returns the current results of one enterprise (those of the
// latest date it was evaluated on), which p must be allowed to see
// (auth.ViewResults): status, amount, missing fields and the stored
// explanation, with criteria named from the policy. Results named by
// explain get the policy engine's sentences. Every value comes out
// through the field-visibility rule, and a deduction's tax value is
// worked out from the enterprise's facts.
func (r *Results) Enterprise(ctx context.Context, p auth.Principal, enterpriseID int64, explain Explain) (EnterpriseResults, error) {
	res, err := auth.EnterpriseResource(ctx, r.DB, enterpriseID)
	if errors.Is(err, store.ErrNotFound) {
		return EnterpriseResults{}, apperr.Errorf(apperr.NotFound, "not found")
	}
	if err != nil {
		return EnterpriseResults{}, err
	}
	if err := auth.Can(p, auth.ViewResults, res); err != nil {
		return EnterpriseResults{}, err
	}
	on, results, err := r.stored(ctx, enterpriseID)
	if err != nil || len(results) == 0 {
		return EnterpriseResults{On: on, Results: results, Totals: zeroTotals()}, err
	}
	out := EnterpriseResults{On: on, Results: results}
	if lib := r.library(); lib != nil && (explain.any() || needsTaxValue(lib, results)) {
		r.evaluateLive(ctx, lib, enterpriseID, on, out.Results, explain)
	}
	dict, err := r.dictionary(ctx)
	if err != nil {
		return out, err
	}
	m := newMask(p, dict, r.library())
	for i := range out.Results {
		if m.result(&out.Results[i]) {
			out.Withheld = true
		}
	}
	out.Totals = totalsOf(out.Results)
	return out, nil
}

// readRow is one stored result.
type readRow struct {
	policy, status string
	amount         sql.NullString
	nearMiss       sql.NullString
	missing        sql.NullString
	explanation    sql.NullString
	meta           sql.NullString // the version's explain_meta, which a compact explanation needs
	onDate         string
	version        string // of the policy file that produced it
}

// stored reads the results of the latest date the enterprise was
// evaluated on, as the data contract's results.
func (r *Results) stored(ctx context.Context, enterpriseID int64) (time.Time, []policy.Result, error) {
	day, err := LatestDate(ctx, r.DB, enterpriseID)
	if err != nil || day == "" {
		return time.Time{}, []policy.Result{}, err
	}
	on, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return time.Time{}, nil, fmt.Errorf("match: stored result date %q: %w", day, err)
	}
	rows, err := r.DB.Query(ctx, `SELECT r.policy, r.status, r.amount, r.near_miss, r.missing, r.explanation, v.explain_meta, r.on_date, v.version
FROM match_results r JOIN match_policy_versions v ON v.id = r.version_id
WHERE r.enterprise_id = ? AND r.on_date = ?
ORDER BY r.policy`, enterpriseID, day)
	if err != nil {
		return time.Time{}, nil, fmt.Errorf("match: read the results of enterprise %d: %w", enterpriseID, err)
	}
	defer rows.Close()
	var stored []readRow
	for rows.Next() {
		var s readRow
		if err := rows.Scan(&s.policy, &s.status, &s.amount, &s.nearMiss, &s.missing, &s.explanation, &s.meta, &s.onDate, &s.version); err != nil {
			return time.Time{}, nil, err
		}
		stored = append(stored, s)
	}
	if err := rows.Err(); err != nil {
		return time.Time{}, nil, err
	}
	rows.Close()
	// A plainly ineligible result has no row of its own.
	plain, err := PlainIneligible(ctx, r.DB, enterpriseID, day)
	if err != nil {
		return time.Time{}, nil, err
	}
	for _, p := range plain {
		stored = append(stored, readRow{policy: p.Policy, status: string(policy.Ineligible), onDate: day, version: p.Version})
	}
	slices.SortFunc(stored, func(a, b readRow) int { return strings.Compare(a.policy, b.policy) })
	lib := r.library()
	results := make([]policy.Result, 0, len(stored))
	for _, s := range stored {
		results = append(results, resultOf(lib, s))
	}
	return on, results, nil
}

// resultOf turns a stored row into a result, naming its criteria from the
// policy of the library.
func resultOf(lib *policy.Library, r readRow) policy.Result {
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
			res.Mode, res.Verified, res.Benefit = p.Mode(), p.Verified(), p.Benefit().Kind
			for _, c := range p.Criteria() {
				units[c.ID] = c
			}
		}
	}
	var ex Explanation
	var err error
	if r.explanation.Valid {
		ex, err = vector.DecodeStored(r.explanation.String, r.meta.String, r.nearMiss.String)
	}
	if r.explanation.Valid && err == nil {
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

// needsTaxValue reports whether a result is an eligible deduction, whose
// tax value needs the enterprise's facts.
func needsTaxValue(lib *policy.Library, results []policy.Result) bool {
	for _, res := range results {
		if res.Status != policy.Eligible || res.Amount == nil {
			continue
		}
		if pol, ok := lib.Policy(res.Policy); ok && pol.Benefit().Kind == policy.Deduction {
			return true
		}
	}
	return false
}

// evaluateLive runs the policy engine on the enterprise's current facts
// with the same policy version: where it agrees with a stored result
// (same status and amount), the results explain asks for take its
// sentences, in both languages, and the values it read; an eligible
// deduction gets its tax value. A result the data has moved away from
// since matching keeps only what was stored, which is what decides.
func (r *Results) evaluateLive(ctx context.Context, lib *policy.Library, enterpriseID int64, on time.Time, results []policy.Result, explain Explain) {
	var uscc string
	if err := r.DB.QueryRow(ctx, "SELECT uscc FROM enterprises WHERE id = ?", enterpriseID).Scan(&uscc); err != nil {
		return
	}
	rec, err := facts.LoadRecord(ctx, r.DB, uscc)
	if err != nil {
		r.logger().Warn("explain results: load the record", "enterprise", enterpriseID, "err", err)
		return
	}
	ev := lib.NewEvaluator()
	ent := policy.FromRecord(&rec)
	for i := range results {
		res := &results[i]
		pol, ok := lib.Policy(res.Policy)
		if !ok || pol.Version() != res.Version {
			continue
		}
		if explain.wants(res) {
			live := ev.Evaluate(pol, ent, on)
			if live.Status == res.Status && moneyText(live.Amount) == moneyText(res.Amount) {
				*res = live
			}
			continue
		}
		if res.Status == policy.Eligible && pol.Benefit().Kind == policy.Deduction {
			if rate, value, ok := ev.TaxValue(pol, ent, on, res.Amount); ok {
				res.TaxRate, res.TaxValue = rate, value
			}
		}
	}
}

func moneyText(m *policy.Money) string {
	if m == nil {
		return ""
	}
	return m.String()
}

// CurrentOn is the date of the park's current results: the latest date
// matching ran on ("" when it never ran).
func (r *Results) CurrentOn(ctx context.Context) (string, error) {
	return LatestRunDate(ctx, r.DB)
}
