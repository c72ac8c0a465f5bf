package web

import (
	"strings"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/policy"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/web/i18n"
)

// TestPortalSaysHowToClaim: a benefit the enterprise claims itself in its
// tax filing (六税两费, self_declare) is never announced as granted without
// application; the portal says it is declared in the filing, where and by
// when, and so does the console's result page.
func TestPortalSaysHowToClaim(t *testing.T) {
	f := newWebFixture(t, store.SQLite)
	mustAppendFact(t, f.db, f.entA, "vat_taxpayer_type", "", "small_scale", "import:seed.csv")
	mustAppendFact(t, f.db, f.entA, "local_taxes_due", "2023", "120000", "import:seed.csv")
	mustMatch(t, f.db, fixtureNow)
	l := i18n.For(i18n.Chinese)
	pol, ok := f.srv.library().Policy("six-taxes-two-fees")
	if !ok {
		t.Fatal("six-taxes-two-fees is not shipped")
	}
	for _, c := range []struct {
		who  auth.Role
		path string
	}{
		{auth.RoleEnterprise, "/portal"},
		{auth.RoleOfficer, "/enterprises/" + itoa64(f.entA) + "/results/six-taxes-two-fees"},
	} {
		body := f.get(t, f.as[c.who], "zh-CN", c.path).Body.String()
		if !strings.Contains(body, "“六税两费”减半征收") {
			t.Fatalf("%s: the six taxes and two fees are not eligible:\n%s", c.path, body)
		}
		for _, want := range []string{l.T("claim.what.self_declare"), pol.Claim().Where.Zh, pol.Claim().By.Zh} {
			if !strings.Contains(body, want) {
				t.Errorf("%s does not say %q", c.path, want)
			}
		}
		if strings.Contains(body, "直接兑现") {
			t.Errorf("%s says a self-declared benefit is granted directly", c.path)
		}
	}
}

// TestClaimOfFilingPeriod: a VAT refund dated by filing period says the
// filing period the result is for, and the tax month it read.
func TestClaimOfFilingPeriod(t *testing.T) {
	l := i18n.For(i18n.Chinese)
	pol, ok := (&Server{}).library().Policy("vat-refund-2022")
	if !ok {
		t.Fatal("vat-refund-2022 is not shipped")
	}
	c := claimOf(l, pol, time.Date(2022, 8, 15, 0, 0, 0, 0, time.UTC), &policy.Result{})
	if c.Mode != "apply" || c.FilingPeriod != l.Period("2022-08") || c.TaxMonth != l.Period("2022-07") || c.Where != pol.Claim().Where.Zh {
		t.Errorf("claim of the VAT refund on 2022-08-15: %+v", c)
	}
}
