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
	noteZh  string // set when the note is part of the sentences (how a size class was found)
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

// logReadSaid logs a read whose note the sentences repeat, in both
// languages.
func (e *Evaluator) logReadSaid(name string, p facts.Period, v ref.Val, note, noteZh string) {
	e.reads = append(e.reads, readEntry{name: name, kind: "fact", period: p, val: v, note: note, noteZh: noteZh})
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
// and the last fiscal year's figures under 工信部联企业〔2011〕300号, else
// missing. The VAT refund rules (size_basis: vat_sales) size differently
// (财政部 税务总局公告2022年第14号 Art.12): VAT sales of the last fiscal year
// and assets at its year-end, never headcount; their class is derived first,
// and a reported class (which 300号 sets with headcount) only stands in when
// it cannot be, which the read's note says.
func (e *Evaluator) size(f *fieldInfo) ref.Val {
	if e.sizeMemo != nil {
		return e.sizeMemo
	}
	e.sizeMemo = e.deriveSize(f)
	return e.sizeMemo
}

func (e *Evaluator) deriveSize(f *fieldInfo) ref.Val {
	reported, isReported := e.ent.Fact(f.field, facts.Period{})
	vatBasis := e.pol.sizeBasis == "vat_sales"
	if isReported && !vatBasis {
		val := toCEL(reported)
		e.logRead(f.field.Name, facts.Period{}, val, "")
		return val
	}
	code := e.ent.IndustryCode()
	if code == "" {
		if isReported {
			return e.standIn(f, reported, "without an industry code the VAT-refund size class cannot be derived", facts.Year(e.lastYear))
		}
		return e.missingVal(f.field.Name, facts.Period{}, "not reported, and without an industry code it cannot be derived")
	}
	year := facts.Year(e.lastYear)
	var in enterprise.SizeInputs
	revenueField := "revenue"
	if vatBasis {
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
	classify := enterprise.ClassifySize
	if vatBasis {
		classify = enterprise.ClassifySizeForVATRefund
	} else if fi := e.pol.lib.fields.byName["employees"]; fi != nil {
		if v, ok := e.ent.Fact(fi.field, year); ok {
			if n, err := v.Num.Int64(); err == nil {
				in.Employees = &n
				used = append(used, "employees")
			}
		}
	}
	size, missing, err := classify(code, in)
	if err == nil && size != "" {
		val := types.String(string(size))
		if vatBasis {
			e.logReadSaid(f.field.Name, facts.Period{}, val,
				"the VAT-refund size class, from the industry and "+strings.Join(used, ", ")+" of "+year.String()+
					", without headcount (财政部 税务总局公告2022年第14号 Art.12)",
				"留抵退税划型：按行业及"+year.String()+"年"+sizeInputsZh(used)+"确定，不看从业人数（财政部 税务总局公告2022年第14号第十二条）")
			return val
		}
		e.logRead(f.field.Name, facts.Period{}, val, "derived from the industry and "+strings.Join(used, ", ")+" of "+year.String()+" (工信部联企业〔2011〕300号)")
		return val
	}
	why := "cannot be derived without " + strings.Join(missing, ", ") + " of " + year.String()
	if err != nil {
		why = "cannot be derived: " + errorText(err)
	}
	if isReported {
		return e.standIn(f, reported, "the VAT-refund size class "+why, year)
	}
	return e.missingVal(f.field.Name, facts.Period{}, "not reported, and "+why)
}

// standIn reads a reported size class where the VAT refund's own class
// cannot be derived, saying so.
func (e *Evaluator) standIn(f *fieldInfo, reported facts.Value, why string, year facts.Period) ref.Val {
	val := toCEL(reported)
	e.logReadSaid(f.field.Name, facts.Period{}, val, "the reported size class stands in: "+why,
		"留抵退税划型应按"+year.String()+"年增值税销售额和年末资产总额确定，因数据不全，暂以登记的企业规模代替")
	return val
}

// sizeInputsZh names the indicators a size class was set from.
func sizeInputsZh(used []string) string {
	names := map[string]string{"vat_sales": "增值税销售额", "total_assets": "年末资产总额", "revenue": "营业收入", "employees": "从业人数"}
	out := make([]string, len(used))
	for i, u := range used {
		out[i] = names[u]
	}
	return strings.Join(out, "、")
}
