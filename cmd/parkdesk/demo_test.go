package main

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/store"
)

// TestDemoCommand makes a small demo park end to end — load, match,
// packages, logins — and checks that a second run leaves it alone.
func TestDemoCommand(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo.db")
	stdout, stderr, err := runCmd(t, "--db", path, "demo", "--no-serve", "--enterprises", "120", "--on", "2024-05-31")
	if err != nil {
		t.Fatalf("demo: %v\n%s", err, stderr)
	}
	for _, want := range []string{"Created 120 enterprises", "Matched 120 enterprises", "Demo logins"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("demo output lacks %q:\n%s", want, stdout)
		}
	}
	for _, role := range []string{"admin", "officer", "department", "commissioner", "enterprise", "leader"} {
		if !regexp.MustCompile(`(?m)^  ` + role + ` +login \S+ +password \S{12}$`).MatchString(stdout) {
			t.Errorf("no login printed for %s:\n%s", role, stdout)
		}
	}
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	var results, eligible int
	if err := db.QueryRow(ctx, "SELECT COUNT(*), COUNT(CASE WHEN status = 'eligible' THEN 1 END) FROM match_results").Scan(&results, &eligible); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if results == 0 || eligible == 0 {
		t.Errorf("the demo park has %d results, %d eligible; want matched results", results, eligible)
	}

	again, stderr, err := runCmd(t, "--db", path, "demo", "--no-serve")
	if err != nil {
		t.Fatalf("second demo: %v\n%s", err, stderr)
	}
	if !strings.Contains(again, "already holds 120 enterprises") || strings.Contains(again, "Demo logins") {
		t.Errorf("a second demo must keep the park and print no new logins:\n%s", again)
	}
}
