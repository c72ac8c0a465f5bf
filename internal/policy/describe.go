package policy

import "time"

// Read-only accessors for the pages that show a policy to people (the
// web console's policy page and the JSON API): its criteria, its dated
// parameters and when it is in force. They copy, so that a caller cannot
// change a compiled policy.

// CriterionInfo is a criterion as people read it.
type CriterionInfo struct {
	ID    string `json:"id"`
	Label Texts  `json:"label"`
	Unit  Unit   `json:"unit,omitempty"`
}

// ParameterInfo is a dated parameter with every value it has had.
type ParameterInfo struct {
	Name   string           `json:"name"`
	Label  Texts            `json:"label"`
	Unit   Unit             `json:"unit,omitempty"`
	Values []ParameterValue `json:"values"`
}

// ParameterValue is a parameter's value from a date on.
type ParameterValue struct {
	From     time.Time `json:"from"`
	Value    string    `json:"value"`
	Verified bool      `json:"verified"`
}

// Criteria lists the policy's criteria in the order they are evaluated.
func (p *Policy) Criteria() []CriterionInfo {
	out := make([]CriterionInfo, len(p.criteria))
	for i, c := range p.criteria {
		out[i] = CriterionInfo{ID: c.id, Label: c.label, Unit: c.unit}
	}
	return out
}

// Parameters lists the policy's parameters with their dated values.
func (p *Policy) Parameters() []ParameterInfo {
	out := make([]ParameterInfo, len(p.params))
	for i, prm := range p.params {
		info := ParameterInfo{Name: prm.name, Label: prm.label, Unit: prm.unit}
		for _, v := range prm.values {
			info.Values = append(info.Values, ParameterValue{From: v.from, Value: canonical(v.val), Verified: v.verified})
		}
		out[i] = info
	}
	return out
}

// InForceRange is when the policy applies: from and to (zero when
// open-ended), both inclusive, and whether they are read against the
// filing period (纳税申报期, the evaluation date's month) rather than the
// evaluation date; such a policy reads monthly facts for the tax month
// before the filing period.
func (p *Policy) InForceRange() (from, to time.Time, byFilingPeriod bool) {
	return p.inForce.from, p.inForce.to, p.inForce.byFilingPeriod
}

// AmountLabel names what the policy's amount is ("income tax saved"); the
// zero Texts when it computes none.
func (p *Policy) AmountLabel() Texts {
	if p.amount == nil {
		return Texts{}
	}
	return p.amount.label
}

// UnverifiedNote says what of the policy could not be checked against the
// official text, and from when; ok is false when everything was.
func (p *Policy) UnverifiedNote() (note Texts, from time.Time, ok bool) {
	if p.unverified == nil {
		return Texts{}, time.Time{}, false
	}
	return p.unverified.text, p.unverified.from, true
}
