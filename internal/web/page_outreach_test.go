package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/outreach"
	"github.com/parkdesk/parkdesk/internal/store"
)

// mustEligible writes an eligible match result as matching stores it.
func mustEligible(t *testing.T, db *store.DB, enterpriseID int64, policyID, amount string) {
	t.Helper()
	ctx := context.Background()
	sum := sha256.Sum256([]byte(policyID))
	var versionID int64
	if err := db.QueryRow(ctx, `INSERT INTO match_policy_versions (policy, version, first_seen) VALUES (?, ?, ?)
ON CONFLICT (policy, version) DO UPDATE SET first_seen = match_policy_versions.first_seen RETURNING id`,
		policyID, hex.EncodeToString(sum[:]), store.FormatTime(fixtureNow)).Scan(&versionID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(ctx, `INSERT INTO match_results (enterprise_id, policy, on_date, status, amount, explanation, version_id, fingerprint, evaluated_at)
VALUES (?, ?, ?, 'eligible', ?, ?, ?, ?, ?)`, enterpriseID, policyID, fixtureNow.Format(time.DateOnly), amount,
		`{"explanation": "meets every criterion", "explanation_zh": "满足全部条件"}`, versionID, strings.Repeat("0", 32),
		store.FormatTime(fixtureNow)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(ctx, `INSERT INTO match_coverage (on_date, policy, first_id, last_id, version_id, evaluated_at)
VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (on_date, policy, first_id) DO NOTHING`, fixtureNow.Format(time.DateOnly), policyID,
		enterpriseID, enterpriseID, versionID, store.FormatTime(fixtureNow)); err != nil {
		t.Fatal(err)
	}
}

// outreachFixture is the web fixture with a draft package for the
// liaison's enterprise: an HNTE offer (apply) and a small low-profit one
// (automatic).
type outreachFixture struct {
	*webFixture
	svc     *outreach.Service
	pkg     int64
	hnte    int64 // the offers' ids
	jobs    int64
	officer auth.Principal
	liaison auth.Principal
}

func newOutreachFixture(t *testing.T) *outreachFixture {
	t.Helper()
	f := newWebFixture(t, store.SQLite)
	f.srv.deps.Logger = testLogger(t) // an internal error shows its cause
	of := &outreachFixture{webFixture: f, officer: f.as[auth.RoleOfficer], liaison: f.as[auth.RoleEnterprise]}
	of.svc = f.srv.outreachService()
	mustEligible(t, f.db, f.entA, "hnte", "120000.00")
	mustEligible(t, f.db, f.entA, "job-retention-refund", "380000.00") // confirmed: 免申即享
	ctx := context.Background()
	if err := of.svc.SetContact(ctx, of.liaison, outreach.Contact{EnterpriseID: f.entA, Name: "李女士", Email: "li@example.com", ByEmail: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := of.svc.Build(ctx, of.officer); err != nil {
		t.Fatal(err)
	}
	pkgs, _, err := of.svc.Packages(ctx, of.officer, outreach.PackageFilter{})
	if err != nil || len(pkgs) != 1 || len(pkgs[0].Items) != 2 {
		t.Fatalf("the built packages %+v (%v), want one of two offers", pkgs, err)
	}
	of.pkg, of.hnte, of.jobs = pkgs[0].ID, pkgs[0].Items[0].ID, pkgs[0].Items[1].ID
	return of
}

// push runs the outbox as `parkdesk push` does, with the portal only.
func (of *outreachFixture) push(t *testing.T) outreach.PushReport {
	t.Helper()
	r, err := pushOutbox(t, of.db)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func id(n int64) string { return strconv.FormatInt(n, 10) }

func TestOutreachJourneyThroughTheHandlers(t *testing.T) {
	of := newOutreachFixture(t)
	pkg := "/outreach/packages/" + id(of.pkg)

	// The liaison sees nothing before the package is approved and sent.
	if w := of.get(t, of.liaison, "zh-CN", "/portal/inbox/"+id(of.pkg)); w.Code != 404 {
		t.Errorf("the liaison opened a draft: %d", w.Code)
	}
	if w := of.post(t, of.liaison, pkg+"/approve", nil); w.Code != 403 {
		t.Errorf("the liaison approved: %d", w.Code)
	}
	w := of.post(t, of.officer, pkg+"/approve", url.Values{"next": {"/outreach?status=draft"}})
	if w.Code != 303 || w.Header().Get("Location") != "/outreach?status=draft" {
		t.Fatalf("approve: %d to %q", w.Code, w.Header().Get("Location"))
	}
	if w := of.post(t, of.officer, pkg+"/approve", nil); w.Code != 409 || !strings.Contains(w.Body.String(), "approved") {
		t.Errorf("a second approval: %d", w.Code)
	}
	if r := of.push(t); r.Sent != 1 || r.Unconfigured[outreach.Email] != 1 {
		t.Errorf("push %+v, want the portal sent and the e-mail waiting", r)
	}

	inbox := of.get(t, of.liaison, "zh-CN", "/portal/inbox")
	if inbox.Code != 200 || !strings.Contains(inbox.Body.String(), `href="/portal/inbox/`+id(of.pkg)+`"`) {
		t.Fatalf("the inbox (%d) does not list the package", inbox.Code)
	}
	open := of.get(t, of.liaison, "zh-CN", "/portal/inbox/"+id(of.pkg))
	for _, want := range []string{"高新技术企业认定", `id="confirm-` + id(of.jobs) + `"`, `id="applied-` + id(of.hnte) + `"`, "满足全部条件"} {
		if !strings.Contains(open.Body.String(), want) {
			t.Errorf("the open package lacks %q", want)
		}
	}
	answer := "/portal/offers/" + id(of.jobs) + "/answer"
	if w := of.post(t, of.liaison, answer, url.Values{"answer": {"confirmed"}, "package": {id(of.pkg)}}); w.Code != 303 {
		t.Errorf("confirm: %d\n%s", w.Code, w.Body.String())
	}
	decline := of.post(t, of.liaison, "/portal/offers/"+id(of.hnte)+"/answer", url.Values{"answer": {"declined"}, "package": {id(of.pkg)}})
	if decline.Code != 422 || !strings.Contains(decline.Body.String(), "reason") {
		t.Errorf("a decline without a reason: %d", decline.Code)
	}
	grant := of.post(t, of.officer, "/outreach/offers/"+id(of.hnte)+"/grant",
		url.Values{"amount": {"118000"}, "granted_on": {"2024-05-20"}, "package": {id(of.pkg)}})
	if grant.Code != 303 || grant.Header().Get("Location") != pkg {
		t.Errorf("grant: %d to %q", grant.Code, grant.Header().Get("Location"))
	}
	page := of.get(t, of.officer, "en", pkg).Body.String()
	for _, want := range []string{"read", "confirmed", "granted", "Received ¥118,000.00", "li@example.com"} {
		if !strings.Contains(page, want) && !strings.Contains(page, strings.Replace(want, "¥", "CNY ", 1)) {
			t.Errorf("the officer's package page lacks %q:\n%s", want, page)
		}
	}
	report := of.get(t, of.leader(), "en", "/outreach/report").Body.String()
	if !strings.Contains(report, "data-chart=") || !strings.Contains(report, "2024-05") {
		t.Errorf("the report has no chart of the month")
	}
	bad := of.postFiles(t, of.officer, "/outreach/grants", map[string]string{"grants.csv": "uscc,policy,amount,granted_on\nnot-a-code,hnte,1,2024-05-01\n"})
	if bad.Code != 422 {
		t.Errorf("a bad grant file: %d", bad.Code)
	}
}

func (of *outreachFixture) leader() auth.Principal { return of.as[auth.RoleLeader] }

// TestOutreachPagesRender walks the outreach pages in both languages as
// the roles allowed: 200, the language, no message missing.
func TestOutreachPagesRender(t *testing.T) {
	of := newOutreachFixture(t)
	of.post(t, of.officer, "/outreach/packages/"+id(of.pkg)+"/approve", nil)
	of.push(t)
	officer, leader, liaison := []auth.Role{auth.RoleOfficer}, []auth.Role{auth.RoleOfficer, auth.RoleLeader}, []auth.Role{auth.RoleEnterprise}
	pages := []struct {
		path  string
		roles []auth.Role
		want  string
	}{
		{"/outreach?status=all", officer, "杭州示例智能科技有限公司"},
		{"/outreach?status=draft", officer, ""},
		{"/outreach/packages/" + id(of.pkg), officer, "li@example.com"},
		{"/outreach/dead", officer, ""},
		{"/outreach/settings", officer, `name="auto_send"`},
		{"/outreach/report", leader, "data-chart="},
		{"/dashboard", leader, `id="realized-h"`},
		{"/portal/inbox", liaison, "/portal/inbox/" + id(of.pkg)},
		{"/portal/inbox/" + id(of.pkg), liaison, "confirm-" + id(of.jobs)},
		{"/portal/contact", liaison, "li@example.com"},
	}
	for _, pg := range pages {
		for _, role := range pg.roles {
			for _, lang := range []string{"zh-CN", "en"} {
				t.Run(pg.path+"/"+string(role)+"/"+lang, func(t *testing.T) {
					w := of.get(t, of.as[role], lang, pg.path)
					body := w.Body.String()
					if w.Code != 200 {
						t.Fatalf("status %d:\n%.600s", w.Code, body)
					}
					if !strings.Contains(body, `lang="`+lang+`"`) {
						t.Errorf("the page is not in %s", lang)
					}
					if i := strings.Index(body, "⟦"); i >= 0 {
						t.Errorf("a message is missing from the catalog: %s", body[i:min(len(body), i+60)])
					}
					if pg.want != "" && !strings.Contains(body, pg.want) {
						t.Errorf("the page lacks %q", pg.want)
					}
				})
			}
		}
	}
	// The dashboard draws the realized benefits by month once something
	// was pushed.
	if body := of.get(t, of.leader(), "zh-CN", "/dashboard").Body.String(); !strings.Contains(body, `aria-label="按月"`) {
		t.Error("the dashboard has no chart of the realized benefits")
	}
	// The navigation leads officers, leaders and liaisons to their pages.
	for role, href := range map[auth.Role]string{auth.RoleOfficer: `href="/outreach"`, auth.RoleLeader: `href="/outreach/report"`, auth.RoleEnterprise: `href="/portal/inbox"`} {
		if body := of.get(t, of.as[role], "en", "/dictionary").Body.String(); !strings.Contains(body, href) {
			t.Errorf("the %s's navigation lacks %s", role, href)
		}
	}
}
