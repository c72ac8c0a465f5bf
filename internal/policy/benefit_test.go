package policy

import (
	"strings"
	"testing"
	"time"
)

// probeWith replaces the probe's benefit and claim (and mode) with others.
func probeWith(mode, benefitClaim, body string) string {
	head := strings.Replace(probeHead, "mode: automatic", "mode: "+mode, 1)
	tail := probeTail[strings.Index(probeTail, "\ntests:"):]
	return head + body + "\n" + benefitClaim + tail
}

const claimProbe = "claim: {where: {zh: 电子税务局, en: the electronic tax bureau}, by: {zh: 次年5月31日前, en: by 31 May}}\n"

func TestBenefitAndClaimAreChecked(t *testing.T) {
	tests := []struct {
		name, mode, benefitClaim, body, want string
	}{
		{"benefit missing", "automatic", claimProbe, criterionAt("true"), `"benefit" is required`},
		{"claim missing", "automatic", "benefit: {kind: qualification}\n", criterionAt("true"), `"claim" is required`},
		{"an unknown kind", "automatic", "benefit: {kind: money}\n" + claimProbe, criterionAt("true"), "benefit.kind must be cash"},
		{"an unknown mode", "auto", "benefit: {kind: qualification}\n" + claimProbe, criterionAt("true"), "mode must be automatic"},
		{"cash without an amount", "automatic", "benefit: {kind: cash}\n" + claimProbe, criterionAt("true"), "a cash benefit needs an amount"},
		{"a deduction without its rate", "self_declare", "benefit: {kind: deduction}\n" + claimProbe,
			criterionAt("true") + "amount: {expr: decimal(1), label: {zh: 额, en: amount}}\n", "a deduction needs benefit.tax_rate"},
		{"a rate on cash", "automatic", "benefit: {kind: cash, tax_rate: {expr: '0.25', label: {zh: 率, en: rate}}}\n" + claimProbe,
			criterionAt("true") + "amount: {expr: decimal(1), label: {zh: 额, en: amount}}\n", "benefit.tax_rate is for a deduction only"},
		{"a rate that is not a ratio", "self_declare", "benefit: {kind: deduction, tax_rate: {expr: '\"25%\"', label: {zh: 率, en: rate}}}\n" + claimProbe,
			criterionAt("true") + "amount: {expr: decimal(1), label: {zh: 额, en: amount}}\n", "benefit.tax_rate must be a ratio"},
		{"a where without English", "automatic", "benefit: {kind: qualification}\nclaim: {where: {zh: 窗口}, by: {zh: 随时, en: any time}}\n",
			criterionAt("true"), `"en" is required`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := loadFiles(t, map[string]string{"probe.yaml": probeWith(tc.mode, tc.benefitClaim, tc.body)})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error saying %q", err, tc.want)
			}
		})
	}
}

