package policy

import (
	"slices"
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/facts"
)

// criterionProbe is a policy whose criteria are the given expressions, c1, c2 ….
func criterionProbe(exprs ...string) string {
	var b strings.Builder
	b.WriteString("criteria:\n")
	for i, e := range exprs {
		id := "c" + string(rune('1'+i))
		b.WriteString("  - {id: " + id + ", label: {zh: " + id + ", en: " + id + "}, expr: '" + strings.ReplaceAll(e, "'", "''") + "'}\n")
	}
	return b.String()
}

func TestThreeValuedLogic(t *testing.T) {
	tests := []struct {
		name        string
		exprs       []string
		facts       string
		wantStatus  Status
		wantMissing []string
		wantC1      CriterionStatus
	}{
		{"false and missing is false", []string{`false && revenue.last_year() > 0`}, ``,
			Ineligible, []string{}, Fail},
		{"true and missing is unknown", []string{`true && revenue.last_year() > 0`}, ``,
			Undetermined, []string{"revenue"}, Unknown},
		{"missing or true is true", []string{`revenue.last_year() > 0 || true`}, ``,
			Eligible, []string{}, Pass},
		{"missing or missing names both", []string{`revenue.last_year() > 0 || employees.last_year() > 0`}, ``,
			Undetermined, []string{"revenue", "employees"}, Unknown},
		{"missing never reads as zero", []string{`revenue.last_year() >= 0`}, ``,
			Undetermined, []string{"revenue"}, Unknown},
		{"a definite failure wins over an unknown", []string{`revenue.last_year() > 0`, `ip_class1_count >= 1`}, `"ip_class1_count": 0`,
			Ineligible, []string{}, Unknown},
		{"the missing are only those that matter", []string{`ip_class1_count >= 1 || revenue.last_year() > 0`, `employees.last_year() > 0`}, `"ip_class1_count": 2`,
			Undetermined, []string{"employees"}, Pass},
		{"arithmetic carries the unknown", []string{`revenue.last_year() + rd_expense.last_year() * 2 > 0`}, `"revenue": {"2023": 5}`,
			Undetermined, []string{"rd_expense"}, Unknown},
		{"a division by zero is unknown, not missing", []string{`rd_expense.last_year() / revenue.last_year() > 0.05`}, `"revenue": {"2023": 0}, "rd_expense": {"2023": 5}`,
			Undetermined, []string{}, Unknown},
		{"a list-style flag reads its absent value", []string{`!restricted_industry`}, ``,
			Eligible, []string{}, Pass},
		{"if_missing replaces a missing fact", []string{`if_missing(export_refund_approved.tax_month(), 0) == decimal(0)`}, ``,
			Eligible, []string{}, Pass},
		{"if_missing keeps a present fact", []string{`if_missing(export_refund_approved.tax_month(), 0) > 0`}, `"export_refund_approved": {"2024-05": 3}`,
			Eligible, []string{}, Pass},
		{"a missing list element makes the list unknown", []string{`vat_credit_end.last_months(3).all(c, c > 0)`}, `"vat_credit_end": {"2024-03": 1, "2024-05": 1}`,
			Undetermined, []string{"vat_credit_end"}, Unknown},
		{"a list with a missing element is unknown as a whole", []string{`[revenue.last_year() > 0, true].exists(b, b)`}, ``,
			Undetermined, []string{"revenue"}, Unknown},
		{"the industry section", []string{`industry.section() == "C" && industry.division() == "39" && industry.code() == "C3911"`}, ``,
			Eligible, []string{}, Pass},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lib := probeLibrary(t, criterionProbe(tc.exprs...))
			res := evalProbe(t, lib, withFacts(t, tc.facts), "2024-06-15")
			if res.Status != tc.wantStatus {
				t.Errorf("status %s, want %s: %s", res.Status, tc.wantStatus, res.Explanation)
			}
			if res.Missing == nil {
				t.Fatal("missing is nil; it must be [] in JSON")
			}
			if !sameSet(res.Missing, tc.wantMissing) {
				t.Errorf("missing %v, want %v", res.Missing, tc.wantMissing)
			}
			if c := criterionOf(t, res, "c1"); c.Status != tc.wantC1 {
				t.Errorf("c1 %s, want %s: %s", c.Status, tc.wantC1, c.Explanation)
			}
		})
	}
}

