package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The command: projects, signings and funds imported from files,
// then parkdesk report gives the indicators with their year-on-year change;
// a bad file exits non-zero with its row report and writes nothing.
func TestProjectImportAndReport(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "park.db")
	files := map[string]string{
		"projects.csv": "code,name,investor,industry_code,stage,expected_output\nP1,电池项目,甲公司,C3841,negotiating,5亿\nP2,装备项目,乙公司,C3491,在谈,\n",
		"signings.csv": "code,signed_on,total_investment\nP1,2022-03-10,1亿\nP1,2023-02-01,1.5亿\nP2,2023-01-15,2亿\n",
		"funds.csv":    "code,month,funds_in_place\nP1,2022-02,200000000\nP1,2023-03,1340000000\n",
		"bad.csv":      "code,month,funds_in_place\nP1,2023-04,1\nP9,2023-04,1\n",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	path := func(n string) string { return filepath.Join(dir, n) }
	if _, stderr, err := runCmd(t, "--db", db, "project", "import", path("projects.csv"), path("signings.csv"), path("funds.csv")); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	_, stderr, err := runCmd(t, "--db", db, "project", "import", path("bad.csv"))
	if err == nil || !strings.Contains(stderr, "bad.csv row 3: field code") {
		t.Errorf("bad file: %v\n%s", err, stderr)
	}
	stdout, stderr, err := runCmd(t, "--db", db, "report", "--period", "2023Q1", "--format", "json")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	var rep struct {
		Period     string `json:"period"`
		Indicators []struct {
			ID     string `json:"id"`
			Value  any    `json:"value"`
			YoYPct any    `json:"yoy_pct"`
		} `json:"indicators"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	got := map[string][2]any{}
	for _, v := range rep.Indicators {
		got[v.ID] = [2]any{v.Value, v.YoYPct}
	}
	want := map[string][2]any{
		"funds_in_place":     {"1340000000.00", "570.0"},
		"projects_signed":    {float64(1), "0.0"},
		"investment_signed":  {"250000000.00", "150.0"},
		"funds_in_place_ytd": {"1340000000.00", "570.0"},
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s: %v, want %v", id, got[id], w)
		}
	}
	if rep.Period != "2023Q1" {
		t.Errorf("period %q", rep.Period)
	}
	if _, stderr, err := runCmd(t, "--db", db, "report", "--period", "2023-03", "--format", "xlsx", "-o", path("r.xlsx")); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if b, err := os.ReadFile(path("r.xlsx")); err != nil || !strings.HasPrefix(string(b), "PK") {
		t.Errorf("xlsx: %v", err)
	}
}
