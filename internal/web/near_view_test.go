package web

import (
	"bytes"
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/web/i18n"
)

// mustNearMissHNTE gives the enterprise the facts of hnte.yaml's "R&D
// ratio near miss" case: R&D 4.60% of revenue against 5.00%, 0.40 points
// or about 120,000 yuan of R&D short, every other criterion met.
func mustNearMissHNTE(t *testing.T, db *store.DB, id int64) {
	t.Helper()
	for _, f := range [][3]string{
		{"ip_class1_count", "", "2"}, {"ip_class2_count", "", "3"}, {"innovation_score", "", "78"},
		{"revenue", "2021", "8000000"}, {"revenue", "2022", "10000000"}, {"revenue", "2023", "12000000"},
		{"rd_expense", "2021", "368000"}, {"rd_expense", "2022", "460000"}, {"rd_expense", "2023", "552000"},
		{"rd_expense_domestic", "2021", "368000"}, {"rd_expense_domestic", "2022", "460000"}, {"rd_expense_domestic", "2023", "552000"},
		{"employees", "2023", "80"}, {"tech_staff", "2023", "24"}, {"hightech_revenue", "2023", "9000000"},
		{"taxable_income", "2023", "5000000"},
	} {
		mustAppendFact(t, db, id, f[0], f[1], f[2], "import:seed.csv")
	}
}

// TestNearMissSaidOnce: a near miss says once what to change, by how much
// and what it is worth — on the portal's "almost" tab and on the result
// page — and never repeats the engine's sentence.
func TestNearMissSaidOnce(t *testing.T) {
	f := newWebFixture(t, store.SQLite)
	mustNearMissHNTE(t, f.db, f.entA)
	mustMatch(t, f.db, fixtureNow)
	for _, c := range []struct {
		who  auth.Role
		path string
	}{
		{auth.RoleEnterprise, "/portal/almost"},
		{auth.RoleOfficer, "/enterprises/" + itoa64(f.entA) + "/results/hnte"},
	} {
		body := f.get(t, f.as[c.who], "zh-CN", c.path).Body.String()
		main := body[strings.Index(body, "<main"):]
		for _, want := range []string{"差一点符合：", "现为4.60%，要求不低于5.00%", "还差0.40", "（约12万元）", "达到后约可享受50万元"} {
			if n := strings.Count(main, want); n != 1 {
				t.Errorf("%s says %q %d times, want once:\n%s", c.path, want, n, main)
			}
		}
		if strings.Contains(main, "差一点符合——") || strings.Contains(main, "差距较小，接近符合条件") {
			t.Errorf("%s repeats the engine's near-miss sentence", c.path)
		}
	}
}

// TestNearGuideWithoutGap: a near miss whose gap cannot be given (a score
// against a band) says what to change and what it is worth, with no empty
// gap and no empty box.
func TestNearGuideWithoutGap(t *testing.T) {
	l := i18n.For(i18n.Chinese)
	var b bytes.Buffer
	err := siteViews.pages["result"].ExecuteTemplate(&b, "near-guide", newNearGuide(l, &nearMissView{Criterion: "创新能力评价", Value: "70 分", Threshold: "71 分", Op: ">=", Worth: "50万元"}))
	if err != nil {
		t.Fatal(err)
	}
	got := b.String()
	if strings.Contains(got, "还差") || strings.Contains(got, "（约") {
		t.Errorf("a near miss without a gap shows one: %s", got)
	}
	if !strings.Contains(got, "创新能力评价现为70 分，要求不低于71 分；达到后约可享受50万元。") {
		t.Errorf("the guide: %s", got)
	}
}
