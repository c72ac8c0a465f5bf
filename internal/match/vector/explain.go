package vector

import (
	"encoding/json"
	"strconv"

	"github.com/cockroachdb/apd/v3"

	"github.com/parkdesk/parkdesk/internal/policy"
)

// Explanation is the structured explanation of a result as matching stores
// it: each criterion with the value read, the threshold and the outcome,
// the near miss and the missing fields. The sentences of the policy engine
// are not stored; they are rebuilt from the policy version on display.
//
// The policy and the date are the stored result's own columns, and are not
// repeated in it; Version names the policy file that produced it.
type Explanation struct {
	Version  string             `json:"version"`
	Status   policy.Status      `json:"status"`
	Amount   *string            `json:"amount"`
	Missing  []string           `json:"missing"`
	NearMiss *NearMiss          `json:"near_miss,omitempty"`
	Criteria []CriterionOutcome `json:"criteria"`
	Verified bool               `json:"verified"`
	Mode     policy.Mode        `json:"mode"`
}

// NearMiss is the criterion an ineligible result nearly meets, with its
// gap in the criterion's own terms (a ratio's gap is a ratio).
type NearMiss struct {
	Criterion string `json:"criterion"`
	Value     string `json:"value"`
	Threshold string `json:"threshold"`
	Gap       string `json:"gap"`
}

// Explainer holds what writing explanations needs: the exact path's
// registers. It is not safe for concurrent use; take one per goroutine.
type Explainer struct{ x *exact }

// NewExplainer returns an explainer for the program's outcomes.
func (p *Program) NewExplainer() *Explainer { return &Explainer{x: p.newExact()} }

// Explain returns the explanation of a row's result. Its numbers are
// computed exactly, by the exact path, whatever path settled the result.
func (o *Outcomes) Explain(c *Chunk, row int, ex *Explainer) *Explanation {
	x := ex.x
	plan := o.Plan
	s := o.Summary(row)
	e := &Explanation{Version: plan.Version, Status: s.Status, Missing: s.Missing, Verified: plan.Verified, Mode: plan.Policy.Mode()}
	if s.Amount != "" {
		a := s.Amount
		e.Amount = &a
	}
	var crit []CriterionOutcome
	if r, ok := o.Special[row]; ok {
		crit = r.Criteria
	} else if plan.Fallback == "" && !getBit(c.inexact, row) {
		if r := x.row(plan, c, row); r != nil {
			crit = r.Criteria
		}
	}
	e.Criteria = crit
	if e.Criteria == nil {
		e.Criteria = []CriterionOutcome{}
	}
	if s.NearMiss != "" {
		e.NearMiss = nearMissOf(crit, s.NearMiss)
	}
	return e
}

// nearMissOf is the near miss of a result on the criterion id, from its
// outcome among crit: its value, threshold and gap (nil when crit has no
// such criterion). A stored explanation in the compact form is read back
// through it, as it was written.
func nearMissOf(crit []CriterionOutcome, id string) *NearMiss {
	var nm *NearMiss
	for _, co := range crit {
		if co.ID != id {
			continue
		}
		nm = &NearMiss{Criterion: co.ID, Value: co.Value, Threshold: co.Threshold}
		var v, t, g apd.Decimal
		if _, _, err := v.SetString(co.Value); err == nil {
			if _, _, err := t.SetString(co.Threshold); err == nil {
				if co.Op == ">=" || co.Op == ">" {
					arith.Sub(&g, &t, &v)
				} else {
					arith.Sub(&g, &v, &t)
				}
				nm.Gap = g.Text('f')
			}
		}
	}
	return nm
}

// AppendJSON appends the explanation as JSON, without the reflection of
// encoding/json: a batch writes millions of them.
func (e *Explanation) AppendJSON(b []byte) []byte {
	b = append(b, `{"version":`...)
	b = appendJSONString(b, e.Version)
	b = append(b, `,"status":`...)
	b = appendJSONString(b, string(e.Status))
	b = append(b, `,"amount":`...)
	if e.Amount != nil {
		b = appendJSONString(b, *e.Amount)
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `,"missing":`...)
	b = AppendJSONStrings(b, e.Missing)
	if e.NearMiss != nil {
		b = append(b, `,"near_miss":{"criterion":`...)
		b = appendJSONString(b, e.NearMiss.Criterion)
		b = append(b, `,"value":`...)
		b = appendJSONString(b, e.NearMiss.Value)
		b = append(b, `,"threshold":`...)
		b = appendJSONString(b, e.NearMiss.Threshold)
		b = append(b, `,"gap":`...)
		b = appendJSONString(b, e.NearMiss.Gap)
		b = append(b, '}')
	}
	b = append(b, `,"criteria":[`...)
	for i, c := range e.Criteria {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = appendJSONString(b, c.ID)
		b = append(b, `,"status":`...)
		b = appendJSONString(b, string(c.Status))
		if c.Op != "" {
			b = append(b, `,"op":`...)
			b = appendJSONString(b, c.Op)
		}
		if c.Value != "" {
			b = append(b, `,"value":`...)
			b = appendJSONString(b, c.Value)
			b = append(b, `,"threshold":`...)
			b = appendJSONString(b, c.Threshold)
		}
		b = append(b, '}')
	}
	b = append(b, `],"verified":`...)
	b = strconv.AppendBool(b, e.Verified)
	b = append(b, `,"mode":`...)
	b = appendJSONString(b, string(e.Mode))
	return append(b, '}')
}

// AppendJSONStrings appends a list of strings as a JSON array, as the
// explanations write their missing fields.
func AppendJSONStrings(b []byte, ss []string) []byte {
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, s)
	}
	return append(b, ']')
}

// appendJSONString quotes s; ids, field names and numbers need no escapes,
// anything else goes through encoding/json.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x80 {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
