package web

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
)

// postJSON sends a JSON body as p through the app's routes, around the
// session and CSRF middleware.
func (f *webFixture) postJSON(t *testing.T, p auth.Principal, path, body string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r = r.WithContext(auth.WithPrincipal(r.Context(), p))
	w := httptest.NewRecorder()
	withLang(f.srv.mux).ServeHTTP(w, r)
	return w
}

// resultOf is the stored result of a policy: a plainly ineligible result
// has no row, and is "ineligible" on no date here.
func resultOf(t *testing.T, db *store.DB, enterpriseID int64, policyID string) (on, status string) {
	t.Helper()
	err := db.QueryRow(context.Background(), `SELECT on_date, status FROM match_results WHERE enterprise_id = ? AND policy = ?
ORDER BY on_date DESC LIMIT 1`, enterpriseID, policyID).Scan(&on, &status)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, sql.ErrNoRows) {
		return "", "ineligible"
	}
	if err != nil {
		t.Fatalf("result of %s: %v", policyID, err)
	}
	return on, status
}

// Facts reported through the API go through facts.Service.Report, whose
// change matching follows: the results move on the date of the park's
// current results (match.ReevaluationDate), whatever today is; a refused
// report records and moves nothing.
func TestReportedFactsMoveTheResults(t *testing.T) {
	f := newWebFixture(t, store.SQLite)
	on := time.Date(2022, 8, 15, 0, 0, 0, 0, time.UTC)
	for name, pv := range map[string][2]string{
		"vat_taxpayer_type": {"", "general"}, "enterprise_size": {"", "micro"}, "credit_rating": {"2021", "A"},
		"fraud_refund_or_false_invoice_36m": {"", "false"}, "tax_evasion_penalties_36m": {"", "0"},
		"immediate_refund_since_2019_04": {"", "false"}, "stock_refund_received": {"", "false"},
		"vat_credit_2019_03": {"", "1000000"}, "input_vat_qualifying": {"2022-07", "8000000"}, "input_vat_total": {"2022-07", "10000000"},
		"vat_credit_end": {"2022-07", "0"},
	} {
		mustAppendFact(t, f.db, f.entA, name, pv[0], pv[1], "import:seed.csv")
	}
	mustMatch(t, f.db, on)
	if _, status := resultOf(t, f.db, f.entA, "vat-refund-2022"); status != "ineligible" {
		t.Fatalf("before: %s, want ineligible", status)
	}
	// Today is two years later: the pages read the park's current date.
	f.nowTime = time.Date(2024, 9, 1, 9, 0, 0, 0, time.UTC)
	path := "/api/v1/enterprises/" + strconv.FormatInt(f.entA, 10) + "/facts"
	body := `{"facts": {"vat_credit_end": {"2022-07": 2200000}}}`

	// A commissioner may not change tax data: nothing moves.
	if w := f.postJSON(t, f.as[auth.RoleCommissioner], path, body); w.Code != http.StatusForbidden {
		t.Fatalf("commissioner: status %d: %s", w.Code, w.Body)
	}
	if _, status := resultOf(t, f.db, f.entA, "vat-refund-2022"); status != "ineligible" {
		t.Fatal("a refused report moved the result")
	}
	w := f.postJSON(t, f.as[auth.RoleOfficer], path, body)
	if w.Code != http.StatusOK {
		t.Fatalf("officer: status %d: %s", w.Code, w.Body)
	}
	if day, status := resultOf(t, f.db, f.entA, "vat-refund-2022"); day != "2022-08-15" || status != "eligible" {
		t.Errorf("after: %s %s, want eligible on the park's date 2022-08-15", day, status)
	}
	var other int
	if err := f.db.QueryRow(context.Background(), "SELECT COUNT(*) FROM match_results WHERE on_date <> '2022-08-15'").Scan(&other); err != nil {
		t.Fatal(err)
	}
	if other != 0 {
		t.Errorf("%d results stored on another date than the park's", other)
	}
}

// Before matching ever ran there are no results to bring up to date: a
// report records the facts and leaves matching to `parkdesk match` (the
// console once evaluated the one enterprise on today's date, leaving the
// park's results dated by whoever reported first).
func TestReportBeforeAnyMatchingStoresNoResults(t *testing.T) {
	f := newWebFixture(t, store.SQLite)
	path := "/api/v1/enterprises/" + strconv.FormatInt(f.entA, 10) + "/facts"
	if w := f.postJSON(t, f.as[auth.RoleOfficer], path, `{"facts": {"employees": {"2023": 81}}}`); w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	var n int
	if err := f.db.QueryRow(context.Background(), "SELECT COUNT(*) FROM match_results").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d results stored before any matching", n)
	}
}
