package policy

import (
	"fmt"
	"time"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"github.com/cockroachdb/apd/v3"

	"github.com/parkdesk/parkdesk/internal/facts"
)

// The sentences of results, in English and Chinese. They are built from the
// structured parts (values read, threshold, gap) so that the two languages
// always say the same thing.

var inForceLabel = Texts{Zh: "政策有效期", En: "Policy in force"}

func (e *Evaluator) inForceResult(ok bool) CriterionResult {
	p := e.pol
	r := CriterionResult{ID: inForceCriterion, Label: inForceLabel.En, LabelZh: inForceLabel.Zh, Read: []Read{}}
	r.Read = append(r.Read, Read{Name: "on", Kind: "date", Value: e.on.Format(time.DateOnly)})
	if p.inForce.byFilingPeriod {
		r.Read = append(r.Read,
			Read{Name: nameFilingPeriod, Kind: "date", Value: e.filingPeriod.String()},
			Read{Name: nameTaxMonth, Kind: "date", Value: e.taxMonth.String()})
	}
	span, spanZh := e.inForceSpan()
	if ok {
		r.Status = Pass
		if p.inForce.byFilingPeriod {
			r.Explanation = fmt.Sprintf("Policy in force: it applies %s; filing period %s (tax month %s) is within, met.",
				span, e.filingPeriod, e.taxMonth)
			r.ExplanationZh = fmt.Sprintf("政策有效期：本政策%s；本次为%s纳税申报期（税款所属期%s），在有效期内，符合。",
				spanZh, e.filingPeriod, e.taxMonth)
			return r
		}
		day := e.on.Format(time.DateOnly)
		r.Explanation = fmt.Sprintf("Policy in force: it applies %s, and %s is within, met.", span, day)
		r.ExplanationZh = fmt.Sprintf("政策有效期：本政策%s，%s在有效期内，符合。", spanZh, day)
		return r
	}
	r.Status = Fail
	when, whenZh := e.on.Format(time.DateOnly), e.on.Format(time.DateOnly)
	if p.inForce.byFilingPeriod {
		when += fmt.Sprintf(" (filing period %s, tax month %s)", e.filingPeriod, e.taxMonth)
		whenZh += fmt.Sprintf("（纳税申报期%s，税款所属期%s）", e.filingPeriod, e.taxMonth)
	}
	if e.ref.Before(p.inForce.from) {
		r.Explanation = fmt.Sprintf("Not in force on %s: not yet in force; it applies %s.", when, span)
		r.ExplanationZh = fmt.Sprintf("%s不在政策有效期内：政策尚未施行，本政策%s。", whenZh, spanZh)
		return r
	}
	r.Explanation = fmt.Sprintf("Not in force on %s: no longer in force; it applied %s.", when, span)
	r.ExplanationZh = fmt.Sprintf("%s不在政策有效期内：政策已到期，本政策%s。", whenZh, spanZh)
	return r
}

// inForceSpan says when the policy applies: "from 2023-01-01 to
// 2027-12-31", or for a regime dated by filing period "from filing period
// 2022-04 (tax month 2022-03) to filing period 2025-08 (tax month
// 2025-07)".
func (e *Evaluator) inForceSpan() (en, zh string) {
	f := e.pol.inForce
	if !f.byFilingPeriod {
		from := f.from.Format(time.DateOnly)
		if f.to.IsZero() {
			return "from " + from, "自" + from + "起施行"
		}
		to := f.to.Format(time.DateOnly)
		return "from " + from + " to " + to, "有效期为" + from + "至" + to
	}
	month := func(t time.Time) (string, string) {
		p := facts.Month(t.Year(), int(t.Month()))
		return p.String(), p.AddMonths(-1).String()
	}
	from, fromTax := month(f.from)
	en = fmt.Sprintf("from filing period %s (tax month %s)", from, fromTax)
	zh = fmt.Sprintf("自%s纳税申报期（税款所属期%s）起适用", from, fromTax)
	if !f.to.IsZero() {
		to, toTax := month(f.to)
		en += fmt.Sprintf(" to filing period %s (tax month %s)", to, toTax)
		zh += fmt.Sprintf("，至%s纳税申报期（税款所属期%s）止", to, toTax)
	}
	return en, zh
}

// criterionResult explains one criterion's outcome.
func (e *Evaluator) criterionResult(c *criterion, out *criterionOutcome) CriterionResult {
	r := CriterionResult{ID: c.id, Label: c.label.En, LabelZh: c.label.Zh, Status: out.status, Error: out.err}
	r.Read = e.readsOf(out.readsFrom, out.readsTo)
	if out.status == Unknown {
		r.Missing = e.missingNames(out.unknown)
	}
	if c.op != "" {
		r.Op, r.Unit = c.op, c.unit
		if out.value != nil {
			r.Value, r.Threshold = decimalText(out.value), decimalText(out.threshold)
			if out.status == Fail {
				r.Gap = decimalText(gapOf(c.op, out.value, out.threshold))
			}
		}
	}
	r.Explanation, r.ExplanationZh = e.criterionSentences(c, out, &r)
	return r
}

