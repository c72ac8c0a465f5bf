package web

import "testing"

// TestWithoutStaffNote: the engine's "unverified" notes, nested brackets
// and all, are cut from what an enterprise reads; the rest stays.
func TestWithoutStaffNote(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"符合全部条件，可享 50万元。（未经核实：据报道自2026年4月1日起调整认定标准（未经核实））", "符合全部条件，可享 50万元。"},
		{"符合。（以下取值未经核实：退税比例（自2022年4月1日起）、期限（自2022年5月1日起）。）", "符合。"},
		{"Eligible: 500,000 yuan. UNVERIFIED: the standard reportedly changes on 1 Apr 2026", "Eligible: 500,000 yuan."},
		{"Eligible. UNVERIFIED values: rate (from 2022-04-01).", "Eligible."},
		{"符合全部条件。", "符合全部条件。"},
	} {
		if got := withoutStaffNote(tc.in); got != tc.want {
			t.Errorf("withoutStaffNote(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	r := resultView{Explanation: "符合。（未经核实：某条款）", Verified: false}.forEnterprise()
	if !r.Public || r.Explanation != "符合。" {
		t.Errorf("forEnterprise gives %+v", r)
	}
}
