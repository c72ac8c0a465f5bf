package web

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/store"
)

// TestBusyDatabaseIsARetry: while another process (a 'parkdesk import')
// holds SQLite's write lock past the waits, a sign-in is answered "busy,
// try again" with 503 and Retry-After in the reader's language — never an
// internal error — and goes through once the lock is released (issue 11,
// point 5).
func TestBusyDatabaseIsARetry(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "busy.db") + "?_busy_timeout=50"
	open := func() *store.DB {
		db, err := store.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	db, importer := open(), open()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := facts.SeedDictionary(ctx, db); err != nil {
		t.Fatal(err)
	}
	app, _ := signInFixture(t, db)
	srv := httptest.NewServer(app)
	defer srv.Close()
	e := enterprise.Enterprise{USCC: enterprise.MakeUSCC("330106", 1), Name: "示例公司"}
	if err := enterprise.Create(ctx, db, &e); err != nil {
		t.Fatal(err)
	}
	c, token := officerClient(t, srv) // signed in, before the lock
	// A second browser, not signed in, at the sign-in form.
	jar, _ := cookiejar.New(nil)
	anon := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := anon.Get(srv.URL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	loginToken := string(csrfInput.FindSubmatch(page)[1])

	locked, release, done := make(chan struct{}), make(chan struct{}), make(chan error)
	go func() {
		done <- importer.InTx(ctx, func(tx *store.Tx) error {
			if _, err := tx.Exec(ctx, "UPDATE fields SET unit = unit WHERE name = 'revenue'"); err != nil {
				return err
			}
			close(locked)
			<-release
			return nil
		})
	}()
	<-locked
	signIn := func() *http.Response {
		req, _ := http.NewRequest("POST", srv.URL+"/login", strings.NewReader(url.Values{"csrf_token": {loginToken},
			"login": {"zhang@park.cn"}, "password": {"violet sky over hangzhou"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept-Language", "zh-CN")
		res, err := anon.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	res = signIn()
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" || !strings.Contains(string(body), "系统正忙") {
		t.Fatalf("sign-in while the database is locked: %d (Retry-After %q)\n%.600s", res.StatusCode, res.Header.Get("Retry-After"), body)
	}
	req, _ := http.NewRequest("POST", srv.URL+"/api/v1/enterprises/"+strconv.FormatInt(e.ID, 10)+"/facts", strings.NewReader(`{"facts": {"revenue": {"2023": 1}}}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(csrfHeader, token)
	res, err = c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), `"code":"unavailable"`) {
		t.Errorf("an API write while the database is locked: %d %s", res.StatusCode, body)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if res := signIn(); res.StatusCode != http.StatusSeeOther {
		t.Errorf("sign-in once the lock is released: %d", res.StatusCode)
	}
}
