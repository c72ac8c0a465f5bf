package policy

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// The shipped library: every policy of reference/policies.md under its fixed
// id, each passing its own test cases.
func TestShippedLibrary(t *testing.T) {
	lib := shippedLibrary(t)
	var ids []string
	for _, p := range lib.Policies() {
		ids = append(ids, p.ID())
	}
	want := []string{"hnte", "job-retention-refund", "little-giant", "rd-super-deduction-2023", "six-taxes-two-fees",
		"small-low-profit-2023", "srdi-sme", "tech-sme", "vat-refund-2022", "vat-refund-2025", "vat-refund-60pct-2019"}
	if !slices.Equal(ids, want) {
		t.Fatalf("policies %v, want %v", ids, want)
	}
	for _, tr := range lib.RunTests() {
		if !tr.Passed() {
			t.Errorf("%s/%s (%s): %v\n%s", tr.Policy, tr.Name, tr.Pos, tr.Failures, tr.Result.Explanation)
		}
	}
	for _, p := range lib.Policies() {
		if len(p.tests) < 3 {
			t.Errorf("%s has %d test cases; a policy needs its examples and edge cases", p.ID(), len(p.tests))
		}
		if p.Mode() == Apply && len(p.Materials()) == 0 {
			t.Errorf("%s is apply-mode without materials", p.ID())
		}
		if len(p.Documents()) == 0 || len(p.Version()) != 64 {
			t.Errorf("%s: documents %v, version %q", p.ID(), p.Documents(), p.Version())
		}
	}
}

// The public worked examples of reference/policies.md are test cases of
// their policies, under their names.
func TestWorkedExamplesAreCases(t *testing.T) {
	lib := shippedLibrary(t)
	want := map[string][]string{
		"vat-refund-2022":         {"V1", "V4"},
		"rd-super-deduction-2023": {"R1"},
		"small-low-profit-2023":   {"S1"},
		"hnte":                    {"H1"},
		"tech-sme":                {"T1", "T2"},
		"job-retention-refund":    {"J2"},
	}
	for id, names := range want {
		p, ok := lib.Policy(id)
		if !ok {
			t.Fatalf("no policy %s", id)
		}
		for _, n := range names {
			if !slices.ContainsFunc(p.tests, func(tc *testCase) bool { return tc.name == n }) {
				t.Errorf("%s has no test case %s", id, n)
			}
		}
	}
}

func TestPolicyFields(t *testing.T) {
	lib := shippedLibrary(t)
	tests := []struct {
		policy string
		want   []string
	}{
		{"hnte", []string{"employees", "hightech_revenue", "innovation_score", "ip_class1_count", "ip_class2_count", "rd_expense",
			"rd_expense_domestic", "registered_on", "revenue", "taxable_income", "tech_staff"}},
		{"small-low-profit-2023", []string{"employees", "employees_avg", "employees_q_end", "employees_q_start", "restricted_industry",
			"taxable_income", "total_assets", "total_assets_avg", "total_assets_q_end", "total_assets_q_start"}},
	}
	for _, tc := range tests {
		p, _ := lib.Policy(tc.policy)
		if got := p.Fields(); !slices.Equal(got, tc.want) {
			t.Errorf("%s reads %v, want %v", tc.policy, got, tc.want)
		}
	}
	p, _ := lib.Policy("vat-refund-2022")
	for _, f := range []string{"enterprise_size", "vat_sales", "industry_code", "industry_sales_share", "total_assets", "vat_credit_end"} {
		if !slices.Contains(p.Fields(), f) {
			t.Errorf("vat-refund-2022 reads %v, which lacks %s", p.Fields(), f)
		}
	}
	// The VAT refund's size class never reads headcount (No.14 Art.12).
	if slices.Contains(p.Fields(), "employees") {
		t.Errorf("vat-refund-2022 reads %v: its size class must not depend on employees", p.Fields())
	}
}

// The example of docs/policy-format.md loads and passes its test, so that
// the documentation cannot drift from the format.
func TestDocumentedExample(t *testing.T) {
	doc, err := os.ReadFile("../../docs/policy-format.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "```yaml\n")
	example, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatal("no YAML example in docs/policy-format.md")
	}
	lib, err := loadFiles(t, map[string]string{"small-low-profit-2023.yaml": example})
	if err != nil {
		t.Fatalf("the documented example does not load: %v", err)
	}
	for _, tr := range lib.RunTests() {
		if !tr.Passed() {
			t.Errorf("documented example %s: %v", tr.Name, tr.Failures)
		}
	}
}