// gapOf is how far a failing value is from its threshold, positive.
func gapOf(op string, value, threshold *apd.Decimal) *apd.Decimal {
	var g apd.Decimal
	if op == ">=" || op == ">" {
		arith.Sub(&g, threshold, value)
	} else {
		arith.Sub(&g, value, threshold)
	}
	return &g
}

var opSymbols = map[string]string{">=": "≥", ">": ">", "<=": "≤", "<": "<"}

func (e *Evaluator) criterionSentences(c *criterion, out *criterionOutcome, r *CriterionResult) (en, zh string) {
	switch out.status {
	case NotApplicable:
		return c.label.En + ": does not apply.", c.label.Zh + "：不适用。"
	case Unknown:
		if out.err != "" {
			return fmt.Sprintf("%s: cannot be evaluated: %s.", c.label.En, out.err),
				fmt.Sprintf("%s：无法计算：%s。", c.label.Zh, out.err)
		}
		en, zh := e.missingPhrases(r.Read, r.Missing)
		return fmt.Sprintf("%s: unknown, missing %s.", c.label.En, en), fmt.Sprintf("%s：无法判断，缺少%s。", c.label.Zh, zh)
	}
	if c.op != "" && out.value != nil {
		v, t := display(out.value, c.unit, "en"), display(out.threshold, c.unit, "en")
		vz, tz := display(out.value, c.unit, "zh"), display(out.threshold, c.unit, "zh")
		op := opSymbols[c.op]
		if out.status == Pass {
			return fmt.Sprintf("%s: %s %s %s, met.", c.label.En, v, op, t),
				fmt.Sprintf("%s：%s，要求%s%s，符合。", c.label.Zh, vz, op, tz)
		}
		gap := gapOf(c.op, out.value, out.threshold)
		side, sideZh := "short", "差"
		if c.op == "<=" || c.op == "<" {
			side, sideZh = "over", "超出"
		}
		if gap.IsZero() {
			// A strict comparison at its threshold: no distance to state.
			return fmt.Sprintf("%s: %s against %s %s, not met.", c.label.En, v, op, t),
				fmt.Sprintf("%s：%s，要求%s%s，不符合。", c.label.Zh, vz, op, tz)
		}
		en = fmt.Sprintf("%s: %s against %s %s: %s %s", c.label.En, v, op, t, displayGap(gap, c.unit, "en"), side)
		zh = fmt.Sprintf("%s：%s，要求%s%s，不符合，%s%s", c.label.Zh, vz, op, tz, sideZh, displayGap(gap, c.unit, "zh"))
		if money := e.gapMoney(c, out); money != nil {
			more, moreZh := "more", "增加"
			if side == "over" {
				more, moreZh = "less", "减少"
			}
			en += fmt.Sprintf(", about %s %s %s", aboutYuan(money, "en"), more, c.moneyLabel.En)
			zh += fmt.Sprintf("，约需%s%s%s", moreZh, c.moneyLabel.Zh, aboutYuan(money, "zh"))
		}
		return en + ".", zh + "。"
	}
	reads, readsZh := e.readPhrases(r.Read)
	if out.status == Pass {
		return fmt.Sprintf("%s: met%s.", c.label.En, reads), fmt.Sprintf("%s：符合%s。", c.label.Zh, readsZh)
	}
	return fmt.Sprintf("%s: not met%s.", c.label.En, reads), fmt.Sprintf("%s：不符合%s。", c.label.Zh, readsZh)
}

// gapMoney evaluates a criterion's near_miss.money: the money that would
// close the gap. Nil when the criterion has none or it cannot be computed.
func (e *Evaluator) gapMoney(c *criterion, out *criterionOutcome) *apd.Decimal {
	if c.money == nil || out.value == nil {
		return nil
	}
	gap := gapOf(c.op, out.value, out.threshold)
	e.nearMissVars = [3]ref.Val{newDecimal(out.value), newDecimal(out.threshold), newDecimal(gap)}
	// What the money expression reads stays out of every criterion's range
	// of the log; the log is not truncated, so memoised ranges stay valid.
	v := e.run(c.money)
	e.nearMissVars = [3]ref.Val{}
	d, ok := v.(*decimalVal)
	if !ok {
		return nil
	}
	return &d.d
}

