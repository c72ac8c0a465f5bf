package web

import (
	"slices"
	"strings"
	"time"

	"github.com/parkdesk/parkdesk/internal/match"
	"github.com/parkdesk/parkdesk/internal/policy"
	"github.com/parkdesk/parkdesk/internal/web/i18n"
)

// resultsView is an enterprise's results as the enterprise page and the
// portal show them: what it gets, what it almost gets, what cannot be
// decided for lack of data, and which data would decide it.
type resultsView struct {
	On           time.Time
	Eligible     []resultView
	Near         []resultView // ineligible, with a near miss
	Undetermined []resultView
	Ineligible   []resultView
	Missing      []missingView
	// Total is what the eligible results are worth in money, decimal
	// text: cash and tax savings, and deductions at their tax value
	// (match.BenefitTotals); Totals has each kind apart.
	Total  string
	Totals match.BenefitTotals
	Any    bool
	// Withheld: values were left out, which the reader may not see.
	Withheld bool
	// TotalNotes say what Total includes and leaves out, in the reader's
	// language.
	TotalNotes []string
}

// resultView is one result with its explanation in the reader's language.
type resultView struct {
	PolicyID    string
	Title       string
	Status      string
	Amount      string // decimal text, "" when the policy has none
	AmountLabel string
	Benefit     string // the kind of the amount (policy.BenefitKind)
	// TaxValue is what an eligible deduction is worth in tax, decimal
	// text, with the rate it was valued at ("" when not settled).
	TaxValue, TaxRate string
	// AmountNote says what kind of amount it is when it is not money
	// paid or tax saved: a deduction with its tax value, a qualification.
	AmountNote  string
	Mode        string
	Verified    bool
	Explanation string
	Criteria    []criterionView
	NearMiss    *nearMissView
	Missing     []fieldLabel
	Materials   []string
	Documents   []policy.Document
	Deadline    string // the end of the policy's term, "" when open-ended
	Claim       claimView
	// Public: an enterprise reads this result; staff notes are left out
	// (results_public.go).
	Public bool
}

type criterionView struct {
	ID, Label, Status     string
	Value, Threshold, Gap string
	Explanation           string
}

type nearMissView struct {
	Criterion, Value, Threshold, Gap, Money, Explanation string
	// Worth is what meeting the criterion would bring (money text).
	Worth string
	Op    string // the criterion's comparison, named through the catalog
}

// fieldLabel is a dictionary field named for people.
type fieldLabel struct {
	Name, Label string
}

// missingView is a field whose absence leaves results undetermined, with
// the policies it would decide.
type missingView struct {
	fieldLabel
	Policies []string
}

// buildResults turns an enterprise's results into the view, in the
// reader's language. labels maps field names to their labels in that
// language.
func buildResults(l *i18n.Localizer, lib *policy.Library, er match.EnterpriseResults, labels map[string]string) resultsView {
	results := er.Results
	v := resultsView{On: er.On, Any: len(results) > 0, Totals: er.Totals, Total: er.Totals.Total, Withheld: er.Withheld,
		TotalNotes: totalNotes(l, er.Totals)}
	missing := map[string]*missingView{}
	for i := range results {
		rv := buildResult(l, lib, er.On, &results[i], labels)
		switch results[i].Status {
		case policy.Eligible:
			v.Eligible = append(v.Eligible, rv)
		case policy.Undetermined:
			v.Undetermined = append(v.Undetermined, rv)
			for _, m := range rv.Missing {
				mv, ok := missing[m.Name]
				if !ok {
					mv = &missingView{fieldLabel: m}
					missing[m.Name] = mv
				}
				mv.Policies = append(mv.Policies, rv.Title)
			}
		default:
			if rv.NearMiss != nil {
				v.Near = append(v.Near, rv)
			} else {
				v.Ineligible = append(v.Ineligible, rv)
			}
		}
	}
	for _, m := range missing {
		v.Missing = append(v.Missing, *m)
	}
	slices.SortFunc(v.Missing, func(a, b missingView) int {
		if n := len(b.Policies) - len(a.Policies); n != 0 {
			return n
		}
		return strings.Compare(a.Name, b.Name)
	})
	slices.SortStableFunc(v.Eligible, func(a, b resultView) int { return compareDecimal(b.Amount, a.Amount) })
	return v
}

