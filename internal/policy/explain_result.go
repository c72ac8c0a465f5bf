package policy

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"cel.dev/cel-go/common/types"
	"github.com/cockroachdb/apd/v3"
)

// readPhrases lists the facts read, for criteria that are not comparisons:
// " (VAT taxpayer type: general; Tax credit rating 2021: A)". A fact found
// missing in a criterion that was decided all the same (a fallback, or a
// branch that did not matter) is listed as not recorded, so that the reader
// sees what the decision did without.
func (e *Evaluator) readPhrases(reads []Read) (string, string) {
	var en, zh []string
	for _, r := range reads {
		if r.Kind != "fact" {
			continue
		}
		l := e.label(r.Name, r.Kind)
		period := ""
		if r.Period != "" {
			period = " " + r.Period
		}
		if r.Missing {
			en = append(en, fmt.Sprintf("%s%s: not recorded", l.En, period))
			zh = append(zh, fmt.Sprintf("%s%s：无记录", l.Zh, period))
		} else if r.NoteZh != "" {
			// How the value was found is part of the sentence (a size
			// class derived, or a reported one standing in).
			en = append(en, fmt.Sprintf("%s%s: %s, %s", l.En, period, r.Value, r.Note))
			zh = append(zh, fmt.Sprintf("%s%s：%s，%s", l.Zh, period, r.Value, r.NoteZh))
		} else {
			en = append(en, fmt.Sprintf("%s%s: %s", l.En, period, r.Value))
			zh = append(zh, fmt.Sprintf("%s%s：%s", l.Zh, period, r.Value))
		}
		if len(en) == 6 {
			en, zh = append(en, "…"), append(zh, "…")
			break
		}
	}
	if len(en) == 0 {
		return "", ""
	}
	return " (" + strings.Join(en, "; ") + ")", "（" + strings.Join(zh, "；") + "）"
}

// missingPhrases names the missing facts that made a criterion unknown:
// "Revenue (revenue) 2023". A fact found missing but replaced (if_missing)
// or not needed is not among them.
func (e *Evaluator) missingPhrases(reads []Read, made []string) (string, string) {
	var en, zh []string
	for _, r := range reads {
		if !r.Missing || r.Kind != "fact" || !slices.Contains(made, r.Name) {
			continue
		}
		l := e.label(r.Name, r.Kind)
		period := ""
		if r.Period != "" {
			period = " " + r.Period
		}
		note := ""
		if r.Note != "" {
			note = ": " + r.Note
		}
		en = append(en, fmt.Sprintf("%s (%s)%s%s", l.En, r.Name, period, note))
		zh = append(zh, fmt.Sprintf("%s（%s）%s", l.Zh, r.Name, period))
	}
	if len(en) == 0 {
		return "data", "数据"
	}
	return strings.Join(en, ", "), strings.Join(zh, "、")
}

