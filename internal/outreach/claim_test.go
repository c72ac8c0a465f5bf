package outreach

import (
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

// TestMessagesSayHowToClaim: the offers keep the policy's claim mode, and
// the message says it: a relief claimed in the enterprise's own tax filing
// is never "granted without application", and a VAT refund dated by
// filing period says in which filing period it is applied for. An offer of
// nothing (a zero amount) is not made.
func TestMessagesSayHowToClaim(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s, _ := newService(t, db)
		e, _ := mustEnterprise(t, db, "示例科技", "a")
		mustResult(t, db, result{enterprise: e, policy: "small-low-profit-2023", amount: "380000.00"})
		mustResult(t, db, result{enterprise: e, policy: "vat-refund-2022", on: "2022-08-15", amount: "1760000.00"})
		mustResult(t, db, result{enterprise: e, policy: "six-taxes-two-fees", amount: "0.00"})
		mustBuild(t, s)
		pkgs := packagesOf(t, s, e)
		if len(pkgs) != 1 || len(pkgs[0].Items) != 2 {
			t.Fatalf("packages %+v, want one with two offers (none of 0 yuan)", offers(pkgs))
		}
		byPolicy := map[string]Item{}
		for _, it := range pkgs[0].Items {
			byPolicy[it.Policy] = it
		}
		if it := byPolicy["small-low-profit-2023"]; it.ClaimMode != "self_declare" {
			t.Errorf("the small low-profit offer's claim mode %q, want self_declare", it.ClaimMode)
		}
		vat := byPolicy["vat-refund-2022"]
		if vat.ClaimMode != "apply" || !strings.HasPrefix(vat.By.Zh, "2022年8月纳税申报期内（税款所属期2022年7月）") {
			t.Errorf("the VAT refund offer: claim mode %q, by %q", vat.ClaimMode, vat.By.Zh)
		}
		m, err := render(pkgs[0], "k", "")
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"纳税申报时自行享受", "由贵企业在纳税申报时自行申报享受", "claimed in your tax filing",
			"办理时间：2022年8月纳税申报期内", "When: within the 2022-08 filing period"} {
			if !strings.Contains(m.Text, want) {
				t.Errorf("the text lacks %q:\n%s", want, m.Text)
			}
		}
		for _, part := range []string{m.Text, m.HTML} {
			if strings.Contains(part, "免申即享") || strings.Contains(part, "without application") {
				t.Errorf("a message of benefits the enterprise claims itself promises them without application:\n%s", part)
			}
		}
		if !strings.Contains(m.HTML, "纳税申报时自行享受") {
			t.Errorf("the HTML part does not name the claim mode:\n%s", m.HTML)
		}
	})
}
