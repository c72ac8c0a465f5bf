package policy

import (
	"strings"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"github.com/cockroachdb/apd/v3"

	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/facts"
)

// readEntry is one value an evaluation used, kept in the evaluator's log so
// that each criterion can say what it read.
type readEntry struct {
	name    string
	kind    string // fact, parameter, derived
	period  facts.Period
	val     ref.Val // nil when missing
	missing bool
	note    string
}

// missingEntry is a fact found missing. Its 1-based index is the id of the
// unknown value that stands for it, so that the unknown a criterion ends
// with names exactly the facts that made it unknown (CEL merges unknowns
// through operators, and && and || drop those that do not matter).
type missingEntry struct {
	name   string
	period facts.Period
}

func (e *Evaluator) logRead(name string, p facts.Period, v ref.Val, note string) {
	e.reads = append(e.reads, readEntry{name: name, kind: "fact", period: p, val: v, note: note})
}

// missingVal records a missing fact and returns the unknown that stands for it.
func (e *Evaluator) missingVal(name string, p facts.Period, note string) ref.Val {
	e.missing = append(e.missing, missingEntry{name: name, period: p})
	e.reads = append(e.reads, readEntry{name: name, kind: "fact", period: p, missing: true, note: note})
	return types.NewUnknown(int64(len(e.missing)), nil)
}

// read returns a field's value at a period, applying the field's rules for
// absent values and averages.
func (e *Evaluator) read(f *fieldInfo, p facts.Period) ref.Val {
	if f.average != nil && p.Shape == facts.Annual {
		return e.readAverage(f, p)
	}
	v, ok := e.ent.Fact(f.field, p)
	if !ok {
		if f.absent != nil {
			e.logRead(f.field.Name, p, f.absent, "absent, which means "+f.field.AbsentMeans)
			return f.absent
		}
		return e.missingVal(f.field.Name, p, "")
	}
	val := toCEL(v)
	e.logRead(f.field.Name, p, val, "")
	return val
}

// readList returns n consecutive periods from start as a list, or the
// unknown of every missing one.
func (e *Evaluator) readList(f *fieldInfo, start facts.Period, n int) ref.Val {
	vals := make([]ref.Val, n)
	var unk *types.Unknown
	p := start
	for i := range n {
		vals[i] = e.read(f, p)
		if u, ok := vals[i].(*types.Unknown); ok {
			unk = types.MergeUnknowns(unk, u)
		}
		p = next(p)
	}
	if unk != nil {
		return unk
	}
	return types.NewRefValList(types.DefaultTypeAdapter, vals)
}

// readSum sums (or averages) n consecutive periods from start.
func (e *Evaluator) readSum(f *fieldInfo, start facts.Period, n int, average bool) ref.Val {
	total := &decimalVal{}
	var unk *types.Unknown
	p := start
	for range n {
		v := e.read(f, p)
		switch x := v.(type) {
		case *types.Unknown:
			unk = types.MergeUnknowns(unk, x)
		case *decimalVal:
			if _, err := arith.Add(&total.d, &total.d, &x.d); err != nil {
				return types.NewErr("sum of %s: %v", f.field.Name, err)
			}
		default:
			return types.NewErr("%s is not a number", f.field.Name)
		}
		p = next(p)
	}
	if unk != nil {
		return unk
	}
	if average {
		if _, err := arith.Quo(&total.d, &total.d, apd.New(int64(n), 0)); err != nil {
			return types.NewErr("average of %s: %v", f.field.Name, err)
		}
	}
	return total
}