// explainResult writes the result-level sentences.
func (e *Evaluator) explainResult(res *Result, amt *amountOutcome, taxRate *apd.Decimal) {
	p := e.pol
	var en, zh strings.Builder
	criteria := res.Criteria
	if !res.InForce {
		// Not in force: nothing else was evaluated, and the dates are the
		// whole answer.
		fmt.Fprintf(&en, "%s: %s", p.title.En, lowerFirst(criteria[0].Explanation))
		fmt.Fprintf(&zh, "%s：%s", p.title.Zh, criteria[0].ExplanationZh)
		if !res.Verified {
			e.unverifiedNote(&en, &zh)
		}
		res.Explanation, res.ExplanationZh = en.String(), zh.String()
		return
	}
	if p.inForce.byFilingPeriod {
		// The regime is dated by filing period and reads the tax month's
		// facts: say both, so no one takes one for the other.
		fmt.Fprintf(&en, "Filing period %s (tax month %s): ", e.filingPeriod, e.taxMonth)
		fmt.Fprintf(&zh, "%s纳税申报期（税款所属期%s）：", e.filingPeriod, e.taxMonth)
	}
	switch res.Status {
	case Eligible:
		fmt.Fprintf(&en, "Eligible for %s.", p.title.En)
		fmt.Fprintf(&zh, "符合%s条件。", p.title.Zh)
		if res.Amount != nil {
			parts, partsZh := e.partPhrases()
			fmt.Fprintf(&en, " %s: %s%s.", capitalize(p.amount.label.En), display(&res.Amount.Decimal, UnitYuan, "en"), parts)
			fmt.Fprintf(&zh, "%s：%s%s。", p.amount.label.Zh, display(&res.Amount.Decimal, UnitYuan, "zh"), partsZh)
			if res.TaxValue != nil {
				fmt.Fprintf(&en, " As a deduction from taxable income it is worth about %s of income tax at %s (%s).",
					display(&res.TaxValue.Decimal, UnitYuan, "en"), display(taxRate, UnitPercent, "en"), p.benefit.TaxRateLabel.En)
				fmt.Fprintf(&zh, "该金额为应纳税所得额的扣除额，按%s税率（%s）计算，约可少缴企业所得税%s。",
					display(taxRate, UnitPercent, "zh"), p.benefit.TaxRateLabel.Zh, display(&res.TaxValue.Decimal, UnitYuan, "zh"))
			}
		}
		fmt.Fprintf(&en, " All %d criteria are met.", len(p.criteria))
		fmt.Fprintf(&zh, "全部%d项条件均满足。", len(p.criteria))
		claim, claimZh := claimSentences(p.claim)
		en.WriteString(" " + claim)
		zh.WriteString(claimZh)
	case Ineligible:
		fmt.Fprintf(&en, "Not eligible for %s:", p.title.En)
		fmt.Fprintf(&zh, "不符合%s条件：", p.title.Zh)
		for _, c := range criteria {
			if c.Status == Fail {
				en.WriteString(" " + c.Explanation)
				zh.WriteString(c.ExplanationZh)
			}
		}
		if res.NearMiss != nil {
			en.WriteString(" This is a near miss.")
			zh.WriteString("差距较小，接近符合条件。")
		}
		var unknown, unknownZh []string
		for _, c := range criteria {
			if c.Status == Unknown {
				unknown, unknownZh = append(unknown, c.Label), append(unknownZh, c.LabelZh)
			}
		}
		if len(unknown) > 0 {
			fmt.Fprintf(&en, " Still unknown: %s.", strings.Join(unknown, "; "))
			fmt.Fprintf(&zh, "另有条件尚无法判断：%s。", strings.Join(unknownZh, "；"))
		}
	case Undetermined:
		fmt.Fprintf(&en, "Undetermined for %s", p.title.En)
		fmt.Fprintf(&zh, "暂无法判断是否符合%s条件", p.title.Zh)
		if len(res.Missing) > 0 {
			var names, namesZh []string
			for _, m := range res.Missing {
				l := e.label(m, "fact")
				names = append(names, fmt.Sprintf("%s (%s)", l.En, m))
				namesZh = append(namesZh, l.Zh)
			}
			fmt.Fprintf(&en, ": missing %s.", strings.Join(names, ", "))
			fmt.Fprintf(&zh, "，缺少%s。", strings.Join(namesZh, "、"))
		} else {
			en.WriteString(".")
			zh.WriteString("。")
		}
		for _, c := range criteria {
			if c.Status == Unknown {
				en.WriteString(" " + c.Explanation)
				zh.WriteString(c.ExplanationZh)
			}
		}
		if amt != nil && amt.status != Pass {
			if amt.err != "" {
				fmt.Fprintf(&en, " Every criterion is met, but the amount cannot be computed: %s.", amt.err)
				fmt.Fprintf(&zh, "各项条件均满足，但金额无法计算：%s。", amt.err)
			} else {
				en.WriteString(" Every criterion is met, but the amount needs the missing data.")
				zh.WriteString("各项条件均满足，但计算金额缺少数据。")
			}
		}
	}
	for _, n := range res.Notes {
		en.WriteString(" " + n.En)
		zh.WriteString(n.Zh)
	}
	if !res.Verified {
		e.unverifiedNote(&en, &zh)
	}
	res.Explanation, res.ExplanationZh = en.String(), zh.String()
}

