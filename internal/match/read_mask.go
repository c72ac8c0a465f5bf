package match

import (
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/policy"
)

// A result is made of values read or computed from facts: a criterion's
// value and gap, a near miss, an amount and its tax value, the sentences
// that quote them. Each goes out under the rule that governs the facts
// themselves (auth.FieldVisible): a reader who may not see a field — a
// commissioner and the tax data — does not see it through a result
// either. The outcome (eligible, ineligible, undetermined), the
// thresholds (the policy's own public parameters) and the names of the
// missing fields stay; the values are withheld, not faked.

// mask withholds, from one reader's results, the values that come from
// fields the reader may not see.
type mask struct {
	hidden map[string]bool
	lib    *policy.Library
}

func newMask(p auth.Principal, dict *facts.Dictionary, lib *policy.Library) *mask {
	m := &mask{hidden: map[string]bool{}, lib: lib}
	for _, f := range dict.Fields() {
		if !auth.FieldVisible(p, auth.Field{Name: f.Name, Sensitivity: auth.Sensitivity(f.Sensitivity), Department: f.Department}) {
			m.hidden[f.Name] = true
		}
	}
	return m
}

// policyHides reports whether a policy reads a field the reader may not
// see; a policy the library does not know is assumed to.
func (m *mask) policyHides(policyID string) bool {
	if len(m.hidden) == 0 {
		return false
	}
	if m.lib == nil {
		return true
	}
	pol, ok := m.lib.Policy(policyID)
	if !ok {
		return true
	}
	for _, f := range pol.Fields() {
		if m.hidden[f] {
			return true
		}
	}
	return false
}

// readsVisible reports whether every value a criterion read is a
// parameter or a fact the reader may see: only then may its value and gap
// be shown. A stored criterion does not list what it read, and a derived
// value may come from anything: both are withheld.
func (m *mask) readsVisible(c *policy.CriterionResult) bool {
	if len(c.Read) == 0 {
		return c.Value == "" && c.Gap == ""
	}
	for _, r := range c.Read {
		switch {
		case r.Kind == "parameter" || r.Kind == "date":
		case r.Kind == "fact" && !m.hidden[r.Name]:
		default:
			return false
		}
	}
	return true
}

// result withholds what the reader may not see of res and reports whether
// anything was withheld.
func (m *mask) result(res *policy.Result) bool {
	if !m.policyHides(res.Policy) {
		return false
	}
	withheld := false
	take := func(s *string) {
		if *s != "" {
			*s, withheld = "", true
		}
	}
	if res.Amount != nil {
		res.Amount, withheld = nil, true
	}
	if res.TaxValue != nil {
		res.TaxValue, withheld = nil, true
	}
	res.TaxRate = ""
	take(&res.Explanation)
	take(&res.ExplanationZh)
	res.Values = m.reads(res.Values, &withheld)
	open := map[string]bool{}
	for i := range res.Criteria {
		c := &res.Criteria[i]
		if m.readsVisible(c) {
			open[c.ID] = true
			continue
		}
		take(&c.Value)
		take(&c.Gap)
		take(&c.Explanation)
		take(&c.ExplanationZh)
		take(&c.Error)
		c.Read = m.reads(c.Read, &withheld)
	}
	if nm := res.NearMiss; nm != nil && !open[nm.Criterion] {
		take(&nm.Value)
		take(&nm.Gap)
		take(&nm.Explanation)
		take(&nm.ExplanationZh)
		if nm.Money != nil {
			nm.Money, withheld = nil, true
		}
	}
	// What meeting a near miss is worth is the amount's formula on the
	// same values as the amount, withheld above.
	if nm := res.NearMiss; nm != nil && nm.Worth != nil {
		nm.Worth, withheld = nil, true
	}
	return withheld
}

// reads keeps the parameters and the facts the reader may see; a derived
// value or a hidden fact keeps its name, without its value.
func (m *mask) reads(list []policy.Read, withheld *bool) []policy.Read {
	for i := range list {
		r := &list[i]
		if r.Kind == "parameter" || r.Kind == "date" || r.Kind == "fact" && !m.hidden[r.Name] {
			continue
		}
		if r.Value != "" || r.Note != "" || r.NoteZh != "" {
			r.Value, r.Note, r.NoteZh, *withheld = "", "", "", true
		}
	}
	return list
}