// readAverage reads an annual average (employees_avg, total_assets_avg) by
// the rule of reference/policies.md: the mean of the four quarters'
// (start + end) / 2 when all eight facts are given, else the reported
// average, else the plain annual fact.
func (e *Evaluator) readAverage(f *fieldInfo, p facts.Period) ref.Val {
	rule := f.average
	var q [8]facts.Value
	all := true
	for i := range 4 {
		var ok1, ok2 bool
		q[2*i], ok1 = e.ent.Fact(rule.qStart.field, facts.Quarter(p.Year, i+1))
		q[2*i+1], ok2 = e.ent.Fact(rule.qEnd.field, facts.Quarter(p.Year, i+1))
		if !ok1 || !ok2 || checkMagnitude(&q[2*i].Num) != nil || checkMagnitude(&q[2*i+1].Num) != nil {
			all = false
			break
		}
	}
	if all {
		sum := &decimalVal{}
		for i := range 4 {
			start, end := &q[2*i], &q[2*i+1]
			e.logRead(rule.qStart.field.Name, facts.Quarter(p.Year, i+1), newDecimal(&start.Num), "")
			e.logRead(rule.qEnd.field.Name, facts.Quarter(p.Year, i+1), newDecimal(&end.Num), "")
			arith.Add(&sum.d, &sum.d, &start.Num)
			arith.Add(&sum.d, &sum.d, &end.Num)
		}
		// Σ (start + end) / 2 / 4 = Σ (start + end) / 8
		arith.Quo(&sum.d, &sum.d, apd.New(8, 0))
		e.logRead(f.field.Name, p, sum, "the mean of the four quarters' (start + end) / 2")
		return sum
	}
	if v, ok := e.ent.Fact(f.field, p); ok {
		val := toCEL(v)
		e.logRead(f.field.Name, p, val, "")
		return val
	}
	if v, ok := e.ent.Fact(rule.plain.field, p); ok {
		val := toCEL(v)
		e.logRead(f.field.Name, p, val, "not reported, nor its quarters: "+rule.plain.field.Name+" of the year is used")
		return val
	}
	return e.missingVal(f.field.Name, p, "")
}

// size returns enterprise_size: as reported, else derived from the industry
// and the last fiscal year's figures under 工信部联企业〔2011〕300号 (with VAT
// sales instead of revenue for the VAT refund rules), else missing.
func (e *Evaluator) size(f *fieldInfo) ref.Val {
	if e.sizeMemo != nil {
		return e.sizeMemo
	}
	e.sizeMemo = e.deriveSize(f)
	return e.sizeMemo
}

func (e *Evaluator) deriveSize(f *fieldInfo) ref.Val {
	if v, ok := e.ent.Fact(f.field, facts.Period{}); ok {
		val := toCEL(v)
		e.logRead(f.field.Name, facts.Period{}, val, "")
		return val
	}
	code := e.ent.IndustryCode()
	if code == "" {
		return e.missingVal(f.field.Name, facts.Period{}, "not reported, and without an industry code it cannot be derived")
	}
	year := facts.Year(e.lastYear)
	var in enterprise.SizeInputs
	revenueField := "revenue"
	if e.pol.sizeBasis == "vat_sales" {
		revenueField = "vat_sales"
	}
	var used []string
	if fi := e.pol.lib.fields.byName[revenueField]; fi != nil {
		if v, ok := e.ent.Fact(fi.field, year); ok && checkMagnitude(&v.Num) == nil {
			in.Revenue = &v.Num
			used = append(used, revenueField)
		}
	}
	if fi := e.pol.lib.fields.byName["total_assets"]; fi != nil {
		if v, ok := e.ent.Fact(fi.field, year); ok && checkMagnitude(&v.Num) == nil {
			in.Assets = &v.Num
			used = append(used, "total_assets")
		}
	}
	if fi := e.pol.lib.fields.byName["employees"]; fi != nil {
		if v, ok := e.ent.Fact(fi.field, year); ok {
			if n, err := v.Num.Int64(); err == nil {
				in.Employees = &n
				used = append(used, "employees")
			}
		}
	}
	classify := enterprise.ClassifySize
	if e.pol.sizeBasis == "vat_sales" {
		classify = enterprise.ClassifySizeForVATRefund
	}
	size, missing, err := classify(code, in)
	switch {
	case err != nil:
		return e.missingVal(f.field.Name, facts.Period{}, "not reported, and cannot be derived: "+errorText(err))
	case size == "":
		return e.missingVal(f.field.Name, facts.Period{}, "not reported, and cannot be derived without "+strings.Join(missing, ", ")+" of "+year.String())
	}
	val := types.String(string(size))
	e.logRead(f.field.Name, facts.Period{}, val, "derived from the industry and "+strings.Join(used, ", ")+" of "+year.String()+" (工信部联企业〔2011〕300号)")
	return val
}
