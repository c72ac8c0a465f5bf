package web

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

// TestAPIRefusesDuplicateKeys: a JSON body that gives a key twice is
// refused with 422 naming the key and where, before any handler decodes it
// and keeps the last value (issue 11, point 9).
func TestAPIRefusesDuplicateKeys(t *testing.T) {
	db, post := factsAPI(t)
	ctx := context.Background()
	for _, body := range []string{
		`{"facts": {"revenue": {"2023": 1, "2023": 1000000000}}}`,
		`{"facts": {"employees": {"2023": 5}}, "facts": {"revenue": {"2023": 1}}}`,
	} {
		code, answer := post(body)
		if code != http.StatusUnprocessableEntity || !strings.Contains(answer, "is given twice") {
			t.Errorf("%s: %d %s", body, code, answer)
		}
	}
	if code, answer := post(`{"facts": {"revenue": {"2023": 1, "2024": 2}}}`); code != http.StatusOK {
		t.Errorf("a body without a duplicate: %d %s", code, answer)
	}
	var n int
	if err := db.QueryRow(ctx, "SELECT count(*) FROM facts").Scan(&n); err != nil || n != 2 {
		t.Errorf("%d facts written (%v), want the 2 of the good body", n, err)
	}
}

// TestAPIRefusesUnboundedNumbers: a value outside its field's digits or
// decimals is refused naming the field (issue 11, point 4).
func TestAPIRefusesUnboundedNumbers(t *testing.T) {
	db, post := factsAPI(t)
	for _, body := range []string{
		`{"facts": {"revenue": {"2023": 1e100000}}}`,
		`{"facts": {"revenue": {"2023": "1e400"}}}`,
		`{"facts": {"revenue": {"2023": 1000000000000000}}}`,
	} {
		code, answer := post(body)
		if code != http.StatusUnprocessableEntity || !strings.Contains(answer, `"field":"revenue"`) || len(answer) > 2000 {
			t.Errorf("%.60s: %d %.300s", body, code, answer)
		}
	}
	var n int
	if err := db.QueryRow(context.Background(), "SELECT count(*) FROM facts").Scan(&n); err != nil || n != 0 {
		t.Errorf("%d facts written (%v)", n, err)
	}
}

// factsAPI is an officer signed in to a server over a database with one
// enterprise, and a function that posts a facts report about it.
func factsAPI(t *testing.T) (*store.DB, func(body string) (int, string)) {
	t.Helper()
	db := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	if err := facts.SeedDictionary(ctx, db); err != nil {
		t.Fatal(err)
	}
	e := enterprise.Enterprise{USCC: enterprise.MakeUSCC("330106", 1), Name: "示例公司"}
	if err := enterprise.Create(ctx, db, &e); err != nil {
		t.Fatal(err)
	}
	app, _ := signInFixture(t, db)
	srv := httptest.NewServer(app)
	t.Cleanup(srv.Close)
	c, token := officerClient(t, srv)
	post := func(body string) (int, string) {
		req, _ := http.NewRequest("POST", srv.URL+"/api/v1/enterprises/"+strconv.FormatInt(e.ID, 10)+"/facts", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(csrfHeader, token)
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	return db, post
}