func buildResult(l *i18n.Localizer, lib *policy.Library, on time.Time, r *policy.Result, labels map[string]string) resultView {
	zh := l.IsZh()
	rv := resultView{PolicyID: r.Policy, Title: r.Policy, Status: string(r.Status), Mode: string(r.Mode), Verified: r.Verified}
	if zh {
		rv.Explanation = r.ExplanationZh
	} else {
		rv.Explanation = r.Explanation
	}
	rv.Explanation = proseValues(l, rv.Explanation)
	if r.Amount != nil {
		rv.Amount = r.Amount.String()
	}
	rv.Benefit = string(r.Benefit)
	if r.TaxValue != nil {
		rv.TaxValue, rv.TaxRate = r.TaxValue.String(), r.TaxRate
	}
	if rv.Amount != "" {
		switch r.Benefit {
		case policy.Deduction:
			rv.AmountNote = l.T("amount.kind.deduction.untaxed")
			if rv.TaxValue != "" {
				rv.AmountNote = l.T("amount.kind.deduction.tax", l.Ratio(rv.TaxRate), l.Money(rv.TaxValue))
			}
		case policy.Qualification:
			rv.AmountNote = l.T("amount.kind.qualification")
		}
	}
	if lib != nil {
		if pol, ok := lib.Policy(r.Policy); ok {
			rv.Title = pol.Title().In(string(l.Lang()))
			rv.AmountLabel = pol.AmountLabel().In(string(l.Lang()))
			rv.Documents = pol.Documents()
			for _, m := range pol.Materials() {
				rv.Materials = append(rv.Materials, m.In(string(l.Lang())))
			}
			if _, to, _ := pol.InForceRange(); !to.IsZero() {
				rv.Deadline = l.Date(to)
			}
			rv.Claim = claimOf(l, pol, on, r)
		}
	}
	for _, c := range r.Criteria {
		cv := criterionView{ID: c.ID, Label: c.Label, Status: string(c.Status), Explanation: c.Explanation,
			Value: showUnit(l, c.Unit, c.Value), Threshold: showUnit(l, c.Unit, c.Threshold), Gap: showGap(l, c.Unit, c.Gap)}
		if zh {
			cv.Label, cv.Explanation = c.LabelZh, c.ExplanationZh
		}
		cv.Explanation = proseValues(l, cv.Explanation)
		if cv.Threshold != "" && c.Op != "" {
			cv.Threshold = opLabel(l, c.Op) + " " + cv.Threshold
		}
		rv.Criteria = append(rv.Criteria, cv)
	}
	if nm := r.NearMiss; nm != nil {
		nv := &nearMissView{Criterion: nm.Criterion, Value: showUnit(l, nm.Unit, nm.Value), Threshold: showUnit(l, nm.Unit, nm.Threshold),
			Gap: showGap(l, nm.Unit, nm.Gap), Explanation: nm.Explanation}
		if zh {
			nv.Explanation = nm.ExplanationZh
		}
		nv.Explanation = proseValues(l, nv.Explanation)
		if nm.Money != nil {
			nv.Money = l.Money(nm.Money.String())
		}
		if nm.Worth != nil {
			nv.Worth = l.Money(nm.Worth.String())
		}
		for i, c := range rv.Criteria {
			if c.ID == nm.Criterion {
				nv.Criterion = c.Label
				nv.Op = r.Criteria[i].Op
			}
		}
		rv.NearMiss = nv
	}
	for _, m := range r.Missing {
		label := labels[m]
		if label == "" {
			label = m
		}
		rv.Missing = append(rv.Missing, fieldLabel{Name: m, Label: label})
	}
	return rv
}

// opLabel says a rule's comparison in words (">=" → 不低于 / at least):
// readers are not programmers.
func opLabel(l *i18n.Localizer, op string) string {
	if t := l.T("op." + op); !strings.HasPrefix(t, "⟦") {
		return t
	}
	return op
}

// showUnit writes a criterion's number in its unit; a value that is not a
// number is a code (true, general, small) the catalog may name.
func showUnit(l *i18n.Localizer, unit policy.Unit, value string) string {
	if value == "" {
		return ""
	}
	if _, ok := parseDecimalText(value); !ok {
		// A date parameter (a regime's start, say) reads as a date in prose.
		if _, err := time.Parse(time.DateOnly, value); err == nil {
			return l.DateText(value)
		}
		if t := l.T("value." + strings.ToLower(value)); !strings.HasPrefix(t, "⟦") {
			return t
		}
		return value
	}
	switch unit {
	case policy.UnitYuan:
		return l.Money(value)
	case policy.UnitPercent:
		return l.Ratio(value)
	case "", policy.UnitNumber:
		return l.Decimal(value)
	}
	return l.Decimal(value) + " " + l.T("unit.policy."+string(unit))
}

// showGap writes the distance to a threshold: percentage points for ratios.
func showGap(l *i18n.Localizer, unit policy.Unit, gap string) string {
	if gap == "" {
		return ""
	}
	if unit == policy.UnitPercent {
		d, ok := parseDecimalText(gap)
		if !ok {
			return gap
		}
		return l.T("unit.points", d*100)
	}
	return showUnit(l, unit, gap)
}

// resultsBlock is what the results-block template gets: the results and
// the reader's language.
type resultsBlock struct {
	L *i18n.Localizer
	V resultsView
	// Base is the URL a result's explanation is fetched from, with the
	// policy id appended.
	Base string
	// OpenFirst opens the first result's explanation (the portal's).
	OpenFirst bool
}

// resultItem is what the result template gets.
type resultItem struct {
	L    *i18n.Localizer
	R    resultView
	Open bool
	URL  string // where the full explanation is, "" when it is here
}

// Item wraps one result of the block for the result template.
func (b resultsBlock) Item(r resultView) resultItem {
	item := resultItem{L: b.L, R: r, Open: b.OpenFirst && len(b.V.Eligible) > 0 && b.V.Eligible[0].PolicyID == r.PolicyID}
	if b.Base != "" {
		item.URL = b.Base + r.PolicyID
	}
	return item
}

func newResultsBlock(l *i18n.Localizer, v resultsView, base string) resultsBlock {
	return resultsBlock{L: l, V: v, Base: base}
}

// totalNotes say what a total of benefits includes besides cash and tax
// saved, and what it leaves out.
func totalNotes(l *i18n.Localizer, t match.BenefitTotals) []string {
	var out []string
	if !isZeroAmount(t.Deduction) {
		out = append(out, l.T("amount.kind.total.deduction", l.Money(t.DeductionTax), l.Money(t.Deduction)))
	}
	if !isZeroAmount(t.Qualification) {
		out = append(out, l.T("amount.kind.total.qualification", l.Money(t.Qualification)))
	}
	return out
}

func isZeroAmount(s string) bool { return s == "" || s == "0.00" }
