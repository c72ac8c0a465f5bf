package web

import "strings"

// Staff notes and what enterprises read (issue 11, usability point 5).
//
// The rule engine ends the explanation of a result that rests on clauses
// or values not yet checked against the issuing document with a note for
// the staff who maintain the policy: "（未经核实：…）" or " UNVERIFIED: …".
// An enterprise is not the one to verify a policy, and the note reads as
// doubt about what it is told; it reads instead one plain caveat (the
// amount is confirmed by the department that grants it), which the
// template shows for a result marked Public.

// forEnterprise returns v as an enterprise reads it.
func (v resultView) forEnterprise() resultView {
	v.Public = true
	v.Explanation = withoutStaffNote(v.Explanation)
	return v
}

// forEnterprise returns the results as an enterprise reads them.
func (v resultsView) forEnterprise() resultsView {
	for _, list := range []*[]resultView{&v.Eligible, &v.Near, &v.Undetermined, &v.Ineligible} {
		out := make([]resultView, len(*list))
		for i, r := range *list {
			out[i] = r.forEnterprise()
		}
		*list = out
	}
	return v
}

// withoutStaffNote cuts the engine's closing "unverified" note: the
// Chinese one is a bracket (with brackets inside it), the English one runs
// to the end.
func withoutStaffNote(text string) string {
	for _, open := range []string{"（未经核实：", "（以下取值未经核实："} {
		if i := strings.LastIndex(text, open); i >= 0 {
			depth := 0
			for j, r := range text[i:] {
				switch r {
				case '（':
					depth++
				case '）':
					depth--
				}
				if depth == 0 {
					return strings.TrimSpace(text[:i] + text[i+j+len("）"):])
				}
			}
			return strings.TrimSpace(text[:i])
		}
	}
	for _, open := range []string{" UNVERIFIED values: ", " UNVERIFIED: "} {
		if i := strings.LastIndex(text, open); i >= 0 {
			return strings.TrimSpace(text[:i])
		}
	}
	return text
}
