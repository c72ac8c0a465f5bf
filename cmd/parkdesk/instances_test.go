package main

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
	"github.com/parkdesk/parkdesk/internal/web/i18n"
)

// TestTwoServesOnOneDatabase is the deployment of docs/deployment.md in
// small: two `parkdesk serve` instances on one database (PostgreSQL when
// PARKDESK_TEST_POSTGRES names one, as CI sets it; SQLite always) and a
// `parkdesk match` run beside them. Each answers its health checks; a
// session signed in on A is good on B; a page both keep rendered shows a
// fact written through a third handle at once; the batch run's results
// are on both; signing out on B ends the session on A at once.
func TestTwoServesOnOneDatabase(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d.String(), func(t *testing.T) {
			ctx := context.Background()
			dsn := storetest.DSN(t, d)
			if _, stderr, err := runCmd(t, "--db", dsn, "demo", "--no-serve", "--enterprises", "60", "--on", "2024-05-31"); err != nil {
				t.Fatalf("demo: %v\n%s", err, stderr)
			}
			db, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			users, err := benchUsers(ctx, db, 1)
			if err != nil {
				t.Fatal(err)
			}
			a := startServe(t, dsn)
			b := startServe(t, dsn)
			for _, base := range []string{a, b} {
				for _, path := range []string{"healthz", "readyz"} {
					if code, body := fetch(t, http.DefaultClient, base+path); code != http.StatusOK || !strings.Contains(body, "ok") {
						t.Errorf("GET %s%s: %d %q", base, path, code, body)
					}
				}
				if out, _, err := runCmd(t, "health", "--url", base+"readyz"); err != nil || !strings.Contains(out, "ready: ok") {
					t.Errorf("parkdesk health of %s: %v %q", base, err, out)
				}
			}

			// Signed in on A; the same cookie (one host, two ports) goes to B.
			clients, err := signIn(strings.TrimSuffix(a, "/"), users.officers)
			if err != nil {
				t.Fatal(err)
			}
			officer := clients[0]
			// The date the batch run below matches on, as the page writes it.
			newDate := i18n.For(i18n.Chinese).Date(time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC))
			page := "enterprises/" + strconv.FormatInt(users.enterprises[0], 10)
			for _, base := range []string{a, b, a, b} { // rendered, then kept
				if code, body := fetch(t, officer, base+page); code != http.StatusOK || strings.Contains(body, "9,876,543") || strings.Contains(body, newDate) {
					t.Fatalf("GET %s%s as the officer signed in on A: %d", base, page, code)
				}
			}
			mustAppend(t, db, users.enterprises[0], "revenue", "2025", "9876543")
			for _, base := range []string{a, b} {
				if _, body := fetch(t, officer, base+page); !strings.Contains(body, "9,876,543") {
					t.Errorf("%s does not show the fact written beside it", base)
				}
			}

			// A batch run beside the two instances, on a new date: its
			// results are on both at once.
			if _, stderr, err := runCmd(t, "--db", dsn, "match", "--on", "2024-06-30", "--policies", "../../policies", "--partition-size", "20"); err != nil {
				t.Fatalf("match beside two instances: %v\n%s", err, stderr)
			}
			var want int
			if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM match_results WHERE on_date = '2024-06-30'").Scan(&want); err != nil || want == 0 {
				t.Fatalf("the run stored %d results: %v", want, err)
			}
			for _, base := range []string{a, b} {
				if code, body := fetch(t, officer, base+page); code != http.StatusOK || !strings.Contains(body, newDate) {
					t.Errorf("%s after the run: status %d, the results are not those of %s", base, code, newDate)
				}
			}

			// Signed out on B: A refuses the session at once.
			resp, err := officer.Get(b + "dashboard")
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			token := between(string(body), `name="csrf_token" value="`, `"`)
			req, _ := http.NewRequest(http.MethodPost, b+"logout", strings.NewReader("csrf_token="+token))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if resp, err := officer.Do(req); err != nil {
				t.Fatal(err)
			} else {
				resp.Body.Close()
			}
			noFollow := *officer
			noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
			if code, _ := fetch(t, &noFollow, a+page); code != http.StatusSeeOther {
				t.Errorf("A after signing out on B: status %d, want 303 to the sign-in", code)
			}
		})
	}
}

// startServe starts `parkdesk serve` on port 0 and returns its base URL;
// the test's end stops it and waits.
func startServe(t *testing.T, dsn string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--db", dsn, "--policies", "../../policies", "serve", "--addr", "127.0.0.1:0"},
			func(string) string { return "" }, strings.NewReader(""), &stdout, &stderr)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve returned %v", err)
			}
		case <-time.After(time.Minute):
			t.Error("serve did not stop")
		}
	})
	re := regexp.MustCompile(`serving on (http://\S+)`)
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); {
		select {
		case err := <-done:
			t.Fatalf("serve stopped at once: %v\n%s", err, stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
		if m := re.FindStringSubmatch(stdout.String()); m != nil {
			return m[1]
		}
	}
	t.Fatalf("serve printed no URL:\n%s\n%s", stdout.String(), stderr.String())
	return ""
}

func fetch(t *testing.T, c *http.Client, url string) (int, string) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

// mustAppend writes one fact through a handle of the test's own, as a
// third process would.
func mustAppend(t *testing.T, db *store.DB, enterpriseID int64, field, period, value string) {
	t.Helper()
	fd, ok := facts.Builtin().Field(field)
	if !ok {
		t.Fatalf("no field %s", field)
	}
	v, err := fd.ParseValue(value)
	if err != nil {
		t.Fatal(err)
	}
	p, err := facts.ParsePeriod(period)
	if err != nil {
		t.Fatal(err)
	}
	one := func(yield func(facts.Fact) bool) {
		yield(facts.Fact{EnterpriseID: enterpriseID, Field: field, Period: p, Value: v})
	}
	if _, err := facts.AppendFacts(context.Background(), db, facts.Provenance{Source: "department", Actor: "test", At: time.Now()}, one); err != nil {
		t.Fatal(err)
	}
}
