package policy

import (
	"time"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"github.com/cockroachdb/apd/v3"

	"github.com/parkdesk/parkdesk/internal/facts"
)

// inForceCriterion is the id of the criterion every result starts with: the
// policy's dates.
const inForceCriterion = "in_force"

// Evaluator evaluates enterprises against the policies of one library,
// reusing its scratch space from one evaluation to the next. It is not safe
// for concurrent use: give each goroutine its own.
type Evaluator struct {
	lib *Library
	pol *Policy
	ent Enterprise

	on       time.Time
	ref      time.Time // the policy's reference date
	lastYear int
	// The VAT documents date their regimes by filing period (纳税申报期:
	// on's month) and read monthly facts for the tax month (税款所属期: the
	// month before).
	filingPeriod    facts.Period
	taxMonth        facts.Period
	onVal           ref.Val
	filingPeriodVal ref.Val
	taxMonthVal     ref.Val
	lastYearVal     ref.Val

	series       []seriesVal // one per dictionary field
	params       []ref.Val
	paramsOK     bool // every parameter value in use is verified
	memo         []memoEntry
	sizeMemo     ref.Val
	nearMissVars [3]ref.Val // value, threshold, gap while a near_miss.money expression runs
	reads        []readEntry
	caseLocals   map[*param][]paramAt // a test case's local values
	missing      []missingEntry
	activation   activation

	// The last decision, kept for Explain.
	inForce    bool
	outcomes   []criterionOutcome
	amountOut  *amountOutcome
	nearMissAt int
	decision   Decision
}

type memoState uint8

const (
	memoNone memoState = iota
	memoComputing
	memoDone
)

// memoEntry is a derived value computed during the current evaluation, with
// the range of the read log it produced, so that a later criterion using it
// can list those reads as its own.
type memoEntry struct {
	state    memoState
	val      ref.Val
	from, to int
}

// NewEvaluator returns an evaluator for the library's policies.
func (l *Library) NewEvaluator() *Evaluator {
	e := &Evaluator{lib: l, series: make([]seriesVal, len(l.fields.list))}
	for i, f := range l.fields.list {
		e.series[i] = seriesVal{ev: e, f: f}
	}
	e.activation.ev = e
	return e
}

// Evaluate evaluates one record against the policy, as of the date on. It is
// a convenience for single evaluations; loops should reuse an Evaluator.
func (p *Policy) Evaluate(rec *facts.Record, on time.Time) Result {
	return p.lib.NewEvaluator().Evaluate(p, FromRecord(rec), on)
}

// Decision is the outcome of an evaluation without its explanation.
type Decision struct {
	Status   Status
	InForce  bool     // false: ineligible because the policy is not in force on the date
	Amount   *Money   // set when eligible and the policy has an amount
	Missing  []string // the fields whose absence made the result undetermined
	NearMiss bool     // ineligible by one numeric criterion within its tolerance
	Verified bool
}

// Evaluate evaluates one enterprise against a policy of the evaluator's
// library, as of the date on, and explains the result. A policy that is not
// in force on that date yields an ineligible result with InForce false,
// whose in_force criterion alone is evaluated and says when the policy is in
// force; bulk evaluations skip such policies (Policy.InForce).
func (e *Evaluator) Evaluate(p *Policy, ent Enterprise, on time.Time) Result {
	e.Decide(p, ent, on)
	return e.Explain()
}

// Decide evaluates one enterprise against a policy without building the
// explanation, which costs as much again. Explain, called before the next
// Decide, explains this decision without evaluating anything twice; so a
// caller that keeps explanations only for some results (eligible,
// undetermined, near misses) pays for them only there.
func (e *Evaluator) Decide(p *Policy, ent Enterprise, on time.Time) Decision {
	if p.lib != e.lib {
		// Field indexes and names are the library's own.
		panic("policy: Evaluator.Decide with a policy of another library")
	}
	e.reset(p, ent, on)
	e.inForce = p.InForce(on)
	e.amountOut = nil
	e.nearMissAt = -1
	e.outcomes = e.outcomes[:0]
	if !e.inForce {
		e.decision = Decision{Status: Ineligible, Missing: []string{}, Verified: !p.unverifiedAt(e.ref)}
		return e.decision
	}
	failed, unknown := 0, 0
	for _, c := range p.criteria {
		out := e.evalCriterion(c)
		e.outcomes = append(e.outcomes, out)
		switch out.status {
		case Fail:
			failed++
		case Unknown:
			unknown++
		}
	}
	d := Decision{InForce: true, Missing: []string{}, Verified: e.paramsOK && !p.unverifiedAt(e.ref)}
	switch {
	case failed > 0:
		d.Status = Ineligible
	case unknown > 0:
		d.Status = Undetermined
	default:
		d.Status = Eligible
		if p.amount != nil {
			e.amountOut = e.evalAmount()
			if e.amountOut.status != Pass {
				d.Status = Undetermined
			} else {
				d.Amount = &Money{Decimal: *e.amountOut.value}
			}
		}
	}
	if d.Status == Undetermined {
		d.Missing = e.missingOf(e.outcomes, e.amountOut)
	}
	if d.Status == Ineligible && failed == 1 {
		e.nearMissAt = e.nearMissIndex()
		d.NearMiss = e.nearMissAt >= 0
	}
	e.decision = d
	return d
}

