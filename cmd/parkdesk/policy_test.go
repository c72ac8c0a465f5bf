package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runPolicy runs `parkdesk policy …` in-process.
func runPolicy(t *testing.T, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	getenv := func(string) string { return "" }
	err = run(context.Background(), append([]string{"policy"}, args...), getenv, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

type evalResult struct {
	On      string `json:"on"`
	Results []struct {
		Enterprise  string          `json:"enterprise"`
		Policy      string          `json:"policy"`
		Status      string          `json:"status"`
		InForce     bool            `json:"in_force"`
		Amount      *string         `json:"amount"`
		Missing     []string        `json:"missing"`
		Criteria    json.RawMessage `json:"criteria"`
		Explanation string          `json:"explanation"`
	} `json:"results"`
}

// The worked examples of reference/policies.md, reproduced by policy eval
// on the record files of testdata/worked.
func TestPolicyEvalWorkedExamples(t *testing.T) {
	tests := []struct {
		name, file, on, policy, status string
		amount                         string // "" for null
	}{
		{"V4", "testdata/worked/v4.json", "2022-08-15", "vat-refund-2022", "eligible", "1760000.00"},
		{"R1", "testdata/worked/r1.json", "2024-05-31", "rd-super-deduction-2023", "eligible", "1000000.00"},
		{"S1", "testdata/worked/s1.json", "2024-05-31", "small-low-profit-2023", "eligible", "380000.00"},
		{"H1", "testdata/worked/h1.json", "2024-06-01", "hnte", "eligible", "500000.00"},
		{"T1", "testdata/worked/t1.json", "2024-06-01", "tech-sme", "eligible", ""},
		{"J2", "testdata/worked/j2.json", "2025-06-01", "job-retention-refund", "eligible", "60000.00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, args := range [][]string{
				{"eval", "--policies", "../../policies", "--on", tc.on, "--policy", tc.policy, tc.file},
				{"eval", "--policies", "../../policies", "--on", tc.on, tc.file}, // every policy in force
			} {
				stdout, stderr, err := runPolicy(t, "", args...)
				if err != nil {
					t.Fatalf("%v: %v\n%s", args, err, stderr)
				}
				var out evalResult
				if err := json.Unmarshal([]byte(stdout), &out); err != nil {
					t.Fatalf("output is not the eval JSON: %v\n%s", err, stdout)
				}
				if out.On != tc.on {
					t.Errorf("on = %q", out.On)
				}
				found := false
				for _, r := range out.Results {
					if r.Policy != tc.policy {
						continue
					}
					found = true
					got := ""
					if r.Amount != nil {
						got = *r.Amount
					}
					if r.Status != tc.status || got != tc.amount {
						t.Errorf("%s: %s %q, want %s %q: %s", tc.policy, r.Status, got, tc.status, tc.amount, r.Explanation)
					}
					if r.Missing == nil || len(r.Criteria) == 0 || r.Explanation == "" {
						t.Errorf("result lacks missing, criteria or explanation: %+v", r)
					}
				}
				if !found {
					t.Errorf("%v: no result for %s", args, tc.policy)
				}
			}
		})
	}
}

func TestPolicyEvalStdinAndNotInForce(t *testing.T) {
	rec := `{"uscc": "91330106MA0000015K", "name": "示例", "facts": {"taxable_income": {"2023": 1900000}}}`
	stdout, stderr, err := runPolicy(t, rec, "eval", "--policies", "../../policies", "--on", "2030-01-01", "--policy", "small-low-profit-2023", "-")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	var out evalResult
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Results) != 1 || out.Results[0].Status != "ineligible" || out.Results[0].InForce ||
		!strings.Contains(out.Results[0].Explanation, "not in force on 2030-01-01") {
		t.Errorf("an explicit policy out of force must be ineligible with in_force false, saying so: %s", stdout)
	}
	// Without --policy, policies not in force are skipped.
	stdout, _, err = runPolicy(t, rec, "eval", "--policies", "../../policies", "--on", "2030-01-01", "-")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(stdout, "small-low-profit-2023") {
		t.Errorf("a policy out of force was evaluated in bulk: %s", stdout)
	}
}

func TestPolicyEvalBadRecord(t *testing.T) {
	stdout, _, err := runPolicy(t, "", "eval", "--policies", "../../policies", "--on", "2024-06-01", "testdata/worked/bad.json")
	if err == nil {
		t.Fatal("no error for a record breaking the data contract")
	}
	if stdout != "" {
		t.Errorf("partial results were printed: %s", stdout)
	}
	msg := err.Error()
	for _, want := range []string{"record 2", "91330106MA0000023E", "field revenue", "field colour"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the error does not name %q:\n%s", want, msg)
		}
	}
	if code := exitCode(err, &bytes.Buffer{}); code == 0 {
		t.Error("exit status 0")
	}
}

func TestPolicyLintAndTest(t *testing.T) {
	stdout, stderr, err := runPolicy(t, "", "lint", "../../policies")
	if err != nil || !strings.Contains(stdout, "no problems") {
		t.Errorf("lint: %v\n%s%s", err, stdout, stderr)
	}
	stdout, stderr, err = runPolicy(t, "", "test", "../../policies")
	if err != nil || !strings.Contains(stdout, " passed, 0 failed") {
		t.Errorf("test: %v\n%s%s", err, stdout, stderr)
	}
	dir := t.TempDir()
	if err := os.WriteFile(dir+"/broken.yaml", []byte("id: broken\ncriteria: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, _, err = runPolicy(t, "", "lint", dir)
	if !errors.Is(err, errSilentFailure) || !strings.Contains(stdout, "broken.yaml:") {
		t.Errorf("lint of a broken file: %v\n%s", err, stdout)
	}
	stdout, _, err = runPolicy(t, "", "test", dir)
	if !errors.Is(err, errSilentFailure) || !strings.Contains(stdout, "FAIL") {
		t.Errorf("test of a broken directory: %v\n%s", err, stdout)
	}
	if _, _, err := runPolicy(t, "", "frobnicate"); !errors.Is(err, errUsage) {
		t.Errorf("unknown subcommand: %v", err)
	}
}

// A park's local values (--policy-local) reach policy eval: a raised
// job-retention rate for SMEs, and a value outside the policy's bounds is
// refused with the reason.
func TestPolicyEvalLocalValues(t *testing.T) {
	dir := t.TempDir()
	local := filepath.Join(dir, "local.yaml")
	write := func(text string) {
		t.Helper()
		if err := os.WriteFile(local, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("- {policy: job-retention-refund, parameter: sme_share, from: 2025-07-01, value: 0.9, source: 示例市人社局通知}\n")
	args := []string{"eval", "--policies", "../../policies", "--policy-local", local, "--on", "2025-08-01", "--policy", "job-retention-refund", "testdata/worked/j2.json"}
	stdout, stderr, err := runPolicy(t, "", args...)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	var out evalResult
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Results) != 1 || out.Results[0].Amount == nil || *out.Results[0].Amount != "90000.00" ||
		!strings.Contains(out.Results[0].Explanation, "set locally") {
		t.Errorf("want 90000.00 at the local rate, saying so: %s", stdout)
	}
	write("- {policy: job-retention-refund, parameter: sme_share, from: 2025-07-01, value: 0.95, source: s}\n")
	if _, _, err := runPolicy(t, "", args...); err == nil || !strings.Contains(err.Error(), "must be from 0.6 to 0.9") {
		t.Errorf("a local value above the bound: %v", err)
	}
}
