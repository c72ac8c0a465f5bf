package web

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
)

var askField = regexp.MustCompile(`name="(f:([a-z0-9_]+):([0-9Q-]*))"`)

// TestPortalReportOnce: the liaison sees the data its undetermined results
// lack, reports a value once, and the value is recorded as self-reported
// and audited; tax data it may not set is refused and nothing is written.
func TestPortalReportOnce(t *testing.T) {
	f := newWebFixture(t, store.SQLite)
	mustMatch(t, f.db, fixtureNow)
	liaison := f.as[auth.RoleEnterprise]
	ctx := context.Background()

	w := f.get(t, liaison, "en", "/portal/missing")
	if w.Code != http.StatusOK {
		t.Fatalf("status %d", w.Code)
	}
	asks := askField.FindAllStringSubmatch(w.Body.String(), -1)
	if len(asks) == 0 {
		t.Fatalf("the portal asks for no data:\n%s", w.Body)
	}
	var name, field string
	for _, a := range asks {
		if a[2] == "employees" || a[2] == "tech_staff" || a[2] == "rd_expense" {
			name, field = a[1], a[2]
			break
		}
	}
	if name == "" {
		name, field = asks[0][1], asks[0][2]
	}
	w = f.postForm(t, liaison, "/portal/missing", name+"=12")
	if w.Code != http.StatusSeeOther || !strings.Contains(w.Header().Get("Location"), "saved=1") {
		t.Fatalf("report %s: status %d, location %q\n%s", name, w.Code, w.Header().Get("Location"), w.Body)
	}
	var source, actor string
	if err := f.db.QueryRow(ctx, "SELECT source, actor FROM facts WHERE enterprise_id = ? AND field = ? ORDER BY id DESC LIMIT 1",
		f.entA, field).Scan(&source, &actor); err != nil {
		t.Fatalf("the reported %s is not recorded: %v", field, err)
	}
	if source != "self-report" || actor != "liaison" {
		t.Errorf("provenance %s by %s, want self-report by liaison", source, actor)
	}
	var audited int
	if err := f.db.QueryRow(ctx, "SELECT COUNT(*) FROM audit_log WHERE action = 'facts.report' AND object_id = ?", itoa64(f.entA)).Scan(&audited); err != nil || audited != 1 {
		t.Errorf("audit entries of the report: %d (%v), want 1", audited, err)
	}

	var before int
	f.db.QueryRow(ctx, "SELECT COUNT(*) FROM facts").Scan(&before)
	w = f.postForm(t, liaison, "/portal/missing", "f:credit_rating:2023=A&"+name+"=13")
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "credit_rating") {
		t.Fatalf("setting its own tax credit rating: status %d\n%s", w.Code, w.Body)
	}
	var after int
	f.db.QueryRow(ctx, "SELECT COUNT(*) FROM facts").Scan(&after)
	if after != before {
		t.Errorf("a refused report wrote %d facts", after-before)
	}
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
