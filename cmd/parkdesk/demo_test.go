package main

import (
	"context"
	"os"
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
	// The liaison's enterprise has something in every tab of the portal: a
	// benefit, a near miss, data to report and a visit to confirm; and the
	// park has the departments' requests and joint visits.
	var liaisonOf int64
	if err := db.QueryRow(ctx, "SELECT enterprise_id FROM users WHERE login = 'liaison'").Scan(&liaisonOf); err != nil {
		t.Fatal(err)
	}
	var own [4]int
	if err := db.QueryRow(ctx, `SELECT COUNT(CASE WHEN status = 'eligible' THEN 1 END), COUNT(near_miss), COUNT(CASE WHEN status = 'undetermined' THEN 1 END),
	(SELECT COUNT(*) FROM touch_visits WHERE enterprise_id = ? AND status = 'proposed')
FROM match_results WHERE enterprise_id = ?`, liaisonOf, liaisonOf).Scan(&own[0], &own[1], &own[2], &own[3]); err != nil {
		t.Fatal(err)
	}
	if own[0] == 0 || own[1] == 0 || own[2] == 0 || own[3] == 0 {
		t.Errorf("the liaison's enterprise has %d benefits, %d near misses, %d undetermined results and %d proposed visits; want some of each", own[0], own[1], own[2], own[3])
	}
	var requests, visits int
	if err := db.QueryRow(ctx, "SELECT (SELECT COUNT(*) FROM touch_requests), (SELECT COUNT(*) FROM touch_visits)").Scan(&requests, &visits); err != nil {
		t.Fatal(err)
	}
	if requests < 20 || visits < 10 {
		t.Errorf("the demo park has %d touch requests and %d visits", requests, visits)
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

// TestImportRematches changes a fact by import and checks that the stored
// result follows at once, and that a full run then finds nothing to do.
func TestImportRematches(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "park.db")
	if _, stderr, err := runCmd(t, "--db", path, "demo", "--no-serve", "--enterprises", "80", "--on", "2024-05-31"); err != nil {
		t.Fatalf("demo: %v\n%s", err, stderr)
	}
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var uscc string
	err = db.QueryRow(ctx, `SELECT e.uscc FROM match_results r JOIN enterprises e ON e.id = r.enterprise_id
WHERE r.policy = 'small-low-profit-2023' AND r.status = 'eligible' ORDER BY e.id LIMIT 1`).Scan(&uscc)
	if err != nil {
		t.Fatalf("no enterprise of the demo is eligible for small-low-profit-2023: %v", err)
	}
	csv := filepath.Join(dir, "facts.csv")
	if err := os.WriteFile(csv, []byte("uscc,field,period,value\n"+uscc+",taxable_income,2023,99999999\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, err := runCmd(t, "--db", path, "import", csv)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, stderr)
	}
	if !strings.Contains(stdout, "matched the 1 enterprise(s) whose data changed") {
		t.Errorf("import did not rematch:\n%s", stdout)
	}
	// A plainly ineligible result has no row; the coverage says the
	// enterprise was evaluated.
	var status string
	if err := db.QueryRow(ctx, `SELECT COALESCE((SELECT r.status FROM match_results r
WHERE r.enterprise_id = e.id AND r.policy = 'small-low-profit-2023' AND r.on_date = '2024-05-31'), 'ineligible')
FROM enterprises e JOIN match_coverage c ON e.id BETWEEN c.first_id AND c.last_id
WHERE c.policy = 'small-low-profit-2023' AND c.on_date = '2024-05-31' AND e.uscc = ?`, uscc).Scan(&status); err != nil {
		t.Fatal(err)
	}
	if status != "ineligible" {
		t.Errorf("after taxable income of 99,999,999 the result is %s, want ineligible", status)
	}
	stdout, stderr, err = runCmd(t, "--db", path, "match", "--on", "2024-05-31")
	if err != nil {
		t.Fatalf("match: %v\n%s", err, stderr)
	}
	if !strings.Contains(stdout, " 0 written") {
		t.Errorf("a full run after the import's rematch must write nothing:\n%s", stdout)
	}
}

// TestBackupCommand copies a small park while a reader holds it, refuses
// to overwrite, and the copy opens as the same park.
func TestBackupCommand(t *testing.T) {
	dir := t.TempDir()
	path, copyPath := filepath.Join(dir, "park.db"), filepath.Join(dir, "backup.db")
	if _, stderr, err := runCmd(t, "--db", path, "demo", "--no-serve", "--enterprises", "40", "--on", "2024-05-31"); err != nil {
		t.Fatalf("demo: %v\n%s", err, stderr)
	}
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	stdout, stderr, err := runCmd(t, "--db", path, "backup", copyPath)
	if err != nil || !strings.Contains(stdout, "backed up to") {
		t.Fatalf("backup: %v\n%s%s", err, stdout, stderr)
	}
	if _, _, err := runCmd(t, "--db", path, "backup", copyPath); err == nil {
		t.Error("a second backup overwrote the first")
	}
	backup, err := store.Open(ctx, copyPath)
	if err != nil {
		t.Fatal(err)
	}
	defer backup.Close()
	count := func(db *store.DB, table string) int {
		var n int
		if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, table := range []string{"enterprises", "facts", "match_results", "users"} {
		if a, b := count(db, table), count(backup, table); a != b || a == 0 {
			t.Errorf("%s: %d rows in the park, %d in the backup", table, a, b)
		}
	}
	if _, _, err := runCmd(t, "--db", "postgres://nobody@127.0.0.1:1/none", "backup", filepath.Join(dir, "pg.db")); err == nil {
		t.Error("a backup of PostgreSQL by parkdesk was accepted")
	}
}
