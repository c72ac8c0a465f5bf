package outreach

import (
	"encoding/json"
	"strings"

	"github.com/cockroachdb/apd/v3"

	"github.com/parkdesk/parkdesk/internal/match/vector"
	"github.com/parkdesk/parkdesk/internal/policy"
)

// storedExplanation is what matching keeps of an eligible result: the
// criteria with the values read and the thresholds (match.Explanation), or
// the policy engine's whole result with its sentences (policy.Result).
type storedExplanation struct {
	En       string            `json:"explanation"`
	Zh       string            `json:"explanation_zh"`
	Criteria []storedCriterion `json:"criteria"`
}

type storedCriterion struct {
	ID        string                 `json:"id"`
	Status    policy.CriterionStatus `json:"status"`
	Op        string                 `json:"op"`
	Value     string                 `json:"value"`
	Threshold string                 `json:"threshold"`
}

// whyOf says why an enterprise qualifies, in both languages: the engine's
// sentences when the result has them, else each criterion met with the
// value read against its threshold, in the policy's own words.
func whyOf(explanation string, p *policy.Policy) policy.Texts {
	return whyOfStored(explanation, "", p)
}

// whyOfStored is whyOf for an explanation in any stored form: meta is its
// version's explain_meta, which the compact form needs.
func whyOfStored(explanation, meta string, p *policy.Policy) policy.Texts {
	var e storedExplanation
	if explanation == "" {
		return policy.Texts{}
	}
	if ex, err := vector.DecodeStored(explanation, meta, ""); err != nil {
		return policy.Texts{}
	} else if explanation[0] != '{' {
		for _, c := range ex.Criteria {
			e.Criteria = append(e.Criteria, storedCriterion{ID: c.ID, Status: c.Status, Op: c.Op, Value: c.Value, Threshold: c.Threshold})
		}
	} else if json.Unmarshal([]byte(explanation), &e) != nil {
		return policy.Texts{}
	}
	if e.Zh != "" || e.En != "" {
		return policy.Texts{Zh: e.Zh, En: e.En}
	}
	info := map[string]policy.CriterionInfo{}
	for _, c := range p.Criteria() {
		info[c.ID] = c
	}
	var zh, en []string
	for _, c := range e.Criteria {
		if c.Status != policy.Pass {
			continue
		}
		ci, ok := info[c.ID]
		if !ok {
			continue
		}
		if c.Value == "" || c.Threshold == "" || c.Op == "" {
			zh, en = append(zh, ci.Label.Zh), append(en, ci.Label.En)
			continue
		}
		v, th := shown(c.Value, ci.Unit), shown(c.Threshold, ci.Unit)
		zh = append(zh, ci.Label.Zh+" "+v+"（要求"+c.Op+" "+th+"）")
		en = append(en, ci.Label.En+" "+v+" (needs "+c.Op+" "+th+")")
	}
	if len(zh) == 0 {
		return policy.Texts{}
	}
	return policy.Texts{Zh: "符合全部条件：" + strings.Join(zh, "；") + "。", En: "Meets every condition: " + strings.Join(en, "; ") + "."}
}

// shown writes a criterion's number for people: a ratio as a percentage,
// money grouped to the fen, anything else as it is.
func shown(value string, unit policy.Unit) string {
	var d apd.Decimal
	if _, _, err := d.SetString(value); err != nil {
		return value
	}
	switch unit {
	case policy.UnitPercent:
		var pct apd.Decimal
		ctx := apd.BaseContext.WithPrecision(34)
		ctx.Mul(&pct, &d, apd.New(100, 0))
		ctx.Quantize(&pct, &pct, -2)
		return strings.TrimSuffix(strings.TrimRight(pct.Text('f'), "0"), ".") + "%"
	case policy.UnitYuan:
		if f, ok := ParseFen(roundFen(&d)); ok {
			return f.Grouped()
		}
	}
	return value
}

// roundFen writes a non-negative decimal to the fen, half up.
func roundFen(d *apd.Decimal) string {
	var r apd.Decimal
	ctx := apd.BaseContext.WithPrecision(40)
	ctx.Rounding = apd.RoundHalfUp
	ctx.Quantize(&r, d, -2)
	return r.Text('f')
}