// nearMissIndex returns the index of the criterion that makes an
// ineligible result a near miss: the only failing criterion, a numeric
// comparison within its tolerance of a non-zero threshold; -1 otherwise.
func (e *Evaluator) nearMissIndex() int {
	for i := range e.outcomes {
		out := &e.outcomes[i]
		if out.status != Fail {
			continue
		}
		c := e.pol.criteria[i]
		if c.op == "" || out.value == nil || out.threshold.IsZero() {
			return -1
		}
		tol := c.tolerance
		if tol == nil {
			tol = e.pol.tolerance
		}
		if tol == nil {
			tol = defaultTolerance
		}
		var rel, absThreshold apd.Decimal
		absThreshold.Abs(out.threshold)
		arith.Quo(&rel, gapOf(c.op, out.value, out.threshold), &absThreshold)
		if rel.Cmp(tol) > 0 {
			return -1
		}
		return i
	}
	return -1
}

// defaultTolerance is how close a failing value must be to its threshold,
// relative to it, for a near miss when the policy does not say.
var defaultTolerance = apd.New(10, -2)

// nearMiss explains the near miss at criterion i.
func (e *Evaluator) nearMiss(i int) *NearMiss {
	c, out := e.pol.criteria[i], &e.outcomes[i]
	gap := gapOf(c.op, out.value, out.threshold)
	nm := &NearMiss{Criterion: c.id, Value: decimalText(out.value), Threshold: decimalText(out.threshold),
		Gap: decimalText(gap), Unit: c.unit}
	if money := e.gapMoney(c, out); money != nil {
		if r := roundToFen(money); r != nil {
			nm.Money = &Money{Decimal: *r}
		}
	}
	if e.pol.amount != nil {
		// What meeting the criterion is worth: the amount on the same
		// facts, which the policy reads whatever the criteria decide.
		if amt := e.evalAmount(); amt.status == Pass && amt.value.Sign() > 0 {
			nm.Worth = &Money{Decimal: *amt.value}
		}
	}
	cr := e.criterionResult(c, out)
	nm.Explanation, nm.ExplanationZh = "Near miss — "+cr.Explanation, "差一点符合——"+cr.ExplanationZh
	return nm
}

// reportedValues lists the policy's report values and amount parts.
func (e *Evaluator) reportedValues() []Read {
	idx := append([]int(nil), e.pol.report...)
	if e.pol.amount != nil {
		for _, p := range e.pol.amount.parts {
			if !containsInt(idx, p) {
				idx = append(idx, p)
			}
		}
	}
	if len(idx) == 0 {
		return nil
	}
	out := make([]Read, 0, len(idx))
	for _, i := range idx {
		v := e.derivedValue(i)
		r := Read{Name: e.pol.derived[i].name, Kind: "derived", Value: canonical(v), Missing: types.IsUnknown(v)}
		if d, ok := v.(*decimalVal); ok {
			r.Value = trimmed(&d.d, 10)
		}
		if types.IsError(v) {
			r.Note = v.(*types.Err).Error()
		}
		out = append(out, r)
	}
	return out
}

func containsInt(list []int, x int) bool {
	for _, v := range list {
		if v == x {
			return true
		}
	}
	return false
}

// readsOf converts a range of the read log into a criterion's reads,
// without repeats.
func (e *Evaluator) readsOf(from, to int) []Read {
	out := make([]Read, 0, to-from)
	for k := from; k < to; k++ {
		r := &e.reads[k]
		if seenBefore(e.reads[from:k], r) {
			continue
		}
		value := canonical(r.val)
		if d, ok := r.val.(*decimalVal); ok && r.kind == "derived" {
			value = trimmed(&d.d, 10)
		}
		out = append(out, Read{Name: r.name, Kind: r.kind, Period: periodText(r.period), Value: value, Missing: r.missing, Note: r.note, NoteZh: r.noteZh})
	}
	return out
}

// seenBefore reports whether an earlier read of the same range names the
// same value; a criterion has few reads, so a scan beats a map.
func seenBefore(earlier []readEntry, r *readEntry) bool {
	for i := range earlier {
		if earlier[i].name == r.name && earlier[i].period == r.period {
			return true
		}
	}
	return false
}

// label returns how a name is called in sentences.
func (e *Evaluator) label(name, kind string) Texts {
	if kind == "fact" {
		if f, ok := e.lib.fields.byName[name]; ok {
			return Texts{Zh: f.field.LabelZh, En: f.field.LabelEn}
		}
		switch name {
		case attrIndustryCode:
			return Texts{Zh: "行业代码", En: "Industry code"}
		case attrRegisteredOn:
			return Texts{Zh: "成立日期", En: "Registration date"}
		}
	}
	if s, ok := e.pol.names[name]; ok {
		switch s.kind {
		case slotDerived:
			if l := e.pol.derived[s.index].label; l.En != "" {
				return l
			}
		case slotParam:
			if l := e.pol.params[s.index].label; l.En != "" {
				return l
			}
		}
	}
	return Texts{Zh: name, En: name}
}