func sameSet(a, b []string) bool {
	return slices.Equal(slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b)))
}

func TestUnknownIndustryAndRegistration(t *testing.T) {
	lib := probeLibrary(t, criterionProbe(`industry.in_list("C, M")`, `years_between(registered_on, on) >= 1`))
	rec := mustRecord(t, `{"uscc": "91330106MA2GL1234M", "name": "无行业", "facts": {}}`)
	res := evalProbe(t, lib, rec, "2024-06-15")
	if res.Status != Undetermined || !sameSet(res.Missing, []string{"industry_code", "registered_on"}) {
		t.Errorf("status %s missing %v, want undetermined on industry_code and registered_on", res.Status, res.Missing)
	}
}

func TestAppliesWhen(t *testing.T) {
	body := `parameters:
  strict: {values: [{from: 2000-01-01, value: false}, {from: 2024-01-01, value: true}]}
criteria:
  - id: rule
    label: {zh: 条件, en: rule}
    applies_when: strict
    expr: revenue.last_year() >= 100
  - id: by_fact
    label: {zh: 条件, en: by fact}
    applies_when: hnte_certified
    expr: revenue.last_year() >= 100
`
	lib := probeLibrary(t, body)
	tests := []struct {
		name, on, facts string
		rule, byFact    CriterionStatus
	}{
		{"not applicable before the date", "2023-06-01", `"revenue": {"2022": 5}, "hnte_certified": false`, NotApplicable, NotApplicable},
		{"applies from the date", "2024-06-01", `"revenue": {"2023": 5}, "hnte_certified": true`, Fail, Fail},
		{"unknown when its condition is", "2024-06-01", `"revenue": {"2023": 500}`, Pass, Unknown},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := evalProbe(t, lib, withFacts(t, tc.facts), tc.on)
			if c := criterionOf(t, res, "rule"); c.Status != tc.rule {
				t.Errorf("rule %s, want %s", c.Status, tc.rule)
			}
			if c := criterionOf(t, res, "by_fact"); c.Status != tc.byFact {
				t.Errorf("by_fact %s, want %s", c.Status, tc.byFact)
			}
		})
	}
}

func TestAmountNeedsItsFacts(t *testing.T) {
	lib := probeLibrary(t, criterionProbe(`ip_class1_count >= 1`)+
		"amount: {expr: taxable_income.last_year() * 0.1, label: {zh: 金额, en: amount}}\n")
	res := evalProbe(t, lib, withFacts(t, `"ip_class1_count": 1`), "2024-06-01")
	if res.Status != Undetermined || res.Amount != nil || !sameSet(res.Missing, []string{"taxable_income"}) {
		t.Fatalf("got %s %v %v, want undetermined on taxable_income", res.Status, res.Amount, res.Missing)
	}
	if !strings.Contains(res.Explanation, "amount needs the missing data") {
		t.Errorf("explanation %q does not say the amount is what is missing", res.Explanation)
	}
}

