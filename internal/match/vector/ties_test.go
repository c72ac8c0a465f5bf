package vector

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/policy"
)

// tieValues are values that sit exactly on the policies' thresholds, or
// make amounts end in half a fen, so that the float bounds cannot settle
// them and the exact path (or the integer tie-break of ties.go, for
// ratios of whole numbers and the near misses they make) must.
var tieValues = map[string][]string{
	"taxable_income":            {"3000000", "1900000.05", "0", "-10.01"},
	"employees_avg":             {"300", "300.0"},
	"total_assets_avg":          {"50000000", "49999999.99"},
	"tech_staff":                {"3", "30", "10", "9", "27"},
	"employees":                 {"30", "100", "300", "0"},
	"layoffs":                   {"11", "0", "1", "121"},
	"insured_staff":             {"200", "20", "30", "2000"},
	"ui_contributions":          {"123.45", "100000", "0.01"},
	"local_taxes_due":           {"0.01", "1234.57"},
	"rd_expense":                {"150000", "220000", "300000", "0"},
	"revenue":                   {"2400000", "3200000", "4200000", "3000000", "0"},
	"rd_expense_domestic":       {"90000", "0"},
	"hightech_revenue":          {"2520000", "1920000"},
	"innovation_score":          {"71", "70.9"},
	"ip_class1_count":           {"0", "1"},
	"ip_class2_count":           {"0", "1", "4"},
	"vat_credit_end":            {"1000000", "0", "500000"},
	"vat_credit_2019_03":        {"1000000", "0"},
	"input_vat_qualifying":      {"8000000", "0"},
	"input_vat_total":           {"10000000", "0"},
	"export_refund_approved":    {"1000000"},
	"cost_and_expense_total":    {"500000", "1000000"},
	"tax_evasion_penalties_36m": {"1", "2"},
	"ui_paid_months":            {"12", "11"},
	"srdi_score":                {"60", "59.9"},
	"years_in_niche":            {"2", "3"},
	"main_business_revenue":     {"2800000", "2100000"},
	"debt_ratio":                {"0.7", "0.70"},
	"niche_market_share":        {"0.1"},
	"rd_other_expense":          {"100000", "0"},
	"rd_staff_cost":             {"900000"},
	"qualified_equity_2y":       {"20000000", "80000000"},
	"rd_commissioned_domestic":  {"0.01", "125"},
	"rd_commissioned_overseas":  {"0.03"},
}

// TestTiesMatchEngine puts values exactly on thresholds into generated
// records, and checks the results (through the exact path where the
// float bounds cannot settle them) against the policy engine.
func TestTiesMatchEngine(t *testing.T) {
	set := mustPolicies(t)
	dict := facts.Builtin()
	for _, day := range []string{"2024-05-31", "2025-10-15"} {
		on, _ := time.Parse(time.DateOnly, day)
		prog := mustCompile(t, set, on)
		recs := generated(t, 99, 400, on)
		rng := rand.New(rand.NewPCG(5, 6))
		lastYear := facts.Year(on.Year() - 1)
		taxMonth := facts.Month(on.Year(), int(on.Month())).AddMonths(-1)
		for i := range recs {
			for field, values := range tieValues {
				if rng.IntN(3) != 0 {
					continue
				}
				f, ok := dict.Field(field)
				if !ok {
					t.Fatalf("no field %s", field)
				}
				v, err := f.ParseValue(values[rng.IntN(len(values))])
				if err != nil {
					continue // outside the field's bounds
				}
				per := facts.Period{}
				switch f.Shape {
				case facts.Annual:
					per = facts.Year(lastYear.Year - rng.IntN(2))
				case facts.Monthly:
					per = taxMonth.AddMonths(-rng.IntN(6))
				case facts.Quarterly:
					continue
				}
				if recs[i].Facts[field] == nil {
					recs[i].Facts[field] = facts.Series{}
				}
				recs[i].Facts[field][per] = v
			}
		}
		c := prog.RecordsChunk(recs)
		ev, err := prog.Evaluate(c, Records(recs), 2)
		if err != nil {
			t.Fatal(err)
		}
		engine := set.Library.NewEvaluator()
		bad := 0
		for i := range recs {
			for pi, pl := range prog.Policies {
				res := engine.Evaluate(pl.Policy, policy.FromRecord(&recs[i]), on)
				want, got := engineSummary(&res), ev.Policies[pi].Summary(i)
				if got.Status != want.Status || got.Amount != want.Amount || !slices.Equal(got.Missing, want.Missing) || got.NearMiss != want.NearMiss {
					bad++
					if bad <= 10 {
						t.Errorf("%s %s row %d: vector %+v, engine %+v", day, pl.ID, i, got, want)
					}
				}
			}
		}
		if ev.Pending == 0 {
			t.Errorf("%s: no row needed the exact path: the ties do not tie", day)
		}
		t.Logf("%s: %d results settled on the exact path", day, ev.Pending)
	}
}
