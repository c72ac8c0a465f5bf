package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func runCmd(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, func(string) string { return "" }, strings.NewReader(""), &out, &errOut)
	return out.String(), errOut.String(), err
}

// TestMatchCommand matches a small demo park twice (the second run writes
// nothing), then simulates a draft of a shipped policy over it.
func TestMatchCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "park.db")
	if _, stderr, err := runCmd(t, "--db", db, "demo", "--no-serve", "--enterprises", "150", "--on", "2024-05-31"); err != nil {
		t.Fatalf("demo: %v\n%s", err, stderr)
	}
	stdout, stderr, err := runCmd(t, "--db", db, "match", "--on", "2024-05-31", "--policies", "../../policies", "--partition-size", "40")
	if err != nil {
		t.Fatalf("match: %v\n%s", err, stderr)
	}
	if !strings.Contains(stdout, "matched 150 enterprises on 2024-05-31") || !strings.Contains(stdout, "4 partitions") {
		t.Errorf("match printed:\n%s", stdout)
	}
	if !regexp.MustCompile(`(?m)^small-low-profit-2023 +tax_saving +\d+`).MatchString(stdout) {
		t.Errorf("no totals line for small-low-profit-2023:\n%s", stdout)
	}
	if !strings.Contains(stderr, "match: 4/4 partitions (100%)") {
		t.Errorf("no progress lines on a non-terminal:\n%s", stderr)
	}
	stdout, stderr, err = runCmd(t, "--db", db, "match", "--on", "2024-05-31", "--policies", "../../policies")
	if err != nil {
		t.Fatalf("match again: %v\n%s", err, stderr)
	}
	if !strings.Contains(stdout, " 0 written") {
		t.Errorf("a second run over unchanged data wrote results:\n%s", stdout)
	}

	raw, err := os.ReadFile("../../policies/small-low-profit-2023.yaml")
	if err != nil {
		t.Fatal(err)
	}
	draft := filepath.Join(dir, "small-low-profit-draft.yaml")
	if err := os.WriteFile(draft, []byte(strings.Replace(string(raw), "value: 3000000}", "value: 1000000}", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, err = runCmd(t, "--db", db, "policy", "simulate", "--on", "2024-05-31", "--policies", "../../policies", "--limit", "2", draft)
	if err != nil {
		t.Fatalf("simulate: %v\n%s", err, stderr)
	}
	for _, want := range []string{"draft small-low-profit-2023 over 150 enterprises", "lose (no longer eligible):", "eligible by industry section"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("simulate printed no %q:\n%s", want, stdout)
		}
	}
	if _, _, err := runCmd(t, "--db", db, "policy", "simulate", "--on", "2019-01-01", "--policies", "../../policies", draft); err == nil {
		t.Error("simulating a draft on a date it is not in force succeeded")
	}
}

// TestBenchMatchCommand runs the benchmark on a tiny population: every
// figure is printed and the last line is the speedup.
func TestBenchMatchCommand(t *testing.T) {
	stdout, stderr, err := runCmd(t, "bench", "match", "--enterprises", "300", "--sample", "20", "--incremental", "5",
		"--policies", "../../policies", "--dir", t.TempDir())
	if err != nil {
		t.Fatalf("bench match: %v\n%s", err, stderr)
	}
	for _, want := range []string{"population build", "evaluation pass", "the OpenFisca 5", "end to end", "peak memory",
		"explanations kept", "straightforward", "0 results differ", "incremental          p50"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("no %q in:\n%s", want, stdout)
		}
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if !regexp.MustCompile(`^speedup: \d+\.\dx$`).MatchString(lines[len(lines)-1]) {
		t.Errorf("last line %q", lines[len(lines)-1])
	}
}

// TestBenchMatchAgainstOpenFisca runs the comparison with a stand-in for
// OpenFisca's run script (the real one needs Python and numpy): it is run
// on the same N after our pass, and the ratio is the last line.
func TestBenchMatchAgainstOpenFisca(t *testing.T) {
	dir := t.TempDir()
	script := "#!/bin/sh\necho 'totals whatever'\necho \"openfisca: enterprises=$1 setup_s=0.1 calc_s=0.01 evals_per_s=150000 peak_rss_mib=10\"\n"
	if err := os.WriteFile(filepath.Join(dir, "run"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, err := runCmd(t, "bench", "match", "--enterprises", "300", "--sample", "20", "--store=false",
		"--policies", "../../policies", "--openfisca", dir)
	if err != nil {
		t.Fatalf("bench match: %v\n%s", err, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if !regexp.MustCompile(`^vs openfisca: \d+\.\dx$`).MatchString(lines[len(lines)-1]) {
		t.Errorf("last line %q", lines[len(lines)-1])
	}
	if !strings.Contains(stdout, "openfisca: enterprises=300 ") || !strings.Contains(stdout, "OpenFisca          0.15M/s on one thread") {
		t.Errorf("the OpenFisca line is not shown:\n%s", stdout)
	}
	// A script that fails, or ran another N, fails the benchmark.
	bad := "#!/bin/sh\necho 'openfisca: enterprises=7 calc_s=1 evals_per_s=5'\n"
	if err := os.WriteFile(filepath.Join(dir, "run"), []byte(bad), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runCmd(t, "bench", "match", "--enterprises", "300", "--sample", "20", "--store=false",
		"--policies", "../../policies", "--openfisca", dir); err == nil {
		t.Error("OpenFisca's run of another N was accepted")
	}
	// A missing Python module is named, with the package that brings it,
	// before our pass runs.
	missing := "#!/bin/sh\necho \"ModuleNotFoundError: No module named 'typing_extensions'\" >&2\nexit 1\n"
	if err := os.WriteFile(filepath.Join(dir, "run"), []byte(missing), 0o755); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, err = runCmd(t, "bench", "match", "--enterprises", "300", "--sample", "20", "--store=false",
		"--policies", "../../policies", "--openfisca", dir)
	if err == nil || !strings.Contains(err.Error()+stderr, "apt-get install -y python3-typing-extensions") {
		t.Errorf("a missing module is not named: %v\n%s", err, stderr)
	}
	if strings.Contains(stdout, "evaluation pass") {
		t.Error("our pass ran before OpenFisca was found unable to run")
	}
}

// TestBenchMatchFromDatabase writes a tiny population's facts and times a
// real run over the database.
func TestBenchMatchFromDatabase(t *testing.T) {
	stdout, stderr, err := runCmd(t, "bench", "match", "--enterprises", "200", "--sample", "10", "--incremental", "5",
		"--from-db", "--policies", "../../policies", "--dir", t.TempDir())
	if err != nil {
		t.Fatalf("bench match: %v\n%s", err, stderr)
	}
	for _, want := range []string{"facts written ", "build from database ", "end to end           ", "results (", "incremental          p50"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("no %q in:\n%s", want, stdout)
		}
	}
	// Every result is computed; the kept ones (those with an explanation)
	// are written, plainly ineligible results having no row.
	m := regexp.MustCompile(`explanations kept +(\d+) `).FindStringSubmatch(stdout)
	if m == nil || !strings.Contains(stdout, "a match run reading, evaluating and storing 2000 results ("+m[1]+" written") {
		t.Errorf("the run over the database did not compute the 200 × 10 results and write the kept ones:\n%s", stdout)
	}
}
