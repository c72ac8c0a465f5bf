package web

import (
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
)

// Issue 11, usability 2: a deduction is not cash. The liaison's
// enterprise qualifies for the R&D super deduction of 100万 (the policy's
// own test case R1), which is worth 25万 of income tax at 25%: the
// portal's 可享政策红利合计 and the dashboard's 预计兑现金额 add the 25万,
// never the 100万, and say what the deduction is.
func TestDeductionsAddAtTheirTaxValue(t *testing.T) {
	f := newWebFixture(t, store.SQLite)
	for name, v := range map[string]string{"rd_staff_cost": "500000", "rd_direct_input": "200000", "rd_depreciation": "100000",
		"rd_intangible_amortization": "50000", "rd_design_fees": "50000", "rd_other_expense": "200000"} {
		mustAppendFact(t, f.db, f.entA, name, "2023", v, "import:seed.csv")
	}
	mustMatch(t, f.db, fixtureNow)

	portal := f.get(t, f.as[auth.RoleEnterprise], "zh-CN", "/portal").Body.String()
	head, _, _ := strings.Cut(portal, `class="tabs"`)
	if !strings.Contains(head, "可享政策红利合计") {
		t.Fatalf("no total on the portal:\n%s", head)
	}
	if strings.Contains(head, ">100万元<") || !strings.Contains(head, "25万元") {
		t.Errorf("the portal's total adds the deduction base, not its tax value:\n%s", head)
	}
	if !strings.Contains(portal, "税前扣除额（不是现金），按适用税率 25.00% 折合少缴税款 25万元") {
		t.Error("the deduction is not labelled with its tax value on the portal")
	}

	dash := f.get(t, f.as[auth.RoleOfficer], "zh-CN", "/dashboard").Body.String()
	i := strings.Index(dash, "预计兑现金额")
	if i < 0 {
		t.Fatal("no 预计兑现金额 on the dashboard")
	}
	stat := dash[i:min(len(dash), i+600)]
	if strings.Contains(stat, ">100万元<") || !strings.Contains(stat, "其中扣除类政策按适用税率折合 25万元（扣除额 100万元）") {
		t.Errorf("the dashboard's amount does not add the deduction at its tax value:\n%s", stat)
	}
}