func TestNotInForceExplained(t *testing.T) {
	lib, err := loadFiles(t, map[string]string{"probe.yaml": strings.Replace(probeHead, "in_force: {from: 2000-01-01}",
		"in_force: {from: 2022-04-01, to: 2025-08-31, by: filing_period}", 1) + criterionProbe(`true`) + probeTail})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := lib.Policy("probe")
	// The window is in filing periods (on's month): filing period 2022-04
	// reads the facts of tax month 2022-03.
	tests := []struct {
		on      string
		inForce bool
		says    string
	}{
		{"2022-03-31", false, "not yet in force"},   // filing period 2022-03
		{"2022-04-01", true, "tax month 2022-03"},   // 2022-04
		{"2025-08-31", true, "tax month 2025-07"},   // 2025-08
		{"2025-09-01", false, "no longer in force"}, // 2025-09
		{"2022-01-10", false, "tax month 2021-12"},  // across the year
	}
	for _, tc := range tests {
		if got := p.InForce(date(t, tc.on)); got != tc.inForce {
			t.Errorf("InForce(%s) = %v, want %v", tc.on, got, tc.inForce)
		}
		rec := withFacts(t, "")
		res := p.Evaluate(&rec, date(t, tc.on))
		c := criterionOf(t, res, "in_force")
		if tc.inForce != (c.Status == Pass) {
			t.Errorf("%s: in_force %s", tc.on, c.Status)
		}
		if !strings.Contains(c.Explanation, tc.says) {
			t.Errorf("%s: %q does not say %q", tc.on, c.Explanation, tc.says)
		}
		if res.InForce != tc.inForce {
			t.Errorf("%s: result in_force %v", tc.on, res.InForce)
		}
		if !tc.inForce {
			if res.Status != Ineligible || !strings.Contains(c.Explanation, "from filing period 2022-04 (tax month 2022-03) to filing period 2025-08") ||
				!strings.Contains(res.Explanation, "Not in force on "+tc.on) && !strings.Contains(res.Explanation, "not in force on "+tc.on) {
				t.Errorf("%s: %s, %q / %q: want ineligible, naming the date and the window", tc.on, res.Status, c.Explanation, res.Explanation)
			}
			if !strings.Contains(res.ExplanationZh, "不在政策有效期内") {
				t.Errorf("%s: %q does not say it is not in force", tc.on, res.ExplanationZh)
			}
		}
	}
}

func TestEnterpriseSize(t *testing.T) {
	lib := probeLibrary(t, criterionProbe(`enterprise_size in ["small", "micro"]`))
	tests := []struct {
		name, facts string
		want        Status
		missing     []string
	}{
		{"reported", `"enterprise_size": "large"`, Ineligible, []string{}},
		{"derived: a manufacturer with 12 employees is micro", `"employees": {"2023": 12}`, Eligible, []string{}},
		{"derived from revenue and employees", `"employees": {"2023": 150}, "revenue": {"2023": 15000000}`, Eligible, []string{}},
		{"derived large", `"employees": {"2023": 1500}, "revenue": {"2023": 500000000}`, Ineligible, []string{}},
		{"not derivable", `"revenue": {"2023": 15000000}`, Undetermined, []string{"enterprise_size"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := evalProbe(t, lib, withFacts(t, tc.facts), "2024-06-01")
			if res.Status != tc.want || !sameSet(res.Missing, tc.missing) {
				t.Errorf("%s %v, want %s %v: %s", res.Status, res.Missing, tc.want, tc.missing, res.Explanation)
			}
		})
	}
}