// Explain builds the explained result of the last Decide.
func (e *Evaluator) Explain() Result {
	p, d := e.pol, e.decision
	res := Result{
		Enterprise: e.ent.USCC(), Policy: p.id, Version: p.version, Mode: p.mode, Benefit: p.benefit.Kind,
		Status: d.Status, InForce: d.InForce, Amount: d.Amount, Missing: d.Missing, Verified: d.Verified,
		Criteria: make([]CriterionResult, 0, len(p.criteria)+1),
	}
	if p.inForce.byFilingPeriod {
		res.FilingPeriod, res.TaxMonth = e.filingPeriod.String(), e.taxMonth.String()
	}
	res.Criteria = append(res.Criteria, e.inForceResult(e.inForce))
	if !e.inForce {
		e.explainResult(&res, nil, nil)
		return res
	}
	for i, c := range p.criteria {
		res.Criteria = append(res.Criteria, e.criterionResult(c, &e.outcomes[i]))
	}
	if e.nearMissAt >= 0 {
		res.NearMiss = e.nearMiss(e.nearMissAt)
	}
	res.Values = e.reportedValues()
	res.Notes = append(e.notesThatHold(), e.localNotes()...)
	var taxRate *apd.Decimal
	if d.Amount != nil {
		if rate, value := e.taxValue(&d.Amount.Decimal); value != nil {
			res.TaxRate, res.TaxValue, taxRate = decimalText(rate), value, rate
		}
	}
	e.explainResult(&res, e.amountOut, taxRate)
	return res
}

func (e *Evaluator) reset(p *Policy, ent Enterprise, on time.Time) {
	e.pol, e.ent, e.on = p, ent, on
	y, m, d := on.Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	e.ref = p.referenceDate(on)
	e.lastYear = y - 1
	e.filingPeriod = facts.Month(y, int(m))
	e.taxMonth = e.filingPeriod.AddMonths(-1)
	e.onVal = types.Timestamp{Time: day}
	e.filingPeriodVal = types.Timestamp{Time: firstDay(e.filingPeriod)}
	e.taxMonthVal = types.Timestamp{Time: firstDay(e.taxMonth)}
	e.lastYearVal = types.Int(e.lastYear)
	e.sizeMemo = nil
	e.reads = e.reads[:0]
	e.missing = e.missing[:0]
	if cap(e.memo) < len(p.derived) {
		e.memo = make([]memoEntry, len(p.derived))
	} else {
		e.memo = e.memo[:len(p.derived)]
		clear(e.memo)
	}
	e.params = e.params[:0]
	e.paramsOK = true
	for _, prm := range p.params {
		v, ok := e.paramValue(prm)
		if !ok {
			e.params = append(e.params, types.NewErr("parameter %s has no value on %s", prm.name, e.ref.Format(time.DateOnly)))
			continue
		}
		e.params = append(e.params, v.val)
		e.paramsOK = e.paramsOK && v.verified
	}
}

// taxValue values a deduction at the rate its policy gives for the current
// enterprise: nil when the policy is not a deduction or the rate cannot be
// settled (a fact it needs is missing).
func (e *Evaluator) taxValue(amount *apd.Decimal) (rate *apd.Decimal, value *Money) {
	if e.pol.taxRate == nil {
		return nil, nil
	}
	r, ok := e.run(e.pol.taxRate).(*decimalVal)
	if !ok {
		return nil, nil
	}
	var v apd.Decimal
	if _, err := arith.Mul(&v, amount, &r.d); err != nil {
		return nil, nil
	}
	rounded := roundToFen(&v)
	if rounded == nil {
		return nil, nil
	}
	return new(apd.Decimal).Set(&r.d), &Money{Decimal: *rounded}
}

// TaxValue is what a deduction of the given amount is worth in tax for the
// enterprise on the date: the amount × the rate the policy's benefit.tax_rate
// gives for it, rounded half-up to the fen. ok is false when the policy's
// benefit is not a deduction, or the rate cannot be settled for the
// enterprise. It is for stored results (matching keeps the amount, not its
// tax value); call it between evaluations, not between a Decide and its
// Explain.
func (e *Evaluator) TaxValue(p *Policy, ent Enterprise, on time.Time, deduction *Money) (rate string, value *Money, ok bool) {
	if p.lib != e.lib {
		panic("policy: Evaluator.TaxValue with a policy of another library")
	}
	if p.taxRate == nil || deduction == nil {
		return "", nil, false
	}
	e.reset(p, ent, on)
	r, value := e.taxValue(&deduction.Decimal)
	if value == nil {
		return "", nil, false
	}
	return decimalText(r), value, true
}
