package policy

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files of explanations")

// Explanations are compared with golden files (testdata/*.golden.json);
// run `go test ./internal/policy -run Golden -update` after an intended
// change and review the diff.
func TestGoldenExplanations(t *testing.T) {
	tests := []struct {
		policy, name, golden string
	}{
		{"vat-refund-2022", "V4", "vat-refund-2022-v4-eligible"},
		{"hnte", "R&D ratio near miss", "hnte-near-miss"},
		{"job-retention-refund", "size unknown", "job-retention-undetermined"},
		{"vat-refund-2022", "filing period after the regime", "vat-refund-2022-not-in-force"},
		{"little-giant", "2026 thresholds", "little-giant-unverified"},
		{"tech-sme", "T2", "tech-sme-t2-ineligible"},
		{"small-low-profit-2023", "S2 quarterly assets", "small-low-profit-s2-averages"},
	}
	lib := shippedLibrary(t)
	results := map[string]Result{}
	for _, tr := range lib.RunTests() {
		results[tr.Policy+"/"+tr.Name] = tr.Result
	}
	for _, tc := range tests {
		t.Run(tc.golden, func(t *testing.T) {
			res, ok := results[tc.policy+"/"+tc.name]
			if !ok {
				t.Fatalf("no test case %s/%s", tc.policy, tc.name)
			}
			res.Version = "" // changes with every edit of the file, explanations need not
			var got bytes.Buffer
			enc := json.NewEncoder(&got)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(res); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", tc.golden+".golden.json")
			if *update {
				if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("%s differs from the golden file (run with -update after reviewing):\n%s", path, got.String())
			}
		})
	}
}
