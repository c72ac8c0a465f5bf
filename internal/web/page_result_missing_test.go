package web

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/match"
	"github.com/parkdesk/parkdesk/internal/policy"
	"github.com/parkdesk/parkdesk/internal/store"
)

var wantBox = regexp.MustCompile(`name="want" value="([a-z0-9_]+):([0-9Q-]*)"`)
var enterBox = regexp.MustCompile(`name="(f:([a-z0-9_]+):[0-9Q-]*)"`)

// TestMissingDataOffersAnAction: an undetermined result's page offers the
// officer two ways out — ask the enterprise on its one form (a data request
// the liaison then sees), or enter the value with its source — and both
// work.
func TestMissingDataOffersAnAction(t *testing.T) {
	f := newWebFixture(t, store.SQLite)
	mustMatch(t, f.db, fixtureNow)
	ctx := context.Background()
	officer, liaison := f.as[auth.RoleOfficer], f.as[auth.RoleEnterprise]
	er, err := f.srv.results.Enterprise(ctx, officer, f.entA, match.Explain{})
	if err != nil {
		t.Fatal(err)
	}
	var path, body string
	for _, r := range er.Results {
		if r.Status != policy.Undetermined {
			continue
		}
		p := "/enterprises/" + itoa64(f.entA) + "/results/" + r.Policy
		b := f.get(t, officer, "zh-CN", p).Body.String()
		if strings.Contains(b, `id="missing-ask"`) && strings.Contains(b, `id="missing-enter"`) {
			path, body = p, b
			break
		}
	}
	if path == "" {
		t.Fatal("no undetermined result offers to ask the enterprise and to enter the data")
	}
	want := wantBox.FindStringSubmatch(body)
	w := f.post(t, officer, path+"/ask", url.Values{"want": {want[1] + ":" + want[2]}})
	if w.Code != 303 {
		t.Fatalf("ask: status %d\n%s", w.Code, w.Body)
	}
	var kind string
	var onSite bool
	if err := f.db.QueryRow(ctx, `SELECT r.kind, r.on_site FROM touch_requests r JOIN touch_items i ON i.request_id = r.id
WHERE r.enterprise_id = ? AND i.field = ?`, f.entA, want[1]).Scan(&kind, &onSite); err != nil || kind != "data_report" || onSite {
		t.Fatalf("the request filed: kind %q, on site %v (%v), want a remote data report", kind, onSite, err)
	}
	form, err := f.srv.touchService().Form(ctx, liaison, f.entA)
	if err != nil || len(form.Fields) != 1 || form.Fields[0].Field != want[1] {
		t.Errorf("the liaison's one form: %+v (%v), want it to ask for %s", form.Fields, err, want[1])
	}

	enter := enterBox.FindStringSubmatch(body)
	w = f.post(t, officer, path+"/enter", url.Values{enter[1]: {"1"}, "source": {"企业2023年审计报告"}})
	if w.Code != 303 {
		t.Fatalf("enter: status %d\n%s", w.Code, w.Body)
	}
	var source string
	if err := f.db.QueryRow(ctx, "SELECT source FROM facts WHERE enterprise_id = ? AND field = ? ORDER BY id DESC LIMIT 1", f.entA, enter[2]).Scan(&source); err != nil || source != "manual:企业2023年审计报告" {
		t.Errorf("the entered value's source %q (%v)", source, err)
	}
	if w := f.post(t, officer, path+"/enter", url.Values{enter[1]: {"2"}}); w.Code != 422 {
		t.Errorf("a value without its source: status %d, want 422", w.Code)
	}
}