func TestNearMiss(t *testing.T) {
	body := `near_miss: {tolerance: 0.10}
derived:
  ratio: {expr: rd_expense.sum_years(3) / revenue.sum_years(3), unit: percent}
criteria:
  - id: ratio
    label: {zh: 研发费用占比, en: R&D ratio}
    expr: ratio >= 0.05
    unit: percent
    near_miss: {money: gap * revenue.sum_years(3), money_label: {zh: 研发投入, en: R&D}}
  - id: ip
    label: {zh: 知识产权, en: IP}
    expr: ip_class1_count >= 1
    unit: items
`
	lib := probeLibrary(t, body)
	base := `"revenue": {"2021": 8000000, "2022": 10000000, "2023": 12000000}`
	tests := []struct {
		name, facts string
		nearMiss    bool
	}{
		{"4.6% of 5% with nothing else failing", base + `, "rd_expense": {"2021": 368000, "2022": 460000, "2023": 552000}, "ip_class1_count": 1`, true},
		{"with another criterion unknown", base + `, "rd_expense": {"2021": 368000, "2022": 460000, "2023": 552000}`, true},
		{"with another criterion failing", base + `, "rd_expense": {"2021": 368000, "2022": 460000, "2023": 552000}, "ip_class1_count": 0`, false},
		{"too far: 4.4% is 12% short", base + `, "rd_expense": {"2021": 352000, "2022": 440000, "2023": 528000}, "ip_class1_count": 1`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := evalProbe(t, lib, withFacts(t, tc.facts), "2024-06-01")
			if (res.NearMiss != nil) != tc.nearMiss {
				t.Fatalf("near miss %+v, want %v: %s", res.NearMiss, tc.nearMiss, res.Explanation)
			}
			if res.NearMiss == nil {
				return
			}
			nm := res.NearMiss
			if nm.Criterion != "ratio" || nm.Gap != "0.004" || nm.Money == nil || nm.Money.String() != "120000.00" {
				t.Errorf("near miss %+v %v", nm, nm.Money)
			}
			for _, want := range []string{"4.60% against ≥ 5.00%", "0.40 points short", "about 120,000 yuan more R&D"} {
				if !strings.Contains(nm.Explanation, want) {
					t.Errorf("explanation %q lacks %q", nm.Explanation, want)
				}
			}
			if !strings.Contains(nm.ExplanationZh, "差0.40个百分点") || !strings.Contains(nm.ExplanationZh, "约需增加研发投入120,000元") {
				t.Errorf("zh explanation %q", nm.ExplanationZh)
			}
		})
	}
}

func TestDecideMatchesEvaluate(t *testing.T) {
	lib := shippedLibrary(t)
	ev := lib.NewEvaluator()
	for _, p := range lib.Policies() {
		for _, tc := range p.tests {
			ent := FromRecord(&tc.record)
			d := ev.Decide(p, ent, tc.on)
			res := ev.Explain()
			full := lib.NewEvaluator().Evaluate(p, ent, tc.on)
			if d.Status != res.Status || d.Status != full.Status || d.NearMiss != (full.NearMiss != nil) ||
				!slices.Equal(d.Missing, full.Missing) || d.Verified != full.Verified {
				t.Errorf("%s/%s: Decide %+v, Explain %s, Evaluate %s", p.id, tc.name, d, res.Status, full.Status)
			}
			if res.Explanation != full.Explanation {
				t.Errorf("%s/%s: Explain after Decide differs from Evaluate:\n%s\n%s", p.id, tc.name, res.Explanation, full.Explanation)
			}
		}
	}
}

// A number far beyond what a park sees (1E+40) makes what uses it unknown,
// with an error, instead of slowing every operation. The dictionary's
// precision refuses such a value in every input now (facts/precision.go);
// one stored before it did still reaches the rules, so it is built here
// around the decoder.
func TestNumbersOutOfRange(t *testing.T) {
	lib := probeLibrary(t, criterionProbe(`revenue.last_year() > 0`, `employees.last_year() > 0`))
	rec := withFacts(t, `"employees": {"2023": 5}`)
	huge, err := facts.Decimal("1E+40")
	if err != nil {
		t.Fatal(err)
	}
	rec.Facts["revenue"] = facts.Series{facts.Year(2023): facts.Value{Type: facts.Money, Num: huge}}
	res := evalProbe(t, lib, rec, "2024-06-01")
	c := criterionOf(t, res, "c1")
	if c.Status != Unknown || !strings.Contains(c.Error, "out of the range") {
		t.Errorf("c1 %s %q, want unknown with a range error", c.Status, c.Error)
	}
	if c := criterionOf(t, res, "c2"); c.Status != Pass {
		t.Errorf("c2 %s", c.Status)
	}
	if res.Status != Undetermined || len(res.Missing) != 0 {
		t.Errorf("%s %v, want undetermined with nothing missing", res.Status, res.Missing)
	}
}