// claimSentences say how the benefit is claimed, where and by when.
func claimSentences(c Claim) (en, zh string) {
	switch c.Mode {
	case Automatic:
		return fmt.Sprintf("No application is needed: %s; %s.", c.Where.En, c.By.En),
			fmt.Sprintf("免申即享，无需申请：%s；%s。", c.Where.Zh, c.By.Zh)
	case Confirm:
		return fmt.Sprintf("Granted without application once the enterprise confirms: %s; %s.", c.Where.En, c.By.En),
			fmt.Sprintf("免申即享，经企业确认后兑现：%s；%s。", c.Where.Zh, c.By.Zh)
	case Apply:
		return fmt.Sprintf("The enterprise applies: %s; %s.", c.Where.En, c.By.En),
			fmt.Sprintf("需由企业申请：%s；%s。", c.Where.Zh, c.By.Zh)
	}
	return fmt.Sprintf("The enterprise claims it itself in its tax filing: %s; %s.", c.Where.En, c.By.En),
		fmt.Sprintf("由企业在纳税申报时自行申报享受：%s；%s。", c.Where.Zh, c.By.Zh)
}

// notesThatHold lists the notes whose condition is true for the last
// decision; a condition that is false or unknown shows nothing.
func (e *Evaluator) notesThatHold() []Texts {
	var out []Texts
	for _, n := range e.pol.notes {
		if b, ok := e.run(n.when).(types.Bool); ok && bool(b) {
			out = append(out, n.text)
		}
	}
	return out
}

func (e *Evaluator) unverifiedNote(en, zh *strings.Builder) {
	p := e.pol
	if p.unverifiedAt(e.ref) {
		// The policy's own note says what is unverified, values included.
		fmt.Fprintf(en, " UNVERIFIED: %s", p.unverified.text.En)
		fmt.Fprintf(zh, "（未经核实：%s）", p.unverified.text.Zh)
		return
	}
	var names, namesZh []string
	for _, prm := range p.params {
		if v, ok := prm.at(e.ref); ok && !v.verified {
			l := e.label(prm.name, "parameter")
			names = append(names, l.En+" (from "+v.from.Format(time.DateOnly)+")")
			namesZh = append(namesZh, l.Zh+"（自"+v.from.Format(time.DateOnly)+"起）")
		}
	}
	if len(names) > 0 {
		fmt.Fprintf(en, " UNVERIFIED values: %s.", strings.Join(names, ", "))
		fmt.Fprintf(zh, "（以下取值未经核实：%s。）", strings.Join(namesZh, "、"))
	}
}

// partPhrases shows the amount's parts: " (stock part 800,000.00 yuan + …)".
func (e *Evaluator) partPhrases() (string, string) {
	if e.pol.amount == nil || len(e.pol.amount.parts) == 0 {
		return "", ""
	}
	var en, zh []string
	for _, i := range e.pol.amount.parts {
		d := e.pol.derived[i]
		v, ok := e.memo[i].val.(*decimalVal)
		if !ok {
			continue
		}
		l := e.label(d.name, "derived")
		unit := d.unit
		en = append(en, l.En+" "+display(&v.d, unit, "en"))
		zh = append(zh, l.Zh+display(&v.d, unit, "zh"))
	}
	if len(en) == 0 {
		return "", ""
	}
	return " (" + strings.Join(en, " + ") + ")", "（" + strings.Join(zh, " + ") + "）"
}

// lowerFirst lower-cases the first letter of an English sentence that
// follows a colon.
func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