func TestDeductionTaxValue(t *testing.T) {
	body := criterionAt("true") + "amount: {expr: 'decimal(\"1000000.02\")', label: {zh: 加计扣除额, en: additional deduction}}\n"
	benefit := "benefit:\n  kind: deduction\n  tax_rate: {expr: 'if_missing(hnte_certified, false) ? 0.15 : 0.25', label: {zh: 按企业税率, en: the enterprise's rate}}\n" + claimProbe
	lib, err := loadFiles(t, map[string]string{"probe.yaml": probeWith("self_declare", benefit, body)})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := lib.Policy("probe")
	if p.Benefit().Kind != Deduction || p.Claim().Mode != SelfDeclare || p.Claim().Where.En != "the electronic tax bureau" {
		t.Fatalf("benefit %+v, claim %+v", p.Benefit(), p.Claim())
	}
	tests := []struct {
		name, facts, rate, value string
	}{
		// 1,000,000.02 × 25% = 250,000.005 → rounded once, half-up.
		{"the standard rate", ``, "0.25", "250000.01"},
		{"a certified HNTE", `"hnte_certified": true`, "0.15", "150000.00"},
	}
	ev := lib.NewEvaluator()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := withFacts(t, tc.facts)
			res := ev.Evaluate(p, FromRecord(&rec), date(t, "2024-05-31"))
			if res.Benefit != Deduction || res.TaxRate != tc.rate || res.TaxValue == nil || res.TaxValue.String() != tc.value {
				t.Fatalf("benefit %s, rate %q, value %v; want %s at %s", res.Benefit, res.TaxRate, res.TaxValue, tc.value, tc.rate)
			}
			if !strings.Contains(res.Explanation, "worth about "+grouped(tc.value)+" yuan of income tax") ||
				!strings.Contains(res.ExplanationZh, "约可少缴企业所得税"+grouped(tc.value)+"元") {
				t.Errorf("explanations do not give the tax value:\n%s\n%s", res.Explanation, res.ExplanationZh)
			}
			if !strings.Contains(res.Explanation, "claims it itself in its tax filing: the electronic tax bureau; by 31 May") {
				t.Errorf("explanation does not say how to claim: %s", res.Explanation)
			}
			// The same value for a stored amount, without evaluating again.
			rate, value, ok := ev.TaxValue(p, FromRecord(&rec), date(t, "2024-05-31"), res.Amount)
			if !ok || rate != tc.rate || value.String() != tc.value {
				t.Errorf("TaxValue = %s, %v, %v; want %s, %s", rate, value, ok, tc.rate, tc.value)
			}
		})
	}
	// A policy that is not a deduction has no tax value.
	other := probeLibrary(t, criterionAt("true"))
	q, _ := other.Policy("probe")
	rec := withFacts(t, "")
	if _, _, ok := other.NewEvaluator().TaxValue(q, FromRecord(&rec), date(t, "2024-05-31"), &Money{}); ok {
		t.Error("a qualification has a tax value")
	}
}

func TestModesAnswerOffersAsBefore(t *testing.T) {
	for m, want := range map[Mode]Mode{Automatic: Automatic, Confirm: Automatic, Apply: Apply, SelfDeclare: Apply} {
		if got := m.OfferMode(); got != want {
			t.Errorf("%s.OfferMode() = %s, want %s", m, got, want)
		}
	}
}

func TestNotesShowWhenTheyHold(t *testing.T) {
	body := criterionAt("true") + `notes:
  - when: 'if_missing(revenue.last_year(), decimal(0)) > 0'
    zh: 有收入。
    en: It has revenue.
  - when: 'revenue.last_year() > 1000'
    zh: 收入超过一千元。
    en: Revenue above 1,000 yuan.
`
	lib := probeLibrary(t, body)
	tests := []struct {
		name, facts string
		want        []string
	}{
		{"both hold", `"revenue": {"2023": 5000}`, []string{"It has revenue.", "Revenue above 1,000 yuan."}},
		{"one is false", `"revenue": {"2023": 500}`, []string{"It has revenue."}},
		{"unknown shows nothing", ``, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := evalProbe(t, lib, withFacts(t, tc.facts), "2024-06-01")
			var got []string
			for _, n := range res.Notes {
				got = append(got, n.En)
				if !strings.Contains(res.Explanation, n.En) || !strings.Contains(res.ExplanationZh, n.Zh) {
					t.Errorf("note %q is not in the explanations", n.En)
				}
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("notes %q, want %q", got, tc.want)
			}
		})
	}
}

// TestClaimPeriods: a regime dated by filing period is claimed in the
// filing period of the evaluation date, for the month before; any other
// policy has no such period.
func TestClaimPeriods(t *testing.T) {
	lib := shippedLibrary(t)
	vat, ok := lib.Policy("vat-refund-2022")
	if !ok {
		t.Fatal("vat-refund-2022 is not shipped")
	}
	if f, m := vat.ClaimPeriods(time.Date(2022, 8, 15, 0, 0, 0, 0, time.UTC)); f != "2022-08" || m != "2022-07" {
		t.Errorf("vat-refund-2022 on 2022-08-15: filing period %q, tax month %q", f, m)
	}
	rd, _ := lib.Policy("rd-super-deduction-2023")
	if f, m := rd.ClaimPeriods(time.Date(2024, 5, 31, 0, 0, 0, 0, time.UTC)); f != "" || m != "" {
		t.Errorf("rd-super-deduction-2023 has a filing period %q/%q", f, m)
	}
}
